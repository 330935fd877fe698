/**
 * Committing one record file and nothing else. The user's other staged and unstaged changes
 * stay where they were; a held `index.lock` is waited for, within a bound, and never removed.
 */
import { GitError } from './git';
import type { Git } from './git';
import { lockRecord, RecordBusyError } from './recordLock';

// Record ids never start with a dot, so this lock name is never a record's.
const COMMIT_LOCK = '.commit';
const COMMIT_WAIT_MS = Number(process.env.GIT_INCIDENTS_COMMIT_WAIT_MS ?? 60_000);
/** How long to wait, in total, for another git process's `index.lock` to go away. */
const LOCK_WAIT_MS = Number(process.env.GIT_INCIDENTS_LOCK_WAIT_MS ?? 8000);

/** Fails early, before any file is written, when git cannot make a commit. */
export async function checkIdentity(git: Git): Promise<void> {
  await git.run(['var', 'GIT_AUTHOR_IDENT'], { read: true });
  await git.run(['var', 'GIT_COMMITTER_IDENT'], { read: true });
}

/** The file's uncommitted state as `git status` reports it, or '' when clean. */
export async function uncommittedState(git: Git, file: string): Promise<string> {
  const result = await git.run(
    ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', file],
    { read: true },
  );
  return result.stdout.replace(/\0/g, '\n').trim();
}

/**
 * Commits exactly `file` with `message`; `isNew` adds it first. Returns the new commit id.
 * `--only` with a pathspec commits that path's working-tree content alone, so whatever the
 * user staged for other files is neither committed nor unstaged.
 */
export async function commitFile(
  git: Git,
  file: string,
  message: string,
  isNew: boolean,
  authorDate?: number,
): Promise<string> {
  return commitPaths(git, [file], isNew ? [file] : [], message, authorDate);
}

/**
 * Commits exactly `files` (those in `added` are added first) in one commit; returns its id.
 * Used where several files belong together: a review and its record, a problem and its
 * incidents.
 */
export async function commitPaths(
  git: Git,
  files: string[],
  added: string[],
  message: string,
  authorDate?: number,
): Promise<string> {
  // A back-dated step is authored at the time it happened; the committer date says when.
  const env =
    authorDate === undefined
      ? undefined
      : { GIT_AUTHOR_DATE: `@${Math.floor(authorDate / 1000)} +0000` };
  return withCommitLock(git, async () => {
    if (added.length > 0) await withLockRetry(() => git.run(['add', '--', ...added]));
    return commitNow(git, files, message, env);
  });
}

async function commitNow(
  git: Git,
  files: string[],
  message: string,
  env: Record<string, string> | undefined,
): Promise<string> {
  // The commit's id comes from its own summary line (`[main 0123abc…] subject`): reading HEAD
  // afterwards could give the commit another command made in the meantime.
  const committed = await withLockRetry(() =>
    git.run(['-c', 'core.abbrev=no', 'commit', '--only', '--no-edit', '-F', '-', '--', ...files], {
      input: message,
      env,
    }),
  );
  const id = committed.stdout.match(/^\[.*? ([0-9a-f]{40,64})\]/m)?.[1];
  if (id) return id;
  const head = await git.run(['rev-parse', 'HEAD'], { read: true });
  return head.stdout.trim();
}

async function withLockRetry<T>(action: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await action();
    } catch (error) {
      const locked =
        error instanceof GitError &&
        (error.reason === 'index-locked' || error.reason === 'head-moved');
      if (!locked || Date.now() - started + delay > LOCK_WAIT_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * Runs `action` while holding the repository's commit lock, waiting for it within a bound.
 * Our own commands queue here: `git add` of one command and `git commit --only` of another
 * each rewrite the index, and interleaved, the add was lost and its commit found no file.
 */
async function withCommitLock<T>(git: Git, action: () => Promise<T>): Promise<T> {
  const gitDir = (await git.run(['rev-parse', '--absolute-git-dir'], { read: true })).stdout.trim();
  const started = Date.now();
  let release: (() => Promise<void>) | undefined;
  for (let delay = 20; !release; delay = Math.min(delay * 2, 500)) {
    try {
      release = await lockRecord(gitDir, COMMIT_LOCK);
    } catch (error) {
      if (!(error instanceof RecordBusyError) || Date.now() - started > COMMIT_WAIT_MS) {
        throw new GitError(
          'index-locked',
          'another git-incidents command has been committing ' +
            `for ${Math.round(COMMIT_WAIT_MS / 1000)} s; try again when it has finished`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  try {
    return await action();
  } finally {
    await release();
  }
}
