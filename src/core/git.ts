/**
 * Every git call goes through here: argument arrays (never a shell), paths after `--`,
 * stdin closed unless fed, a timeout, and failures mapped to typed reasons from stderr.
 */
import { spawn } from 'node:child_process';
import type { Logger } from './log';

/** Why a git call failed, in terms a caller can act on. */
export type GitFailure =
  | 'git-missing'
  | 'not-a-repository'
  | 'index-locked'
  | 'head-moved'
  | 'no-identity'
  | 'dubious-ownership'
  | 'bad-revision'
  | 'timeout'
  | 'failed';

/** A git call that failed, with the reason matched from its stderr and a next step. */
export class GitError extends Error {
  constructor(
    readonly reason: GitFailure,
    message: string,
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

// Ordered: the first pattern that matches stderr names the failure.
const FAILURES: [RegExp, GitFailure, string][] = [
  [
    /index\.lock': File exists/,
    'index-locked',
    'another git process may be running (its `.git/index.lock` exists); wait for it to finish, ' +
      'or remove the lock only if no git process is running',
  ],
  [
    // `git commit` reads HEAD before it takes the index lock: when another commit lands in
    // between, the branch update is refused and nothing is committed; trying again is safe.
    /cannot lock ref '[^']*': (is at [0-9a-f]+ but expected|unable to create)/i,
    'head-moved',
    'another git process moved the branch at the same moment; try again',
  ],
  [
    /Author identity unknown|unable to auto-detect email|empty ident name/i,
    'no-identity',
    'git has no identity: run `git config user.name "Your Name"` and ' +
      '`git config user.email you@example.com`',
  ],
  [
    /detected dubious ownership/,
    'dubious-ownership',
    'git refuses this repository (dubious ownership): run ' +
      '`git config --global --add safe.directory <repo>`',
  ],
  [
    /not a git repository/i,
    'not-a-repository',
    'not inside a git repository: run it in a repository or pass --repo <dir>',
  ],
  [
    /unknown revision|bad revision|ambiguous argument|Not a valid object name/i,
    'bad-revision',
    'git does not know that revision',
  ],
];

/** Options of one git call. */
export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Reads set GIT_OPTIONAL_LOCKS=0 so they never contend with the user's own git. */
  read?: boolean;
  timeoutMs?: number;
  /** Exit codes that are answers, not failures (e.g. 1 for `diff --quiet`). */
  okCodes?: number[];
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs git in one repository and logs each call with its duration at debug. */
export class Git {
  constructor(
    readonly cwd: string,
    private readonly logger: Logger,
  ) {}

  /** Runs git with `args` and returns its output; throws GitError on failure. */
  async run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    const started = Date.now();
    const result = await spawnGit(this.cwd, args, options);
    const took = Date.now() - started;
    const line = `git ${args.join(' ')} (${took} ms)`;
    if (took > 2000) this.logger.warn(`slow: ${line}`);
    else this.logger.debug(line);

    const ok = result.code === 0 || (options.okCodes ?? []).includes(result.code);
    if (!ok) throw toGitError(args, result);
    return result;
  }

  /** Spawns a long-running git process (for streaming `log` and `cat-file --batch`). */
  spawn(args: string[]) {
    this.logger.debug(`git ${args.join(' ')} (streaming)`);
    const child = spawn('git', args, {
      cwd: this.cwd,
      env: gitEnv(true),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A failed start (no git on PATH, EMFILE) closes the streams and the caller sees a
    // failed exit; unhandled, the 'error' event would end the whole process instead.
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT' ? ': git is not installed or not on PATH' : '';
      this.logger.error(`git ${args[0]} could not start (${error.message})${missing}`);
    });
    child.stdin.on('error', () => undefined);
    return child;
  }
}

function toGitError(args: string[], result: RunResult): GitError {
  for (const [pattern, reason, advice] of FAILURES) {
    if (!pattern.test(result.stderr)) continue;
    // git names the exact command for this repository; `<repo>` would leave the person guessing.
    const exact = result.stderr.match(/git config --global --add safe\.directory .+/)?.[0];
    const text =
      reason === 'dubious-ownership' && exact
        ? advice.replace(/`[^`]*<repo>`/, `\`${exact.trim()}\``)
        : advice;
    return new GitError(reason, text, result.stderr);
  }
  // Some refusals (`git commit` with nothing to commit) are explained on stdout only.
  const said = result.stderr.trim() || result.stdout.trim();
  const detail = said.split('\n').slice(-3).join(' ');
  return new GitError(
    'failed',
    `git ${subcommand(args)} failed (${result.code}): ${detail}`,
    result.stderr,
  );
}

/** The git command of `args`, past any leading `-c name=value` settings. */
function subcommand(args: string[]): string {
  let i = 0;
  while (args[i] === '-c') i += 2;
  return args[i] ?? args[0];
}

/** The environment for git: no prompts, stable messages, no optional locks on reads. */
export function gitEnv(read: boolean, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    LANGUAGE: 'C',
    ...(read ? { GIT_OPTIONAL_LOCKS: '0' } : {}),
    ...extra,
  };
}

function spawnGit(cwd: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: gitEnv(options.read ?? false, options.env),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 120_000);
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT') {
        reject(new GitError('git-missing', 'git is not installed or not on PATH: install git'));
      } else reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGTERM') {
        reject(new GitError('timeout', `git ${subcommand(args)} did not finish in time`));
        return;
      }
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? 1,
      });
    });
    if (options.input !== undefined) {
      // git may exit before reading its input (e.g. on a held index.lock): not an error here.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
  });
}
