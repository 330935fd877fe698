// Runs every suite: the unit and CLI tests with mocha in this process, then the extension's
// integration tests inside a real VS Code (see scripts/vscode-test.mjs). Ends with the
// plain line `N passed, N failed` for the whole run and a non-zero exit when anything failed.
import Mocha from 'mocha';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0 };

await runUnitTests();
if (existsSync('scripts/vscode-test.mjs') && !only.includes('--unit')) {
  const { runIntegrationTests } = await import('./vscode-test.mjs');
  const result = await runIntegrationTests();
  totals.passed += result.passed;
  totals.failed += result.failed;
}

console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;

async function runUnitTests() {
  const mocha = new Mocha({ timeout: 60000, reporter: 'spec' });
  const files = ['out/test/core', 'out/test/cli'].flatMap(testFiles).sort();
  for (const file of files) mocha.addFile(resolve(file));
  await mocha.loadFilesAsync();
  await new Promise((done) => {
    const runner = mocha.run(() => done());
    runner.on('pass', () => totals.passed++);
    runner.on('fail', () => totals.failed++);
  });
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => join(dir, name));
}
