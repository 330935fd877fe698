/**
 * A cache of what the history walk and record parsing produced, kept in the git directory
 * and keyed by the commit it describes. The same commit again costs no walk at all; a newer
 * commit that descends from it costs a walk of only the new commits.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Snapshot } from './history';
import type { Problem } from './problem';
import type { MetricRecord } from './metrics';

/** A parsed record version, cached by blob id. */
export interface CachedRecord {
  record?: MetricRecord;
  problems: Problem[];
}

/** The cache's content. `snapshots` is compact: history's fields metrics need. */
export interface MetricsCache {
  version: number;
  directory: string;
  timezone: string;
  head: string;
  commits: number;
  snapshots: CompactSnapshot[];
  records: Record<string, CachedRecord>;
}

/** [id, at, seq, status, assignee, deleted, path] */
export type CompactSnapshot = [string, number, number, string, string, 0 | 1, string];

const VERSION = 1;

/** Where the cache lives for a repository. */
export function cachePath(gitDir: string): string {
  return join(gitDir, 'git-incidents', 'metrics-cache.json');
}

/** Reads the cache, or undefined when it is missing, unreadable or for other settings. */
export async function readCache(
  gitDir: string,
  directory: string,
  timezone: string,
): Promise<MetricsCache | undefined> {
  try {
    const cache = JSON.parse(await readFile(cachePath(gitDir), 'utf8')) as MetricsCache;
    const fits =
      cache.version === VERSION && cache.directory === directory && cache.timezone === timezone;
    return fits ? cache : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically (a reader never sees half a file). */
export async function writeCache(gitDir: string, cache: Omit<MetricsCache, 'version'>) {
  const path = cachePath(gitDir);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify({ version: VERSION, ...cache }));
  await rename(temp, path);
}

/** Packs snapshots for the cache. */
export function compact(snapshots: Snapshot[]): CompactSnapshot[] {
  return snapshots.map((s) => [
    s.id,
    s.at,
    s.seq,
    s.status ?? '',
    s.assignee ?? '',
    s.deleted ? 1 : 0,
    s.path,
  ]);
}

/** Unpacks cached snapshots; commit details are not cached and come back empty. */
export function expand(compacted: CompactSnapshot[]): Snapshot[] {
  return compacted.map(([id, at, seq, status, assignee, deleted, path]) => ({
    id,
    at,
    seq,
    status: status || undefined,
    assignee: assignee || undefined,
    deleted: deleted === 1,
    path,
    commit: '',
    author: '',
    email: '',
    subject: '',
  }));
}
