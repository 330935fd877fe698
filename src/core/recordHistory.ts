/**
 * The lifecycle of one record as git history tells it, for `show` and `history`: each
 * status change with who made it and when, renames and moves, and the escalations.
 */
import { walkHistory } from './history';
import type { Incident } from './record';
import type { IncidentRepository } from './repository';
import { orderSnapshots, readLifecycle, type Lifecycle } from './timeline';

/** One line of a record's history. */
export interface HistoryEvent {
  at: number;
  kind: 'transition' | 'moved' | 'escalation';
  text: string;
  author?: string;
  commit?: string;
}

/** The lifecycle and the events of `incident`, from one walk of the records folder. */
export async function recordHistory(
  repo: IncidentRepository,
  incident: Incident,
): Promise<{ lifecycle: Lifecycle; events: HistoryEvent[] }> {
  const head = await repo.git.run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {
    read: true,
    okCodes: [1, 128],
  });
  const walk = head.stdout.trim()
    ? await walkHistory(repo.git, head.stdout.trim(), repo.directory, new Set())
    : { snapshots: [] };
  const mine = orderSnapshots(walk.snapshots.filter((s) => s.id === incident.id));
  const lifecycle = readLifecycle(mine, incident.status);

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
  events.sort((a, b) => a.at - b.at);
  return { lifecycle, events };
}
