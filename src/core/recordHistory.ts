/**
 * The lifecycle of one record as git tells it, for `show` and `history`: each status change
 * with who made it and when, renames and moves, and the escalations. Only the record's own
 * file is walked; where the file first appears, the same commit is searched for a deleted
 * record with the same id, and the walk goes on under that older path.
 */
import { readBlobs } from './blobReader';
import { type Snapshot, walkHistory } from './history';
import type { Incident } from './record';
import type { IncidentRepository } from './repository';
import { scanVersion } from './frontMatterScan';
import { type Lifecycle, orderSnapshots, readLifecycle } from './timeline';

/** One line of a record's history. */
export interface HistoryEvent {
  at: number;
  kind: 'transition' | 'moved' | 'escalation';
  text: string;
  author?: string;
  commit?: string;
}

// A record moved more often than this is followed no further back (and says so in the log).
const MAX_MOVES = 50;

/** The lifecycle and the events of `incident`. */
export async function recordHistory(
  repo: IncidentRepository,
  incident: Incident,
): Promise<{ lifecycle: Lifecycle; events: HistoryEvent[] }> {
  const snapshots = await followRecord(repo, incident);
  const mine = orderSnapshots(snapshots.filter((s) => s.id === incident.id));
  const lifecycle = readLifecycle(mine, incident.status);
  return { lifecycle, events: eventsOf(incident, lifecycle) };
}

async function followRecord(repo: IncidentRepository, incident: Incident): Promise<Snapshot[]> {
  const head = await repo.git.run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {
    read: true,
    okCodes: [1, 128],
  });
  let range = head.stdout.trim();
  let path = incident.file;
  const found: Snapshot[] = [];
  for (let moves = 0; range && moves < MAX_MOVES; moves++) {
    const walk = await walkHistory(repo.git, range, repo.directory, new Set(), [path]);
    const own = walk.snapshots.filter((s) => s.id === incident.id);
    found.push(...own);
    const first = own.at(-1);
    if (!first) break;
    const earlier = await movedFrom(repo, first.commit, incident.id);
    if (!earlier) break;
    range = `${first.commit}^`;
    path = earlier;
  }
  return renumber(found);
}

/** The path a record had before commit `commit` moved it, if that commit moved it. */
async function movedFrom(repo: IncidentRepository, commit: string, id: string) {
  const result = await repo.git.run(
    [
      'show',
      '--raw',
      '-z',
      '--no-renames',
      '--no-abbrev',
      '--format=',
      commit,
      '--',
      `${repo.directory}/`,
    ],
    { read: true },
  );
  const tokens = result.stdout.split('\0');
  const deleted: { path: string; blob: string }[] = [];
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const meta = tokens[i].replace(/^\n/, '').slice(1).split(' ');
    if (meta[4] === 'D') deleted.push({ path: tokens[i + 1], blob: meta[2] });
  }
  if (deleted.length === 0) return undefined;
  const texts = await readBlobs(
    repo.git,
    deleted.map((d) => d.blob),
  );
  return deleted.find((d) => scanVersion(texts.get(d.blob) ?? '')?.id === id)?.path;
}

/** Walks of successive paths restart their order; make it one newest-first sequence. */
function renumber(snapshots: Snapshot[]): Snapshot[] {
  return snapshots.map((s, seq) => ({ ...s, seq }));
}

function eventsOf(incident: Incident, lifecycle: Lifecycle): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const t of lifecycle.transitions) {
    if (t.previousPath) {
      events.push({
        at: t.at,
        kind: 'moved',
        text: `moved ${t.previousPath} → ${t.path}`,
        author: t.author,
        commit: t.commit,
      });
    }
    if (t.from === t.to) continue;
    const reopen =
      t.from && ['resolved', 'closed'].includes(t.from) && !['resolved', 'closed'].includes(t.to);
    events.push({
      at: t.at,
      kind: 'transition',
      author: t.author,
      commit: t.commit,
      text: `${t.from ?? 'created'} → ${t.to}${reopen ? ' (reopened)' : ''}`,
    });
  }
  for (const e of incident.escalations) {
    if (e.at === undefined) continue;
    events.push({
      at: e.at,
      kind: 'escalation',
      text: `escalated (${e.kind}) to ${e.to}${e.reason ? `: ${e.reason}` : ''}`,
    });
  }
  return events.sort((a, b) => a.at - b.at);
}
