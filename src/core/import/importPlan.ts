/**
 * Which events of which incidents an import still has to write, and the commit each becomes.
 * An incident is continued only where the previous import left it: when its file no longer
 * holds what that import wrote (a person edited or moved it), its new events are reported
 * and left out rather than written over the person's work.
 */
import { type ReadOptions, readRecord, type Status } from '../record';
import { zoneOffsetMinutes } from '../time';
import type { FastCommit } from './fastImport';
import { blobId, renderImported } from './recordText';
import type { ImportEvent, ImportKind, SourceIncident, SourceListener } from './source';
import { EVENT_TRAILER, importedEvents, recordBlobs, type Target } from './target';

/** One incident as this import goes along. */
export interface IncidentPlan {
  incident: SourceIncident;
  path: string;
  /** Events already imported by earlier runs. */
  imported: number;
  /** The record's current text (undefined: no file) and status. */
  content?: string;
  status?: Status;
  priority?: string;
  committed: boolean;
}

/** One event to replay. */
export interface Planned {
  plan: IncidentPlan;
  /** 1-based position among the incident's events: what the trailer records. */
  index: number;
  event: ImportEvent;
}

/** A commit ready for the writer, without its committer. */
export type PlannedCommit = Omit<FastCommit, 'committer' | 'committerAt'> & {
  isNew: boolean;
  firstUpdate: boolean;
};

/** Plans the events not yet imported, oldest first across all incidents. */
export async function planImport(
  target: Target,
  kind: ImportKind,
  incidents: SourceIncident[],
  listener: SourceListener,
): Promise<{ commits: Planned[] }> {
  const imported = await importedEvents(target, kind);
  const blobs = await recordBlobs(target);
  const zone = target.policy.timezone;
  const commits: Planned[] = [];
  for (const incident of incidents) {
    const done = imported.get(incident.key) ?? 0;
    if (done >= incident.events.length) continue;
    const path = recordPathFor(target, kind, incident.id, incident.firstAt);
    const plan: IncidentPlan = { incident, path, imported: done, committed: false };
    const state = done > 0 ? incident.events[done - 1].state : null;
    const expected = state ? renderImported(incident.id, state, zone) : undefined;
    const expectedBlob = expected === undefined ? undefined : blobId(expected, target.objectFormat);
    if (blobs.get(path) !== expectedBlob) {
      const what =
        done > 0 ? 'was changed or moved since it was imported' : 'exists and was not imported';
      const count = incident.events.length - done;
      listener.issue({
        where: path,
        reason: `${incident.id}: the file ${what}; its ${count} new event(s) are left out`,
        action: 'skipped',
      });
      continue;
    }
    Object.assign(plan, { content: expected, status: state?.status, priority: state?.priority });
    for (let index = done + 1; index <= incident.events.length; index++) {
      commits.push({ plan, index, event: incident.events[index - 1] });
    }
  }
  // Stable: equal times keep the incident order and each incident's event order.
  commits.sort((a, b) => a.event.at - b.event.at);
  return { commits };
}

/**
 * Where a record goes: `<dir>/YYYY/MM/<id>.md` by the month it first appeared (UTC), as
 * `new` files them. ServiceNow exports hold thousands of tickets a month, and git rewrites a
 * folder's whole tree in every commit: 9,000-entry month folders made the full log import
 * five times slower and its repository three times larger, so they get a day level too.
 */
export function recordPathFor(target: Target, kind: ImportKind, id: string, at: number): string {
  const dir = target.policy.directory;
  if (target.policy.layout === 'flat') return `${dir}/${id}.md`;
  const date = new Date(at).toISOString().slice(0, kind === 'servicenow' ? 10 : 7);
  return `${dir}/${date.replaceAll('-', '/')}/${id}.md`;
}

/** The commit of one event, or undefined when it changes nothing or would be invalid. */
export function commitFor(
  item: Planned,
  kind: ImportKind,
  options: { zone: string; readOptions: ReadOptions },
  listener: SourceListener,
): PlannedCommit | undefined {
  const { plan, event, index } = item;
  const { id, key } = plan.incident;
  const trailer = `${EVENT_TRAILER}: ${kind} ${key} ${index}`;
  const base = {
    author: event.author,
    authorAt: event.at,
    authorOffset: zoneOffsetMinutes(options.zone, event.at),
    isNew: !plan.committed && plan.imported === 0,
    firstUpdate: !plan.committed && plan.imported > 0,
  };
  if (event.state === null) {
    if (plan.content === undefined) return undefined;
    const message =
      `${id}: deleted\n\nThe source removed it (${event.origin}).\n\n` +
      `Incident-Id: ${id}\n${trailer}\n`;
    Object.assign(plan, { content: undefined, status: undefined, committed: true });
    return { ...base, isNew: false, message, changes: [{ path: plan.path, deleted: true }] };
  }

  const content = renderImported(id, event.state, options.zone);
  if (content === plan.content) return undefined;
  const result = readRecord(plan.path, content, options.readOptions);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (!result.incident || errors.length > 0) {
    const why = errors.map((p) => `${p.field ?? 'record'}: ${p.message}`).join('; ');
    listener.issue({ where: event.origin, reason: `${id}: ${why}`, action: 'skipped' });
    return undefined;
  }
  const from = plan.status;
  const to = event.state.status;
  const subject = subjectOf(id, from, to, plan.priority, event.state.priority);
  const transition = from !== to ? `Incident-Transition: ${from ?? 'none'} -> ${to}\n` : '';
  const message =
    `${subject}\n\nImported from ${kind}: ${event.origin}.\n\n` +
    `Incident-Id: ${id}\n${transition}${trailer}\n`;
  Object.assign(plan, { content, status: to, priority: event.state.priority, committed: true });
  return { ...base, message, changes: [{ path: plan.path, content }] };
}

const DONE = new Set(['resolved', 'closed']);

function subjectOf(
  id: string,
  from: Status | undefined,
  to: Status,
  before: string | undefined,
  after: string | undefined,
): string {
  if (from === undefined) return `${id}: imported as ${to}${after ? ` (${after})` : ''}`;
  if (from !== to) {
    const reopen = DONE.has(from) && !DONE.has(to) ? ' (reopened)' : '';
    return `${id}: ${from} → ${to}${reopen}`;
  }
  if (before !== after) return `${id}: priority ${before ?? 'none'} → ${after ?? 'none'}`;
  return `${id}: updated`;
}
