/**
 * A record's lifecycle as git tells it: the status transitions in author-date order, the
 * reopens, and the times the front matter leaves out. Front-matter times always win.
 */
import type { Snapshot } from './history';
import type { Status, TimeField } from './record';
import { STATUSES } from './record';

/** One status change seen in history. */
export interface Transition {
  from?: string;
  to: string;
  at: number;
  author: string;
  commit: string;
  path: string;
  /** The file moved in this commit (from `previousPath`). */
  previousPath?: string;
  subject: string;
}

/** What history adds to a record. */
export interface Lifecycle {
  transitions: Transition[];
  reopens: number;
  /** Resolved at some point, now or before a reopen. */
  everResolved: boolean;
  /** Times derived from history for fields the front matter lacks. */
  derived: Partial<Record<TimeField, number>>;
}

const RANK = new Map<string, number>(STATUSES.map((s, i) => [s, i]));
const RESOLVED = 3;

function rank(status: string | undefined): number {
  return status === undefined ? -1 : (RANK.get(status) ?? -1);
}

/** Sorts one record's snapshots by author instant, then by git's walk order (older first). */
export function orderSnapshots(snapshots: Snapshot[]): Snapshot[] {
  return [...snapshots].sort((a, b) => a.at - b.at || b.seq - a.seq);
}

/** Reads the lifecycle of one record from its ordered snapshots. */
export function readLifecycle(ordered: Snapshot[], current: Status): Lifecycle {
  const transitions: Transition[] = [];
  let previous: Snapshot | undefined;
  let reopens = 0;
  for (const snap of ordered) {
    if (snap.deleted) continue;
    const moved = previous && previous.path !== snap.path ? previous.path : undefined;
    if (snap.status !== previous?.status || moved) {
      transitions.push({
        from: previous?.status,
        to: snap.status ?? '?',
        at: snap.at,
        author: snap.author,
        commit: snap.commit,
        path: snap.path,
        previousPath: moved,
        subject: snap.subject,
      });
      if (
        rank(previous?.status) >= RESOLVED &&
        rank(snap.status) >= 0 &&
        rank(snap.status) < RESOLVED
      )
        reopens++;
    }
    previous = snap;
  }
  const everResolved = rank(current) >= RESOLVED || ordered.some((s) => rank(s.status) >= RESOLVED);
  return { transitions, reopens, everResolved, derived: derive(ordered, current) };
}

function derive(ordered: Snapshot[], current: Status): Partial<Record<TimeField, number>> {
  const live = ordered.filter((s) => !s.deleted);
  const derived: Partial<Record<TimeField, number>> = {};
  if (live.length === 0) return derived;

  derived.detected_at = live[0].at;
  const ack = live.find((s) => s.status === 'investigating' || (s.assignee ?? '') !== '');
  if (ack) derived.acknowledged_at = ack.at;
  const closed = live.find((s) => s.status === 'closed');
  if (closed && current === 'closed') derived.closed_at = closed.at;
  if (rank(current) >= RESOLVED) {
    const resolved = latestMoveToResolved(live);
    if (resolved !== undefined) derived.resolved_at = resolved;
  }
  return derived;
}

/** The author date of the latest commit that moved the record into resolved (or closed). */
function latestMoveToResolved(live: Snapshot[]): number | undefined {
  let at: number | undefined;
  let before = -1;
  for (const snap of live) {
    const now = rank(snap.status);
    if (now >= RESOLVED && before < RESOLVED) at = snap.at;
    before = now;
  }
  return at;
}
