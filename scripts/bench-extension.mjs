// Measures the extension on a large repository inside the real VS Code (code-server and
// headless Chromium, through the integration-test driver): the tree's first paint, a refresh
// after a commit made by the CLI, and opening the metrics view. The suite that measures is
// test/extension/suite/bench.test.ts; it exists only when GIT_INCIDENTS_BENCH_OUT names the
// file for its figures. Prints nothing itself; scripts/bench.mjs prints the figures.
//
//   node scripts/bench-extension.mjs [REPO]     (default .bench/repo-10000; prints JSON)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIntegrationTests } from './vscode-test.mjs';

const root = resolve(import.meta.dirname, '..');

/**
 * Runs the bench suite on a copy of `repo` (its history included) and returns its figures,
 * in milliseconds unless named otherwise; throws when the run failed.
 * @param {string} repo a repository built by make-incident-repo.mjs
 */
export async function benchExtension(repo) {
  for (const built of [
    'dist/extension.js',
    'dist/cli.js',
    'out/test/extension/suite/bench.test.js',
  ]) {
    if (!existsSync(join(root, built))) {
      throw new Error(`${built} is missing: run npm run build && npm run compile-tests`);
    }
  }
  const tmp = mkdtempSync(join(tmpdir(), 'git-incidents-bench-extension-'));
  const saved = {
    out: process.env.GIT_INCIDENTS_BENCH_OUT,
    timeout: process.env.GIT_INCIDENTS_TEST_TIMEOUT_MS,
  };
  try {
    // The driver copies a template and commits what it holds: a local clone (hard links, so
    // quick) plus one file of its own to commit.
    const template = join(tmp, 'template');
    execFileSync('git', ['clone', '-q', '--local', '--', repo, template]);
    mkdirSync(join(template, '.vscode'));
    writeFileSync(join(template, '.vscode', 'settings.json'), '{ "files.autoSave": "off" }\n');

    const out = join(tmp, 'figures.json');
    process.env.GIT_INCIDENTS_BENCH_OUT = out;
    process.env.GIT_INCIDENTS_TEST_TIMEOUT_MS ||= String(20 * 60_000);
    const counts = await runIntegrationTests({ workspace: template, grep: 'extension bench' });
    if (counts.failed > 0 || counts.passed === 0 || !existsSync(out)) {
      throw new Error(
        `the extension bench failed (${counts.passed} passed, ${counts.failed} failed)`,
      );
    }
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    restore('GIT_INCIDENTS_BENCH_OUT', saved.out);
    restore('GIT_INCIDENTS_TEST_TIMEOUT_MS', saved.timeout);
    rmSync(tmp, { recursive: true, force: true });
  }
}

function restore(name, value) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repo = resolve(process.argv[2] ?? join(root, '.bench', 'repo-10000'));
  console.log(JSON.stringify(await benchExtension(repo), null, 2));
}
