/**
 * A lock per record across processes, so two commands on the same record never both write
 * it: the second is refused with a clear message instead of losing the first one's update.
 * The lock file holds the owner's PID and a token of the owning process; a lock whose owner
 * is gone is taken over, by one command only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
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

// Tells this process's locks from those of an earlier process that had the same PID, as
// happens in containers, where PIDs start from 1 again after every restart.
const OWNER = `${process.pid} ${randomBytes(8).toString('hex')}`;

// A lock file without a PID this young is still being created by its owner.
const CREATING_MS = 10_000;

interface Holder {
  pid: string;
  live: boolean;
}

/** Takes the lock for `id` under the git directory; returns the function that releases it. */
export async function lockRecord(gitDir: string, id: string): Promise<() => Promise<void>> {
  const dir = join(gitDir, 'git-incidents', 'locks');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`);
  const release = () => releaseLock(path);

  for (let attempt = 0; attempt < 3; attempt++) {
    if (await create(path)) return release;
    const holder = await holderOf(path);
    if (!holder) continue; // released in the meantime
    if (holder.live) throw new RecordBusyError(id, holder.pid);
    if (await takeOver(path, id)) return release;
  }
  throw new RecordBusyError(id, 'unknown');
}

/**
 * Replaces a stale lock with ours. Only the command holding the `.takeover` guard may remove
 * the stale lock, and it checks the lock again first: without the guard, two commands that
 * both saw the dead owner could each remove the lock the other had just created.
 */
async function takeOver(path: string, id: string): Promise<boolean> {
  const guard = `${path}.takeover`;
  if (!(await create(guard))) {
    const other = await holderOf(guard);
    // Limitation: a guard left by a command killed within these few calls is removed here
    // without a guard of its own — a race needing a crash and two takers in that instant.
    if (other && !other.live) await rm(guard, { force: true });
    throw new RecordBusyError(id, other?.pid ?? 'unknown');
  }
  try {
    const holder = await holderOf(path);
    if (holder?.live) throw new RecordBusyError(id, holder.pid);
    if (holder) await rm(path, { force: true });
    return await create(path);
  } finally {
    await rm(guard, { force: true });
  }
}

/** Creates `path` holding this process's owner line; false when it exists already. */
async function create(path: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(OWNER);
  } finally {
    await handle.close();
  }
  return true;
}

/** Who holds the lock file, and whether it is still held; undefined when there is none. */
async function holderOf(path: string): Promise<Holder | undefined> {
  let text: string;
  let modified: number;
  try {
    text = await readFile(path, 'utf8');
    modified = (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
  const [pid = '', token] = text.trim().split(/\s+/);
  // Empty: its owner is between creating the file and writing its PID, or died right there.
  if (!pid) return { pid: 'unknown', live: Date.now() - modified < CREATING_MS };
  if (Number(pid) === process.pid) return { pid, live: `${pid} ${token}` === OWNER };
  return { pid, live: isAlive(Number(pid)) };
}

/** Removes the lock if it is still ours. */
async function releaseLock(path: string): Promise<void> {
  const text = await readFile(path, 'utf8').catch(() => '');
  if (text.trim() === OWNER) await rm(path, { force: true });
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
