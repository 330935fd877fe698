/**
 * The timeline of a post-incident review: the record's own times (when the impact began,
 * was detected, acknowledged, resolved) and every lifecycle step from git history with who
 * made it, escalations and priority changes included, in time order.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatMinutes } from './duration';
import type { Incident, TimeField } from './record';
import { recordHistory } from './recordHistory';
import type { IncidentRepository } from './repository';

/** One row of the timeline. */
export interface TimelineEntry {
  at: number;
  what: string;
  /** Who made the step (git author); undefined for times the record states. */
  who?: string;
  commit?: string;
}

/** The timeline and whether history was complete enough to tell it. */
export interface ReviewTimeline {
  entries: TimelineEntry[];
  shallow: boolean;
}

const RECORD_TIMES: [TimeField, string][] = [
  ['started_at', 'impact began'],
  ['detected_at', 'detected'],
  ['acknowledged_at', 'acknowledged'],
  ['resolved_at', 'resolved'],
  ['closed_at', 'closed'],
];

/** Builds the timeline of `incident` from its front matter and its git history. */
export async function reviewTimeline(
  repo: IncidentRepository,
  incident: Incident,
): Promise<ReviewTimeline> {
  const shallow = existsSync(join(await repo.gitDir(), 'shallow'));
  const entries: TimelineEntry[] = recordTimes(incident);

  const { events } = await recordHistory(repo, incident);
  const steps = await stepCommits(repo, incident);
  const escalationAuthors = [...steps.escalations];
  for (const event of events) {
    if (event.kind !== 'escalation') {
      entries.push({ at: event.at, what: event.text, who: event.author, commit: event.commit });
      continue;
    }
    // The front matter keeps the escalation; the commit that added it says who did.
    const index = escalationAuthors.findIndex((e) => event.text.startsWith(e.text));
    const [made] = index >= 0 ? escalationAuthors.splice(index, 1) : [];
    entries.push({ at: event.at, what: event.text, who: made?.author, commit: made?.commit });
  }
  entries.push(...steps.priorities);
  entries.sort((a, b) => a.at - b.at);
  return { entries, shallow };
}

/** The times the record states, with the durations between them that reviews ask about. */
function recordTimes(incident: Incident): TimelineEntry[] {
  const t = incident.times;
  const since = (from: TimeField, to: TimeField, label: string) => {
    const a = t[from];
    const b = t[to];
    return a !== undefined && b !== undefined && b >= a
      ? ` (${label} ${formatMinutes((b - a) / 60_000)})`
      : '';
  };
  const notes: Partial<Record<TimeField, string>> = {
    detected_at: since('started_at', 'detected_at', 'time to detect'),
    acknowledged_at: since('detected_at', 'acknowledged_at', 'time to acknowledge'),
    resolved_at: since('detected_at', 'resolved_at', 'time to resolve'),
  };
  return RECORD_TIMES.flatMap(([field, label]) => {
    const at = t[field];
    return at === undefined ? [] : [{ at, what: `${label}${notes[field] ?? ''}` }];
  });
}

interface StepCommit {
  text: string;
  author: string;
  commit: string;
}

/** Escalation and priority-change commits of the record's file, oldest first. */
async function stepCommits(repo: IncidentRepository, incident: Incident) {
  const log = await repo.git.run(
    ['log', '-z', '--reverse', '--format=%H%x00%an%x00%at%x00%s', '--', incident.file],
    { read: true, okCodes: [128] },
  );
  const escalations: StepCommit[] = [];
  const priorities: TimelineEntry[] = [];
  const prefix = `${incident.id}: `;
  // NUL between fields and between commits: no name or subject can hold one.
  const fields = log.stdout.split('\0');
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [commit, author, seconds, subject] = fields.slice(i, i + 4);
    if (!subject.startsWith(prefix)) continue;
    const text = subject.slice(prefix.length);
    if (text.startsWith('escalated (')) escalations.push({ text, author, commit });
    if (text.startsWith('priority ')) {
      priorities.push({ at: Number(seconds) * 1000, what: text, who: author, commit });
    }
  }
  return { escalations, priorities };
}
