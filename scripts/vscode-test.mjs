// Runs the extension's integration tests inside a real VS Code extension host, offline:
// code-server (VS Code 1.100.3 served on loopback) runs the Node extension host, and a
// headless Debian Chromium, driven by playwright-core, opens its workbench with the test
// parameters. The suite (test/extension/suite/index.ts) prints tagged lines, which are
// streamed here, and writes a results file, which gives the counts.
//
// Environment:
//   GIT_INCIDENTS_VSCODE_DIR       where code-server is installed (see ensure-code-server.mjs)
//   GIT_INCIDENTS_CHROMIUM         the browser (default /usr/bin/chromium)
//   GIT_INCIDENTS_TEST_TIMEOUT_MS  the whole run's limit (default 5 minutes)
//   GIT_INCIDENTS_TEST_GREP        only tests whose full title matches
//   GIT_INCIDENTS_SCREENSHOT_DIR   where screenshots go (default test/screenshots/)
//   GIT_INCIDENTS_TEST_VERBOSE=1   also print code-server's output and the untagged console
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, HOST, launchCodeServer } from './code-server.mjs';
import { chromiumPath, findCodeServer, INSTALLER, missingPieces } from './ensure-code-server.mjs';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The compiled mocha entry the extension host loads. */
export const suiteIndex = join(projectRoot, 'out', 'test', 'extension', 'suite', 'index.js');
/** The workspace the suites open unless told otherwise. */
export const defaultTemplate = join(projectRoot, 'test', 'fixtures', 'workspace-template');

// Keep in sync with LINE_TAG in test/extension/suite/index.ts.
const LINE_TAG = '[git-incidents-test] ';
const verbose = process.env.GIT_INCIDENTS_TEST_VERBOSE === '1';

/**
 * Runs every integration suite once in a fresh code-server and workspace.
 * @param {{ workspace?: string, grep?: string }} [options] `workspace`: a folder to copy as
 *   the test workspace instead of test/fixtures/workspace-template; `grep`: only tests whose
 *   full title matches.
 * @returns {Promise<{ passed: number, failed: number }>} a run that could not start counts
 *   as one failed test.
 */
