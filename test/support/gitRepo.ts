/**
 * Real git repositories for tests: made in a temp folder with a local identity, no signing,
 * no system or global config, and removed after the test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The environment every test git call runs with: nothing from the machine's config. */
export const TEST_GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: undefined,
  GIT_AUTHOR_EMAIL: undefined,
  GIT_COMMITTER_NAME: undefined,
  GIT_COMMITTER_EMAIL: undefined,
  GIT_AUTHOR_DATE: undefined,
  GIT_COMMITTER_DATE: undefined,
  TZ: process.env.TZ,
};

// The product's own git calls inherit the process environment, so tests pin it too.
Object.assign(process.env, { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
for (const key of [
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_DATE',
]) {
  delete process.env[key];
}

/** A temporary git repository. */
export class TempRepo {
  readonly root: string;

  constructor(options: { identity?: boolean; dir?: string } = {}) {
    this.root = options.dir ?? mkdtempSync(join(tmpdir(), 'git-incidents-test-'));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'commit.gpgsign', 'false');
    this.git('config', 'gc.auto', '0');
    this.git('config', 'core.autocrlf', 'false');
    if (options.identity !== false) {
      this.git('config', 'user.name', 'Test Responder');
      this.git('config', 'user.email', 'responder@example.invalid');
    }
  }

  /** Runs git in the repository and returns stdout; throws with stderr on failure. */
  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, env: TEST_GIT_ENV, encoding: 'utf8' });
  }

  /** Runs git with fixed author and committer dates. */
  gitAt(date: string, ...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.root,
      encoding: 'utf8',
      env: { ...TEST_GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
  }

  write(path: string, content: string | Buffer): void {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  /** Commits everything with the given author/committer date. */
  commitAll(message: string, date = '2024-01-01T00:00:00Z'): void {
    this.gitAt(date, 'add', '-A');
    this.gitAt(date, 'commit', '-q', '--allow-empty', '-m', message);
  }

  /** Runs a shell script from the shared cases with this repository's parent as its dir. */
  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The project's root (tests run from out/test/...). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

/** The shared folder beside the project. */
export const SHARED = resolve(PROJECT_ROOT, '..', 'shared');

/** Runs the built CLI (dist/cli.js) and returns its exit code and output. */
export function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist', 'cli.js'), ...args], {
    cwd,
    env: { ...TEST_GIT_ENV, ...env },
    encoding: 'utf8',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs one of the shared case scripts into a new temp folder; returns the repo path. */
export function runCaseScript(script: string, ...args: string[]): { dir: string; repo: string } {
  const dir = mkdtempSync(join(tmpdir(), 'git-incidents-case-'));
  try {
    execFileSync('bash', [join(SHARED, 'cases', script), dir, ...args], {
      env: TEST_GIT_ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, repo: join(dir, 'repo') };
}
