/**
 * The records of a commit together with their lifecycles: the tree's record files parsed,
 * the history walked once (or taken from the cache), each record joined to its history by id.
 * Parsing the current records overlaps the history walk: git is busy on its own core then.
 */
import { BlobReader } from './blobReader';
import { type Snapshot, walkHistory } from './history';
import {
  type CachedRecord,
  type CacheSummary,
  readSnapshots,
  readSummary,
  writeCacheFiles,
} from './metricsCache';
import { type LifecycleFacts, type MetricInput, metricInput, metricRecord } from './metrics';
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
  const gitDir = await repo.gitDir();
  const summary =
    useCache && history ? await readSummary(gitDir, dir, repo.policy.timezone) : undefined;
  if (summary?.head === commit) return fromSummary(repo, summary);
  const tree = await listTree(repo, commit, dir);

  const parsing = parseRecords(repo, tree, summary);
  const walk = history ? await walkWithCache(repo, gitDir, commit, summary) : undefined;
  const { results, records } = await parsing;
  const set = collect(results, repo.policyProblems);

  const lifecycles: Record<string, LifecycleFacts> = {};
  const byId = groupSnapshots(walk?.snapshots ?? []);
  const inputs = set.incidents.map((incident) => {
    if (!walk) return metricInput(metricRecord(incident));
    const { reopens, everResolved, derived } = readLifecycle(
      orderSnapshots(byId.get(incident.id) ?? []),
      incident.status,
    );
    lifecycles[incident.id] = { reopens, everResolved, derived };
    return metricInput(metricRecord(incident), lifecycles[incident.id]);
  });

  if (useCache && walk) {
    await writeCacheFiles(
      gitDir,
      {
        directory: dir,
        timezone: repo.policy.timezone,
        head: commit,
        commits: walk.commits,
        tree: tree.map((e) => [e.path, e.blob]),
        records,
        lifecycles,
      },
      walk.snapshots,
    ).catch((error) => repo.logger.warn(`metrics cache not written: ${error.message}`));
  }
  return {
    inputs,
    problems: set.problems,
    commits: walk?.commits ?? 0,
    cache: !useCache || !walk ? 'off' : walk.state,
  };
}

/** Everything from the cache: no history walk, no parsing. */
function fromSummary(repo: IncidentRepository, summary: CacheSummary): RecordsAt {
  const results = summary.tree.map(([path, blob]) =>
    resultOf({ path, blob }, summary.records[blob]),
  );
  const set = collect(results, repo.policyProblems);
  const inputs = set.incidents.map((incident) =>
    metricInput(metricRecord(incident), summary.lifecycles[incident.id]),
  );
  return { inputs, problems: set.problems, commits: summary.commits, cache: 'hit' };
}

function resultOf(entry: TreeEntry, cached: CachedRecord | undefined): RecordResult {
  if (!cached) {
    return {
      file: entry.path,
      problems: [
        { severity: 'error', file: entry.path, message: 'cannot read this file from git' },
      ],
    };
  }
  const incident = cached.record ? { ...cached.record, file: entry.path } : undefined;
  return {
    file: entry.path,
    incident: incident as RecordResult['incident'],
    problems: cached.problems,
  };
}

/** Parses the tree's record files (cached ones are reused) as their texts arrive. */
async function parseRecords(
  repo: IncidentRepository,
  tree: TreeEntry[],
  summary: CacheSummary | undefined,
) {
  const records: Record<string, CachedRecord> = {};
  const reader = new BlobReader(repo.git);
  const pending = tree.map(async (entry) => {
    const known = summary?.records[entry.blob];
    const cached = known ?? parseVersion(repo, entry, await reader.read(entry.blob));
    records[entry.blob] = cached;
    return resultOf(entry, cached);
  });
  reader.close();
  return { results: await Promise.all(pending), records };
}

function parseVersion(
  repo: IncidentRepository,
  entry: TreeEntry,
  text: string | undefined,
): CachedRecord {
  if (text === undefined) return { problems: [] };
  const result = readRecord(entry.path, text, repo.readOptions);
  return { record: result.incident && metricRecord(result.incident), problems: result.problems };
}

async function walkWithCache(
  repo: IncidentRepository,
  gitDir: string,
  commit: string,
  summary: CacheSummary | undefined,
) {
  const dir = repo.directory;
  if (summary && (await isAncestor(repo, summary.head, commit))) {
    const cached = await readSnapshots(gitDir, summary.head);
    if (cached) {
      const walk = await walkHistory(repo.git, `${summary.head}..${commit}`, dir, new Set());
      const shifted = cached.map((s) => ({ ...s, seq: s.seq + walk.commits }));
      return {
        snapshots: [...walk.snapshots, ...shifted],
        commits: summary.commits + walk.commits,
        state: 'incremental' as const,
      };
    }
  }
  const walk = await walkHistory(repo.git, commit, dir, new Set());
  return { snapshots: walk.snapshots, commits: walk.commits, state: 'miss' as const };
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

async function isAncestor(repo: IncidentRepository, older: string, newer: string) {
  const result = await repo.git.run(['merge-base', '--is-ancestor', older, newer], {
    read: true,
    okCodes: [1, 128],
  });
  return result.code === 0;
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
