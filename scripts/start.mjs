// `npm start` (after `npm run build`): shows the product on real incidents. Makes sure
// code-server is installed, builds the demo repository when the CLI can (`git-incidents demo`
// prints its path) or else uses this project's own repository and its sample `incidents/`,
// prints `git-incidents metrics` for it, and serves VS Code with the extension loaded on that
// folder at http://127.0.0.1:PORT until Ctrl-C. PORT picks the port (default: a free one).
//
// `--check`: starts the same way, checks /healthz and that the workbench loads with the
// extension active (in headless Chromium), then stops and exits 0, or 1 with the reason.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, HOST, launchCodeServer } from './code-server.mjs';
import { chromiumPath, ensureCodeServer } from './ensure-code-server.mjs';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(projectRoot, 'dist', 'cli.js');
const check = process.argv.includes('--check');

const say = (message) => console.log(`[start] ${message}`);

const { entry } = ensureCodeServer();
const folder = demoRepository();
say(`incident repository: ${folder}`);
printMetrics(folder);

const tmp = mkdtempSync(join(tmpdir(), 'git-incidents-start-'));
let server;
const stop = (code) => {
  if (server?.pid && server.exitCode === null) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  process.exit(code);
};
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

try {
  const port = Number(process.env.PORT) || (await freePort());
  server = startCodeServer(entry, port, folder);
  await waitForHealth(port);
  const url = workbenchUrl(port, folder);
  if (check) {
    await checkWorkbench(url);
    say('check passed: /healthz answered and the workbench shows the extension active');
    stop(0);
  }
  say(`VS Code with Git Incidents: ${url}`);
  say('press Ctrl-C to stop');
  await new Promise((done) => server.once('exit', done));
  say('code-server exited');
  stop(1);
} catch (error) {
  say(`failed: ${error instanceof Error ? error.message : error}`);
  const log = join(tmp, 'code-server.log');
  if (existsSync(log)) say(`code-server's last lines:\n${tail(readFileSync(log, 'utf8'), 20)}`);
  stop(1);
}

/** The demo repository's path from `git-incidents demo`, or this project's own repository. */
function demoRepository() {
  const result = spawnSync(process.execPath, [cli, 'demo'], {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 5 * 60_000,
  });
  const path = result.stdout?.trim().split('\n').at(-1)?.trim();
  if (result.status === 0 && path && existsSync(join(path, '.git'))) return path;
  const why = /unknown command/.test(result.stderr ?? '')
    ? '`git-incidents demo` is not available'
    : `\`git-incidents demo\` failed: ${tail(result.stderr ?? String(result.error), 5)}`;
  say(`no demo repository (${why}); using this repository and its sample records`);
  return projectRoot;
}

function printMetrics(repo) {
  try {
    const table = execFileSync(process.execPath, [cli, 'metrics', '--repo', repo], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(`\n${table}\n`);
  } catch (error) {
    say(`git-incidents metrics failed: ${error.message}`);
  }
}

function startCodeServer(entry, port, workspace) {
  const settings = { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off' };
  return launchCodeServer({ entry, tmp, port, folder: workspace, settings });
}

async function waitForHealth(port) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited (${server.exitCode})`);
    try {
      if ((await fetch(`http://${HOST}:${port}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new Error(`code-server did not answer /healthz on port ${port} within 30 s`);
}

/** The workbench URL that loads this project as a development extension (see the recipe). */
function workbenchUrl(port, workspace) {
  const payload = [['extensionDevelopmentPath', `vscode-remote://${HOST}:${port}${projectRoot}`]];
  return (
    `http://${HOST}:${port}/?folder=${encodeURIComponent(workspace)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`
  );
}

/** Opens the workbench headless and waits for the extension's status bar entry. */
async function checkWorkbench(url) {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(join(tmp, 'chromium-profile'), {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-proxy-server',
      '--no-first-run',
    ],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
      XDG_CACHE_HOME: join(tmp, 'xdg-cache'),
    },
  });
  try {
    await context.route(
      (target) => /^(https?|wss?):$/.test(target.protocol) && target.hostname !== HOST,
      (route) => route.abort('blockedbyclient'),
    );
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    say('workbench loaded');
    // The status bar entry exists only once the extension has activated and read the records.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.statusbar-item')].some((item) =>
          / P1 · \d+ P2/.test(item.textContent ?? ''),
        ),
      undefined,
      { timeout: 60_000 },
    );
    const text = await page.evaluate(
      () =>
        [...document.querySelectorAll('.statusbar-item')]
          .map((item) => item.textContent ?? '')
          .find((t) => / P1 · /.test(t)) ?? '',
    );
    say(`extension active; status bar: ${text.trim()}`);
  } finally {
    await context.close();
  }
}

function tail(text, lines) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
