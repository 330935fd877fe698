/**
 * One commit of several files that belong together (a review and its record; a problem and
 * its incidents), and nothing else: `git commit --only -- <files>` leaves whatever the user
 * staged for other paths staged and uncommitted. When the commit fails every file is put
 * back as it was, so the working tree never holds half of the change.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { replaceFile } from './atomicFile';
import { commitPaths, uncommittedState } from './commit';
import { TransitionError } from './lifecycle';
import type { IncidentRepository } from './repository';

/** One file of the commit: its text before (undefined for a new file) and after. */
export interface FileChange {
  file: string;
  before?: string;
  after: string;
}

/**
 * Refuses when a file to change has uncommitted edits (they would be committed along) or a
 * file to create already exists in the working tree or the index.
 */
export async function refuseUnsafe(repo: IncidentRepository, changes: FileChange[]) {
  for (const change of changes) {
    const state = await uncommittedState(repo.git, change.file);
    const exists = await stat(join(repo.root, change.file)).then(
      () => true,
      () => false,
    );
    if (change.before === undefined && (exists || state)) {
      throw new TransitionError(
        `${change.file} already exists${state ? ` (${state.slice(0, 2).trim()} in git)` : ''}; ` +
          'nothing was written: edit it, or choose another path',
      );
    }
    if (change.before !== undefined && state) {
      throw new TransitionError(
        `${change.file} has uncommitted changes (${state.slice(0, 2).trim()}); commit or ` +
          'stash them first (`git diff -- <file>` shows them); nothing was written',
      );
    }
  }
}

/** Writes every file and commits exactly these files; returns the new commit id. */
export async function commitFiles(
  repo: IncidentRepository,
  changes: FileChange[],
  message: string,
): Promise<string> {
  const written: FileChange[] = [];
  try {
    for (const change of changes) {
      const path = join(repo.root, change.file);
      if (change.before === undefined) await mkdir(dirname(path), { recursive: true });
      await replaceFile(path, change.after);
      written.push(change);
    }
    const added = changes.filter((c) => c.before === undefined).map((c) => c.file);
    return await commitPaths(
      repo.git,
      changes.map((c) => c.file),
      added,
      message,
    );
  } catch (error) {
    await putBack(repo, written, error as Error);
    throw error;
  }
}

async function putBack(repo: IncidentRepository, written: FileChange[], cause: Error) {
  const failed: string[] = [];
  for (const change of written) {
    try {
      if (change.before !== undefined) {
        await replaceFile(join(repo.root, change.file), change.before);
        continue;
      }
      await repo.git.run(['rm', '--cached', '--quiet', '--ignore-unmatch', '--', change.file]);
      await rm(join(repo.root, change.file), { force: true });
    } catch {
      failed.push(change.file);
    }
  }
  const files = written.map((c) => c.file).join(', ');
  repo.logger.warn(`not committed (${cause.message}); put back: ${files}`);
  if (failed.length > 0) {
    repo.logger.error(
      `${failed.join(', ')}: changed but not committed, and could not be put back: ` +
        'review them with `git status` and commit or restore them',
    );
  }
}
