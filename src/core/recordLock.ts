/**
 * A lock per record across processes, so two commands on the same record never both write
 * it: the second is refused with a clear message instead of losing the first one's update.
 * The lock file holds the owner's PID; a lock whose owner is gone is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Another command holds the record. */
export class RecordBusyError extends Error {
  constructor(id: string, pid: string) {
    super(
      `${id} is being changed by another git-incidents command (process ${pid}); ` +
        'try again when it has finished',
    );
    this.name = 'RecordBusyError';
  }
}

/** Takes the lock for `id` under the git directory; returns the function that releases it. */
export async function lockRecord(gitDir: string, id: string): Promise<() => Promise<void>> {
  const dir = join(gitDir, 'git-incidents', 'locks');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`);

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = (await readFile(path, 'utf8').catch(() => '')).trim();
      if (owner && isAlive(Number(owner))) throw new RecordBusyError(id, owner);
      // The owner died (or never wrote its PID): the lock is stale, take it over.
      await rm(path, { force: true });
    }
  }
  throw new RecordBusyError(id, 'unknown');
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
