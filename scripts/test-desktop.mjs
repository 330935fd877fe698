// Runs the same integration suites in desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code (this one cannot: use `npm test`, which runs them in
// code-server, see scripts/vscode-test.mjs). On Linux without a display, run it under
// `xvfb-run -a`. Ends with `N passed, N failed` and a non-zero exit when anything failed.
//
// Environment:
//   GIT_INCIDENTS_VSCODE_VERSION  the VS Code to download (default: stable)
//   GIT_INCIDENTS_TEST_GREP       only tests whose full title matches
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultTemplate, makeWorkspace, suiteIndex } from './vscode-test.mjs';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'git-incidents-desktop-'));
const resultsFile = join(tmp, 'results.json');
let exitCode = 1;

try {
  if (!existsSync(suiteIndex)) {
    throw new Error(`${suiteIndex} is missing: run npm run compile-tests`);
  }

  const workspace = join(tmp, 'workspace');
  makeWorkspace(defaultTemplate, workspace);

  exitCode = await runTests({
    version: process.env.GIT_INCIDENTS_VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: projectRoot,
    extensionTestsPath: suiteIndex,
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      join(tmp, 'data'),
      '--extensions-dir',
      join(tmp, 'ext'),
    ],
    extensionTestsEnv: {
      GIT_INCIDENTS_TEST_RESULTS: resultsFile,
      GIT_INCIDENTS_TEST_GREP: process.env.GIT_INCIDENTS_TEST_GREP ?? '',
    },
  });
} catch (error) {
  // runTests rejects when VS Code exits non-zero, which the results below still explain.
  console.error(`[test-desktop] ${error instanceof Error ? error.message : error}`);
}

const results = existsSync(resultsFile)
  ? JSON.parse(readFileSync(resultsFile, 'utf8'))
  : { passed: 0, failed: 1 };
if (results.passed + results.failed === 0) results.failed = 1;
if (exitCode !== 0 && results.failed === 0) results.failed = 1;
rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });

console.log(`${results.passed} passed, ${results.failed} failed`);
process.exitCode = results.failed > 0 ? 1 : 0;
