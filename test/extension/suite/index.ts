// The mocha entry the extension host loads (extensionTestsPath). It runs every *.test.js
// compiled beside it, prints mocha's lines tagged so the driver (scripts/vscode-test.mjs) can
// pick them out of the browser console, and writes the results as JSON to the file named by
// GIT_INCIDENTS_TEST_RESULTS, because the exit code alone cannot tell "no test ran" or how
// many failed. The same entry serves @vscode/test-electron (scripts/test-desktop.mjs).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { screenshot } from './screenshot';

/** Prefix of every line meant for the driver's output; keep in sync with vscode-test.mjs. */
export const LINE_TAG = '[git-incidents-test] ';

/** One test's outcome as the driver reads it from the results file. */
export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

/** The results file's content. */
export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
  /** Set when a test file could not be loaded; no test ran then. */
  loadError?: string;
}

/** Called by the extension host; resolves when every test passed, rejects otherwise. */
export async function run(): Promise<void> {
  const results: TestResults = { passed: 0, failed: 0, pending: 0, tests: [] };

  // The extension host's console reaches the page without printf formatting, so every line
  // is formatted here; Base.consoleLog is what mocha's reporters print through.
  const print = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) console.log(LINE_TAG + line);
  };
  const base = Mocha.reporters.Base as unknown as { consoleLog: typeof print; useColors: boolean };
  const originalConsoleLog = base.consoleLog;
  base.consoleLog = print;
  base.useColors = false;

  try {
    const mocha = new Mocha({
      ui: 'bdd',
      reporter: 'spec',
      color: false,
      timeout: 20_000,
      grep: process.env.GIT_INCIDENTS_TEST_GREP || undefined,
    });
    mocha.suite.afterEach(screenshotOnFailure);

    try {
      for (const file of testFiles(__dirname)) mocha.addFile(file);
      await mocha.loadFilesAsync();
    } catch (error) {
      results.failed = 1;
      results.loadError = error instanceof Error ? (error.stack ?? error.message) : String(error);
      print('test files failed to load: %s', results.loadError);
      throw new Error('test files failed to load', { cause: error });
    }

    await new Promise<void>((done) => {
      const runner = mocha.run(() => done());
      runner.on('pass', (test) => {
        results.passed++;
        results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
      });
      runner.on('fail', (test, error: unknown) => {
        results.failed++;
        results.tests.push({ title: test.fullTitle(), state: 'failed', error: errorText(error) });
      });
      runner.on('pending', (test) => {
        results.pending++;
        results.tests.push({ title: test.fullTitle(), state: 'pending' });
      });
    });
  } finally {
    base.consoleLog = originalConsoleLog;
    writeResults(results);
  }

  if (results.failed > 0) throw new Error(`${results.failed} test(s) failed`);
  if (results.passed === 0) throw new Error('no test ran');
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => join(dir, name));
}

async function screenshotOnFailure(this: Mocha.Context): Promise<void> {
  const test = this.currentTest;
  if (test?.state !== 'failed') return;

  const name = `failed-${test.fullTitle()}`;
  await screenshot(name);
}

function writeResults(results: TestResults): void {
  const path = process.env.GIT_INCIDENTS_TEST_RESULTS;
  if (!path) return;

  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
