/**
 * The SLA clock a responder cares about right now for one record: the response target until
 * someone acknowledges it, then the resolution target; due when, and met or breached.
 */
import type { BusinessCalendar } from './calendar';
import { isOpen } from './lifecycle';
import type { Policy } from './policy';
import type { Incident } from './record';
import { dueAt, slaState, type SlaState } from './sla';

/** The running (or final) SLA clock of a record. */
export interface SlaClock {
  kind: 'respond' | 'resolve';
  state: SlaState;
  /** When the target falls due, if it has one. */
  due?: number;
}

type Times = Incident['times'];

/** The clock that matters for the record now; undefined without priority or detection. */
export function currentSla(
  incident: Pick<Incident, 'priority' | 'status' | 'type'>,
  times: Times,
  policy: Policy,
  calendar: BusinessCalendar,
  now: number,
): SlaClock | undefined {
  const detected = times.detected_at;
  const targets = incident.priority ? policy.priorities[incident.priority] : undefined;
  // Problems and service requests are not held to incident response targets.
  if (!targets || detected === undefined || incident.type !== 'incident') return undefined;

  const open = isOpen(incident.status);
  const responded = times.acknowledged_at;
  if (open && responded === undefined) {
    const target = targets.respond;
    return {
      kind: 'respond',
      state: slaState(target, calendar, detected, undefined, now),
      due: target ? dueAt(target, calendar, detected) : undefined,
    };
  }
  const target = targets.resolve;
  const done = open ? undefined : (times.resolved_at ?? times.closed_at);
  return {
    kind: 'resolve',
    state: slaState(target, calendar, detected, done, now),
    due: target ? dueAt(target, calendar, detected) : undefined,
  };
}
