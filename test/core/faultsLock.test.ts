import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockRecord, RecordBusyError } from '../../src/core/recordLock';

/** A PID that certainly belonged to a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('record lock under contention and after crashes', () => {
  let gitDir: string;
  const lockFile = () => join(gitDir, 'git-incidents', 'locks', 'INC-1.lock');
  const plant = (content: string) => {
    mkdirSync(join(gitDir, 'git-incidents', 'locks'), { recursive: true });
    writeFileSync(lockFile(), content);
  };
  beforeEach(() => {
    gitDir = mkdtempSync(join(tmpdir(), 'git-incidents-lock-'));
  });
  afterEach(() => rmSync(gitDir, { recursive: true, force: true }));

  /** Starts `n` lock attempts at once; returns how many got the lock, and the refusals. */
  async function contend(n: number) {
    const results = await Promise.allSettled(
      Array.from({ length: n }, () => lockRecord(gitDir, 'INC-1')),
    );
    const held = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    for (const r of held) await (r as PromiseFulfilledResult<() => Promise<void>>).value();
    return { held: held.length, refused };
  }

  it('gives the lock to exactly one of many commands started at once', async () => {
    for (let trial = 0; trial < 30; trial++) {
      const { held, refused } = await contend(20);
      assert.equal(held, 1, `trial ${trial}: ${held} holders`);
      for (const error of refused) assert.ok(error instanceof RecordBusyError, String(error));
    }
  });

  it('a stale lock taken over by many commands at once still has exactly one holder', async () => {
    // Old fault: every contender saw the dead owner, removed the lock (including the one a
    // faster contender had just created) and created its own: several "held" the record.
    const dead = deadPid();
    for (let trial = 0; trial < 60; trial++) {
      plant(String(dead));
      const { held, refused } = await contend(20);
      assert.equal(held, 1, `trial ${trial}: ${held} holders of a taken-over lock`);
      for (const error of refused) assert.ok(error instanceof RecordBusyError, String(error));
      rmSync(lockFile(), { force: true });
    }
  });

  it('a lock whose owner is still writing its PID is not mistaken for a stale one', async () => {
    // The window between creating the lock file and writing the PID: an empty file.
    plant('');
    await assert.rejects(lockRecord(gitDir, 'INC-1'), RecordBusyError);
    assert.equal(readFileSync(lockFile(), 'utf8'), '', 'the young lock is left alone');
  });

  it('an empty lock left by a crash long ago does not block forever', async () => {
    plant('');
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(lockFile(), old, old);
    const release = await lockRecord(gitDir, 'INC-1');
    await release();
  });

  it('a lock of a dead process is taken over, and released afterwards', async () => {
    plant(String(deadPid()));
    const release = await lockRecord(gitDir, 'INC-1');
    assert.match(readFileSync(lockFile(), 'utf8'), new RegExp(`^${process.pid}\\b`));
    await release();
    assert.throws(() => readFileSync(lockFile()), /ENOENT/);
  });

  it('a lock left by an earlier process with this same PID does not block forever', async () => {
    // In containers PIDs restart from 1: a crashed command's PID is often the next one's.
    plant(String(process.pid));
    const release = await lockRecord(gitDir, 'INC-1');
    await release();
  });

  it('two commands of one process (an editor) on one record: the second is refused', async () => {
    const release = await lockRecord(gitDir, 'INC-1');
    await assert.rejects(lockRecord(gitDir, 'INC-1'), /being changed by another/);
    await release();
    const again = await lockRecord(gitDir, 'INC-1');
    await again();
  });

  it('a live lock of another process is never taken over', async () => {
    plant(String(process.ppid));
    await assert.rejects(lockRecord(gitDir, 'INC-1'), new RegExp(`process ${process.ppid}`));
    assert.equal(readFileSync(lockFile(), 'utf8'), String(process.ppid));
  });
});
