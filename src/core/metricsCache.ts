/**
 * A cache of what the history walk and record parsing produced, kept in the git directory
 * and keyed by the commit it describes. Two files: the summary (parsed records and each
 * record's lifecycle facts) is all a run at the same commit reads; the snapshots are read
 * only to extend the history when new commits descend from the cached one.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Snapshot } from './history';
import type { LifecycleFacts, MetricRecord } from './metrics';
import type { Problem } from './problem';

/** A parsed record version, cached by blob id. */
export interface CachedRecord {
  record?: MetricRecord;
  problems: Problem[];
}

/** What a run at the cached commit needs. */
export interface CacheSummary {
  version: number;
  directory: string;
  timezone: string;
  head: string;
  commits: number;
  /** The commit's record files as [path, blob], so a hit needs no `ls-tree`. */
  tree: [string, string][];
  records: Record<string, CachedRecord>;
  lifecycles: Record<string, LifecycleFacts>;
}

/** History's fields per record version: [id, at, seq, status, assignee, deleted]. */
export type CompactSnapshot = [string, number, number, string, string, 0 | 1];

const VERSION = 3;

function paths(gitDir: string) {
  const dir = join(gitDir, 'git-incidents');
  return { summary: join(dir, 'metrics-summary.json'), history: join(dir, 'metrics-history.json') };
}

/** Reads the summary, or undefined when missing, unreadable or for other settings. */
export async function readSummary(
  gitDir: string,
  directory: string,
  timezone: string,
): Promise<CacheSummary | undefined> {
  try {
    const cache = JSON.parse(await readFile(paths(gitDir).summary, 'utf8')) as CacheSummary;
    const fits =
      cache.version === VERSION &&
      Array.isArray(cache.tree) &&
      cache.directory === directory &&
      cache.timezone === timezone;
    return fits ? cache : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the cached snapshots of the summary's commit, or undefined. */
export async function readSnapshots(gitDir: string, head: string): Promise<Snapshot[] | undefined> {
  try {
    const cache = JSON.parse(await readFile(paths(gitDir).history, 'utf8'));
    return cache.version === VERSION && cache.head === head ? expand(cache.snapshots) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes both files, each atomically (a reader never sees half a file). */
export async function writeCacheFiles(
  gitDir: string,
  summary: Omit<CacheSummary, 'version'>,
  snapshots: Snapshot[],
): Promise<void> {
  const { summary: summaryPath, history } = paths(gitDir);
  await mkdir(dirname(summaryPath), { recursive: true });
  await atomicWrite(
    history,
    JSON.stringify({ version: VERSION, head: summary.head, snapshots: compact(snapshots) }),
  );
  await atomicWrite(summaryPath, JSON.stringify({ version: VERSION, ...summary }));
}

async function atomicWrite(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

function compact(snapshots: Snapshot[]): CompactSnapshot[] {
  return snapshots.map((s) => [
    s.id,
    s.at,
    s.seq,
    s.status ?? '',
    s.assignee ?? '',
    s.deleted ? 1 : 0,
  ]);
}

function expand(compacted: CompactSnapshot[]): Snapshot[] {
  return compacted.map(([id, at, seq, status, assignee, deleted]) => ({
    id,
    at,
    seq,
    status: status || undefined,
    assignee: assignee || undefined,
    deleted: deleted === 1,
    path: '',
    commit: '',
    author: '',
    email: '',
    subject: '',
  }));
}
