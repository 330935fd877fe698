/**
 * The records of a commit together with their lifecycles: the tree's record files parsed,
 * the history walked once (or taken from the cache), each record joined to its history by id.
 */
import { readBlobs } from './blobReader';
import { walkHistory, type Snapshot } from './history';
import {
  type CachedRecord,
  compact,
  expand,
  type MetricsCache,
  readCache,
  writeCache,
} from './metricsCache';
import type { MetricInput, MetricRecord } from './metrics';
import type { Problem } from './problem';
import { readRecord, type RecordResult } from './record';
import { collect, type IncidentRepository } from './repository';
import { orderSnapshots, readLifecycle } from './timeline';

/** Records of a commit with their lifecycles and the problems met on the way. */
export interface RecordsAt {
  inputs: MetricInput[];
  problems: Problem[];
  commits: number;
  cache: 'hit' | 'incremental' | 'miss' | 'off';
}

interface TreeEntry {
  path: string;
  blob: string;
}

/** Loads the records of `commit`; with `history` false, front-matter times only. */
export async function recordsAt(
  repo: IncidentRepository,
  commit: string,
  history: boolean,
  useCache: boolean,
): Promise<RecordsAt> {
  const dir = repo.directory;
  const tree = await listTree(repo, commit, dir);
  const gitDir = await repo.gitDir();
  const cache = useCache ? await readCache(gitDir, dir, repo.policy.timezone) : undefined;
  const blobs = new Set(tree.map((entry) => entry.blob).filter((b) => !cache?.records[b]));

  const walk = await historyFor(repo, commit, history, cache, blobs);
  const records: Record<string, CachedRecord> = {};
  const results: RecordResult[] = tree.map((entry) => {
    const cached = cache?.records[entry.blob] ?? parseVersion(repo, entry, walk.texts);
    records[entry.blob] = cached;
    return {
      file: entry.path,
      incident: cached.record as RecordResult['incident'],
      problems: cached.problems,
    };
  });

  const set = collect(results, repo.policyProblems);
  const byId = groupSnapshots(walk.snapshots);
  const inputs = set.incidents.map((record): MetricInput => {
    const ordered = orderSnapshots(byId.get(record.id) ?? []);
    const lifecycle = history ? readLifecycle(ordered, record.status) : undefined;
    return { record: record as MetricRecord, lifecycle };
  });

  if (useCache && history && walk.state !== 'hit') {
    await writeCache(gitDir, {
      directory: dir,
      timezone: repo.policy.timezone,
      head: commit,
      commits: walk.commits,
      snapshots: compact(walk.snapshots),
      records,
    }).catch((error) => repo.logger.warn(`metrics cache not written: ${error.message}`));
  }
  return {
    inputs,
    problems: set.problems,
    commits: walk.commits,
    cache: useCache ? walk.state : 'off',
  };
}

async function listTree(repo: IncidentRepository, commit: string, dir: string) {
  const result = await repo.git.run(
    ['ls-tree', '-r', '-z', '--full-tree', commit, '--', `${dir}/`],
    { read: true },
  );
  const entries: TreeEntry[] = [];
  for (const line of result.stdout.split('\0')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const [, type, blob] = line.slice(0, tab).split(' ');
    const path = line.slice(tab + 1);
    if (type === 'blob' && path.endsWith('.md')) entries.push({ path, blob });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : 1));
}

async function historyFor(
  repo: IncidentRepository,
  commit: string,
  history: boolean,
  cache: MetricsCache | undefined,
  blobs: Set<string>,
) {
  const dir = repo.directory;
  if (!history) {
    const texts = await readBlobs(repo.git, blobs);
    return { snapshots: [], commits: 0, texts, state: 'off' as const };
  }
  if (cache?.head === commit) {
    const texts = blobs.size > 0 ? await readBlobs(repo.git, blobs) : new Map<string, string>();
    return {
      snapshots: expand(cache.snapshots),
      commits: cache.commits,
      texts,
      state: 'hit' as const,
    };
  }
  if (cache && (await isAncestor(repo, cache.head, commit))) {
    const walk = await walkHistory(repo.git, `${cache.head}..${commit}`, dir, blobs);
    const shifted = expand(cache.snapshots).map((s) => ({ ...s, seq: s.seq + walk.commits }));
    return {
      snapshots: [...walk.snapshots, ...shifted],
      commits: cache.commits + walk.commits,
      texts: walk.texts,
      state: 'incremental' as const,
    };
  }
  const walk = await walkHistory(repo.git, commit, dir, blobs);
  return { ...walk, state: 'miss' as const };
}

async function isAncestor(repo: IncidentRepository, older: string, newer: string) {
  const result = await repo.git.run(['merge-base', '--is-ancestor', older, newer], {
    read: true,
    okCodes: [1, 128],
  });
  return result.code === 0;
}

function parseVersion(
  repo: IncidentRepository,
  entry: TreeEntry,
  texts: Map<string, string>,
): CachedRecord {
  const text = texts.get(entry.blob);
  if (text === undefined) {
    return { problems: [{ severity: 'error', file: entry.path, message: 'cannot read from git' }] };
  }
  const result = readRecord(entry.path, text, repo.readOptions);
  if (!result.incident) return { problems: result.problems };
  const { data: _data, body: _body, ...record } = result.incident;
  return { record, problems: result.problems };
}

function groupSnapshots(snapshots: Snapshot[]): Map<string, Snapshot[]> {
  const byId = new Map<string, Snapshot[]>();
  for (const snap of snapshots) {
    const list = byId.get(snap.id);
    if (list) list.push(snap);
    else byId.set(snap.id, [snap]);
  }
  return byId;
}