export async function runIntegrationTests({ workspace, grep } = {}) {
  const started = Date.now();
  const problem = preflight(workspace ?? defaultTemplate);
  if (problem) {
    say(problem);
    return { passed: 0, failed: 1 };
  }

  const session = { tmp: mkdtempSync(join(tmpdir(), 'git-incidents-vscode-')) };
  const onSignal = (signal) => {
    // Ctrl-C mid-run: the finally below never runs, so clean up what can be done at once.
    killGroup(session.server, 'SIGKILL');
    rmSync(session.tmp, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const counts = await runSession(session, workspace ?? defaultTemplate, grep);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    say(`extension host: ${counts.passed} test(s) passed, ${counts.failed} failed (${seconds} s)`);
    return counts;
  } catch (error) {
    say(`integration run failed: ${error instanceof Error ? error.stack : error}`);
    printServerLog(session);
    return { passed: 0, failed: 1 };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown(session);
  }
}

function preflight(template) {
  const missing = missingPieces();
  if (missing.length > 0) {
    return (
      `cannot run the integration tests: missing ${missing.join(' and ')}.\n` +
      `  Install them with: bash ${INSTALLER}   (or: node scripts/ensure-code-server.mjs)`
    );
  }
  if (!existsSync(suiteIndex)) {
    return `cannot run the integration tests: ${suiteIndex} is missing; run npm run compile-tests`;
  }
  if (!existsSync(join(projectRoot, 'dist', 'extension.js'))) {
    return 'cannot run the integration tests: dist/extension.js is missing; run npm run build';
  }
  if (!existsSync(template)) return `cannot run the integration tests: no workspace ${template}`;
  return undefined;
}

async function runSession(session, template, grep) {
  const { tmp } = session;
  const folder = join(tmp, 'workspace');
  makeWorkspace(template, folder);

  const resultsFile = join(tmp, 'results.json');
  const ipc = join(tmp, 'screenshot-ipc');
  mkdirSync(ipc);
  const port = await freePort();
  session.server = startCodeServer(tmp, port, folder, {
    GIT_INCIDENTS_TEST_RESULTS: resultsFile,
    GIT_INCIDENTS_SCREENSHOT_IPC: ipc,
    GIT_INCIDENTS_TEST_GREP: grep ?? process.env.GIT_INCIDENTS_TEST_GREP ?? '',
  });
  const serverExit = new Promise((done) =>
    session.server.once('exit', (code, signal) =>
      done({ kind: 'server-exit', detail: `code-server exited early (${code ?? signal})` }),
    ),
  );
  await waitForHealth(port, serverExit);

  const page = await openBrowser(session);
  // The workbench calls codeAutomationExit(0) when the suite's run() resolves, 1 when it
  // rejects; it must exist before the page loads.
  let finish;
  const pageExit = new Promise((done) => {
    finish = done;
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish({ kind: 'exit', code }));
  page.once('crash', () => finish({ kind: 'crash', detail: 'the workbench page crashed' }));
  const screenshots = watchScreenshotRequests(ipc, page);
  session.stopScreenshots = screenshots.stop;

  const timeoutMs = Number(process.env.GIT_INCIDENTS_TEST_TIMEOUT_MS) || 5 * 60_000;
  let timer;
  const timeout = new Promise((done) => {
    timer = setTimeout(
      () => done({ kind: 'timeout', detail: `timed out after ${timeoutMs} ms` }),
      timeoutMs,
    );
  });

  const base = `vscode-remote://${HOST}:${port}`;
  const payload = [
    ['extensionDevelopmentPath', `${base}${projectRoot}`],
    ['extensionTestsPath', `${base}${suiteIndex}`],
  ];
  const url =
    `http://${HOST}:${port}/?folder=${encodeURIComponent(folder)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url);

  const outcome = await Promise.race([pageExit, serverExit, timeout]);
  clearTimeout(timer);
  await screenshots.stop();

  if (outcome.kind !== 'exit') {
    say(outcome.detail);
    await screenshots.take('run-did-not-finish');
    printServerLog(session);
  }
  const results = readResults(resultsFile);
  if (!results && session.pageErrors.length > 0) {
    say(`last errors in the workbench console:\n${session.pageErrors.join('\n')}`);
  }
  return count(outcome, results, session.sawTaggedLines);
}

/** Turns the page's exit code and the results file into counts; see the header of index.ts. */
function count(outcome, results, sawTaggedLines) {
  if (!results) {
    say('the suite wrote no results: it did not load, or the extension host crashed');
    return { passed: 0, failed: 1 };
  }

  const counts = { passed: results.passed, failed: results.failed };
  if (results.loadError && !sawTaggedLines) say(`test files failed to load:\n${results.loadError}`);
  if (!sawTaggedLines) {
    for (const test of results.tests.filter((t) => t.state === 'failed')) {
      say(`failed: ${test.title}\n${test.error ?? ''}`);
    }
  }
  if (counts.passed + counts.failed === 0) {
    say('no test ran');
    counts.failed = 1;
  }
  if (counts.failed === 0 && !(outcome.kind === 'exit' && outcome.code === 0)) {
    say(`the suite passed but the run did not end cleanly (${outcome.detail ?? outcome.code})`);
    counts.failed = 1;
  }
  return counts;
}

function readResults(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    say(`unreadable results file ${file}: ${error}`);
    return undefined;
  }
}

/**
 * Copies a workspace template to `folder` and commits it as a git repository with a local
 * user, no signing and no background gc, so suites can assert on the commits they add.
 * @param {string} template
 * @param {string} folder
 */
export function makeWorkspace(template, folder) {
  cpSync(template, folder, { recursive: true });
  const git = (...args) =>
    execFileSync('git', args, {
      cwd: folder,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Git Incidents Test');
  git('config', 'user.email', 'test@git-incidents.invalid');
  git('config', 'commit.gpgsign', 'false');
  git('config', 'gc.auto', '0');
  git('add', '--', '.');
  git('commit', '-q', '--no-verify', '-m', 'Initial incidents');
}

const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.autofetch': false,
  'git.openRepositoryInParentFolders': 'never',
};

function startCodeServer(tmp, port, folder, testEnv) {
  const { entry } = findCodeServer();
  // Quiet, reproducible workbench: no welcome page over the screenshots, nothing fetched.
  const server = launchCodeServer({
    entry,
    tmp,
    port,
    folder,
    env: testEnv,
    settings: userSettings,
    inherit: verbose,
  });
  server.exited = false;
  server.once('exit', () => {
    server.exited = true;
  });
  return server;
}

async function waitForHealth(port, serverExit) {
  const deadline = Date.now() + 30_000;
  let exited;
  void serverExit.then((outcome) => {
    exited = outcome;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited.detail);
    try {
      const response = await fetch(`http://${HOST}:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`code-server did not answer /healthz on port ${port} within 30 s`);
}

async function openBrowser(session) {
  const { chromium } = await import('playwright-core');
  const { tmp } = session;
  session.context = await chromium.launchPersistentContext(join(tmp, 'chromium-profile'), {
    executablePath: chromiumPath(),
    headless: true,
    timeout: 60_000,
    viewport: { width: 1400, height: 900 },
    // The machine's network is closed: no background traffic, no proxy, loopback only.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-proxy-server',
      '--no-first-run',
    ],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
      XDG_CACHE_HOME: join(tmp, 'xdg-cache'),
    },
  });

  // Only loopback is reachable here anyway; fail such requests at once, and say so.
  await session.context.route(
    (url) => /^(https?|wss?):$/.test(url.protocol) && url.hostname !== HOST,
    (route) => {
      say(`blocked a request to another host: ${route.request().url()}`);
      void route.abort('blockedbyclient');
    },
  );
  const page = session.context.pages()[0] ?? (await session.context.newPage());
  session.sawTaggedLines = false;
  session.pageErrors = [];
  page.on('console', (message) => {
    const text = message.text();
    const at = text.indexOf(LINE_TAG);
    if (at >= 0) {
      session.sawTaggedLines = true;
      process.stdout.write(`${text.slice(at + LINE_TAG.length)}\n`);
    } else if (verbose) {
      process.stdout.write(`[page ${message.type()}] ${text}\n`);
    } else if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
      // Kept for the report when the suite never wrote results (its load error is here).
      session.pageErrors.push(text);
      if (session.pageErrors.length > 10) session.pageErrors.shift();
    }
  });
  page.on('pageerror', (error) => {
    if (verbose) process.stdout.write(`[page error] ${error.message}\n`);
  });
  return page;
}

