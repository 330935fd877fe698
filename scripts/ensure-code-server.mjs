// Where code-server (the real VS Code, served to a browser) lives for the integration tests and
// `npm start`, and how to install it: `node scripts/ensure-code-server.mjs` runs
// .ci/install-vscode-test-deps.sh when code-server or Chromium is missing, and does nothing
// otherwise. The shell script is the single installer; this module only finds and calls it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The code-server release the tests run: the last one that runs on Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';

/** The installer to name in every "not installed" message. */
export const INSTALLER = '.ci/install-vscode-test-deps.sh';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The folder code-server is installed into, outside the project's node_modules. */
export function codeServerDir() {
  return (
    process.env.GIT_INCIDENTS_VSCODE_DIR ||
    join(homedir(), '.cache', 'git-incidents', `code-server-${CODE_SERVER_VERSION}`)
  );
}

/** The Chromium the tests drive: Debian's, unless GIT_INCIDENTS_CHROMIUM names another. */
export function chromiumPath() {
  return process.env.GIT_INCIDENTS_CHROMIUM || '/usr/bin/chromium';
}

/**
 * The paths of an installed code-server, or undefined when the installer has not finished
 * there (it writes its marker last).
 * @returns {{ dir: string, entry: string } | undefined}
 */
export function findCodeServer() {
  const dir = codeServerDir();
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = join(dir, `.installed-${CODE_SERVER_VERSION}`);
  if (!existsSync(entry) || !existsSync(marker)) return undefined;
  return { dir, entry };
}

/** What is missing for a run, in words, or an empty list. */
export function missingPieces() {
  const missing = [];
  if (!findCodeServer()) missing.push(`code-server ${CODE_SERVER_VERSION} in ${codeServerDir()}`);
  if (!existsSync(chromiumPath())) missing.push(`Chromium at ${chromiumPath()}`);
  return missing;
}

/**
 * Installs what is missing by running the installer script (it may call apt-get through
 * sudo when not root). Throws when the installer fails.
 */
export function ensureCodeServer() {
  if (missingPieces().length === 0) return findCodeServer();

  const result = spawnSync('bash', [join(projectRoot, INSTALLER)], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new Error(`${INSTALLER} failed (exit ${result.status ?? result.signal})`);
  }

  const found = findCodeServer();
  if (!found) throw new Error(`${INSTALLER} finished but code-server is not in ${codeServerDir()}`);
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { entry } = ensureCodeServer();
    console.log(`code-server ${CODE_SERVER_VERSION} ready: ${entry}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
