/**
 * A record's SLA clock and age in words for lists, tooltips and status bars: "respond due
 * in 12m", "resolve breached by 2h 05m", "resolve met".
 */
import { formatMinutes } from './duration';
import { isOpen } from './lifecycle';
import type { Policy } from './policy';
import { calendarFor } from './policy';
import type { Incident } from './record';
import { currentSla, type SlaClock } from './recordSla';

/** The clock of a record with its wording; `text` is empty when there is nothing to say. */
export interface SlaDescription {
  clock?: SlaClock;
  text: string;
}

/** Describes the record's current SLA clock at `now`. */
export function describeSla(incident: Incident, policy: Policy, now: number): SlaDescription {
  const clock = currentSla(incident, incident.times, policy, calendarFor(policy), now);
  return { clock, text: clock ? slaWords(clock, isOpen(incident.status), now) : '' };
}

/** The words for a clock: met, due in, breached by (or just breached once closed). */
export function slaWords(clock: SlaClock, open: boolean, now: number): string {
  if (clock.state === 'no-target') return '';
  if (clock.state === 'met') return `${clock.kind} met`;
  if (clock.due === undefined) return `${clock.kind} ${clock.state}`;
  const minutes = Math.round((clock.due - now) / 60_000);
  if (clock.state === 'pending') return `${clock.kind} due in ${formatMinutes(minutes)}`;
  if (!open) return `${clock.kind} breached`;
  return `${clock.kind} breached by ${formatMinutes(-minutes)}`;
}

/** Time since detection, `45m`, `2h 05m`, `3d 4h 10m`; empty without a detection time. */
export function ageText(incident: Incident, now: number): string {
  const detected = incident.times.detected_at;
  return detected === undefined ? '' : formatMinutes(Math.max(0, (now - detected) / 60_000));
}