/**
 * The driver's side of the screenshot protocol (see test/extension/suite/screenshot.ts):
 * answers each `<seq>-<name>.request` with a PNG and a `<seq>-<name>.done` file.
 */
function watchScreenshotRequests(ipc, page) {
  const chosen = process.env.GIT_INCIDENTS_SCREENSHOT_DIR || 'test/screenshots';
  const outDir = resolve(projectRoot, chosen);
  let busy = Promise.resolve();
  let stopped = false;

  const take = async (name) => {
    const path = join(outDir, `${name}.png`);
    mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path, timeout: 10_000 });
    say(`screenshot: ${path}`);
    return path;
  };

  const answer = async (request) => {
    const base = join(ipc, request.slice(0, -'.request'.length));
    let reply;
    try {
      const { name } = JSON.parse(readFileSync(join(ipc, request), 'utf8'));
      reply = { path: await take(name) };
    } catch (error) {
      reply = { error: error instanceof Error ? error.message : String(error) };
    }
    rmSync(join(ipc, request), { force: true });
    // Written then renamed, so the suite never reads half an answer.
    writeFileSync(`${base}.done.tmp`, JSON.stringify(reply));
    renameSync(`${base}.done.tmp`, `${base}.done`);
  };

  const poll = setInterval(() => {
    busy = busy.then(async () => {
      if (stopped) return;
      const requests = readdirSync(ipc)
        .filter((name) => name.endsWith('.request'))
        .sort();
      for (const request of requests) await answer(request);
    });
  }, 100);

  return {
    take: (name) => take(name).catch((error) => say(`screenshot ${name} failed: ${error}`)),
    stop: async () => {
      stopped = true;
      clearInterval(poll);
      await busy;
    },
  };
}

/** Closes the browser, then ends code-server's process group, then removes the temp dir. */
async function teardown(session) {
  await session.stopScreenshots?.();

  if (session.context) {
    await withTimeout(session.context.close(), 10_000).catch((error) => {
      say(`closing the browser failed: ${error}`);
    });
  }

  if (session.server) {
    killGroup(session.server, 'SIGTERM');
    const deadline = Date.now() + 5_000;
    while (groupAlive(session.server) && Date.now() < deadline) await sleep(100);
    if (groupAlive(session.server)) {
      say('code-server did not stop on SIGTERM; sending SIGKILL');
      killGroup(session.server, 'SIGKILL');
    }
  }

  rmSync(session.tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

/** Signals the process group whose leader is the code-server we spawned (pgid = its pid). */
function killGroup(server, signal) {
  if (!server?.pid) return;
  try {
    process.kill(-server.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function groupAlive(server) {
  try {
    process.kill(-server.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function printServerLog(session) {
  const file = join(session.tmp, 'code-server.log');
  if (verbose || !existsSync(file)) return;
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-40);
  if (lines.length > 0) say(`last lines of code-server's output:\n${lines.join('\n')}`);
}

function withTimeout(promise, ms) {
  let timer;
  const limit = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

function sleep(ms) {
  return new Promise((wake) => setTimeout(wake, ms));
}

function say(message) {
  console.log(`[vscode-test] ${message}`);
}

// `node scripts/vscode-test.mjs [grep]` runs only the integration tests.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runIntegrationTests({ grep: process.argv[2] });
  console.log(`${result.passed} passed, ${result.failed} failed`);
  process.exitCode = result.failed > 0 || result.passed === 0 ? 1 : 0;
}
