/**
 * Finished metrics reports, cached by everything they depend on: the commit, the request
 * and the settings. Asking the same question of the same commit again reads one small file.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const KEEP = 32;
const VERSION = 1;

/** The cache key of a report: a hash of what it is computed from. */
export function reportKey(parts: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([VERSION, parts]))
    .digest('hex');
}

/** A cached report, or undefined. */
export async function readReport<T>(gitDir: string, key: string): Promise<T | undefined> {
  try {
    return JSON.parse(
      await readFile(join(gitDir, 'git-incidents', 'reports', `${key}.json`), 'utf8'),
    ) as T;
  } catch {
    return undefined;
  }
}

/** Stores a report, keeping only the most recent few. */
export async function writeReport(gitDir: string, key: string, report: unknown): Promise<void> {
  const dir = join(gitDir, 'git-incidents', 'reports');
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `${key}.${process.pid}.tmp`);
  await writeFile(temp, JSON.stringify(report));
  await rename(temp, join(dir, `${key}.json`));

  const names = await readdir(dir);
  if (names.length <= KEEP) return;
  // Names carry no age; dropping them all is simple and the next runs refill what is used.
  await Promise.all(
    names.filter((n) => n !== `${key}.json`).map((n) => rm(join(dir, n), { force: true })),
  );
}
