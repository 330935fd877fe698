/**
 * SLA targets applied to one incident: how much of a target's kind of time has passed,
 * when it falls due, and whether it was met. Clock targets (`m`, `h`, `d`) count every
 * minute; business targets (`bh`, `bd`) count only the calendar's business minutes.
 */
import type { BusinessCalendar } from './calendar';
import { clockMinutes, type Duration, isBusiness } from './duration';

/** `no-target`: the priority has no target of this kind. */
export type SlaState = 'met' | 'breached' | 'pending' | 'no-target';

const MINUTE = 60_000;

/**
 * Minutes from `from` to `to` as the target counts them: clock minutes for m/h/d, business
 * minutes for bh/bd. 0 when `to` is not after `from`; callers flag such records themselves.
 */
export function elapsedMinutes(
  duration: Duration,
  calendar: BusinessCalendar,
  from: number,
  to: number,
  limit?: number,
): number {
  if (isBusiness(duration)) return calendar.businessMinutesBetween(from, to, limit);
  return Math.max(0, (to - from) / MINUTE);
}

/** The target in minutes of its own kind: `1bd` is one business day (`dayMinutes`). */
export function targetMinutes(duration: Duration, calendar: BusinessCalendar): number {
  if (duration.unit === 'bd') return duration.amount * calendar.dayMinutes;
  if (duration.unit === 'bh') return duration.amount * 60;
  return clockMinutes(duration);
}

/**
 * The deadline: for business targets the instant the target's business minutes have
 * passed, counted from the next opening when `from` is outside hours.
 */
export function dueAt(duration: Duration, calendar: BusinessCalendar, from: number): number {
  const minutes = targetMinutes(duration, calendar);
  if (isBusiness(duration)) return calendar.addBusinessMinutes(from, minutes);
  return from + Math.round(minutes * MINUTE);
}

/**
 * Met when `done − from`, counted as the target counts, is within the target; breached
 * when it is over, or when not done and the time so far is already over; pending otherwise.
 */
export function slaState(
  duration: Duration | undefined,
  calendar: BusinessCalendar,
  from: number,
  done: number | undefined,
  now: number,
): SlaState {
  if (!duration) return 'no-target';

  // Compared by elapsed time rather than against dueAt: a business deadline that lands on
  // a closing time is not passed overnight, because no business minute elapses until the
  // next opening. Whole milliseconds keep `0.57h` (34.199999… minutes) from missing 34:12.
  const target = Math.round(targetMinutes(duration, calendar) * MINUTE);
  // Counting a little past the target is enough to tell met from breached.
  const limit = target / MINUTE + 1;
  const elapsed = (to: number) =>
    Math.round(elapsedMinutes(duration, calendar, from, to, limit) * MINUTE);
  if (done !== undefined) return elapsed(done) <= target ? 'met' : 'breached';
  return elapsed(now) > target ? 'breached' : 'pending';
}
