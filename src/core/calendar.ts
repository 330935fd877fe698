/**
 * Business time: which minutes count towards a `bh`/`bd` SLA. Days are walked one calendar
 * day at a time in the calendar's zone, so a span of months costs a few hundred steps and
 * DST changes fall out of converting each day's opening and closing wall times to instants.
 */
import {
  addDays,
  type CivilDate,
  formatDate,
  isValidTimeZone,
  localParts,
  localToInstant,
  parseDate,
  weekdayOf,
} from './time';

/** What a business calendar is built from. */
export interface CalendarOptions {
  /** IANA time zone the hours and holidays are read in. */
  zone: string;
  /** Business weekdays, 0 = Sunday … 6 = Saturday. */
  days: number[];
  /** Opening time, `HH:MM`. */
  start: string;
  /** Closing time, `HH:MM`, later than `start`; `24:00` is the end of the day. */
  end: string;
  /** Dates (`YYYY-MM-DD`, in `zone`) with no business hours. */
  holidays: string[];
}

const MINUTE = 60_000;

/** Reads `HH:MM` (00:00–24:00) as minutes after midnight, or undefined when malformed. */
export function parseClockTime(text: string): number | undefined {
  const match = text.match(/^(\d{2}):(\d{2})$/);
  if (!match) return undefined;

  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 1440 ? minutes : undefined;
}

/**
 * Business hours on business days that are not holidays, in one zone. Instants are epoch
 * milliseconds; minutes returned are exact (fractional when instants are not whole minutes).
 */
export class BusinessCalendar {
  readonly zone: string;
  readonly days: readonly number[];
  readonly start: string;
  readonly end: string;
  readonly holidays: ReadonlySet<string>;
  /** Length of one business day in minutes (480 for 09:00–17:00): the size of `1bd`. */
  readonly dayMinutes: number;
  private readonly opens: number;
  private readonly closes: number;

  /** Builds a calendar; throws RangeError on an option `parsePolicy` would have reported. */
  constructor(options: CalendarOptions) {
    if (!isValidTimeZone(options.zone)) throw new RangeError(`unknown time zone ${options.zone}`);
    const days = [...new Set(options.days)].sort((a, b) => a - b);
    if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
      throw new RangeError(`business days must be 0–6 and not empty: [${options.days}]`);
    }
    const opens = parseClockTime(options.start);
    const closes = parseClockTime(options.end);
    if (opens === undefined || closes === undefined || closes <= opens) {
      throw new RangeError(
        `business hours must be HH:MM with start < end: ${options.start}–${options.end}`,
      );
    }
    const bad = options.holidays.find((h) => parseDate(h) === undefined);
    if (bad !== undefined) throw new RangeError(`holiday is not a YYYY-MM-DD date: ${bad}`);

    this.zone = options.zone;
    this.days = days;
    this.start = options.start;
    this.end = options.end;
    this.holidays = new Set(options.holidays);
    this.opens = opens;
    this.closes = closes;
    this.dayMinutes = closes - opens;
  }

  /** True when `date` (in the calendar's zone) is a business day and not a holiday. */
  isBusinessDay(date: CivilDate): boolean {
    return this.days.includes(weekdayOf(date)) && !this.holidays.has(formatDate(date));
  }

  /** Business minutes in [from, to); 0 when `to` is not after `from`. */
  businessMinutesBetween(from: number, to: number, limit = Number.POSITIVE_INFINITY): number {
    if (!(to > from)) return 0;

    // Counting stops once past `limit` minutes: an SLA check only asks "more than the
    // target?", and a record open for years would otherwise cost a thousand day windows.
    const cap = limit * MINUTE;
    const last = formatDate(localParts(to, this.zone));
    let total = 0;
    for (let date = dateAt(from, this.zone); formatDate(date) <= last; date = addDays(date, 1)) {
      const window = this.window(date);
      if (!window) continue;
      total += Math.max(0, Math.min(window[1], to) - Math.max(window[0], from));
      if (total > cap) break;
    }
    return total / MINUTE;
  }

  /**
   * The instant at which `minutes` of business time have passed since `from`. A start
   * outside business hours begins at the next opening; a result that lands exactly on a
   * closing time is that closing time, not the next opening.
   */
  addBusinessMinutes(from: number, minutes: number): number {
    if (!Number.isFinite(from) || !Number.isFinite(minutes) || minutes < 0) {
      throw new RangeError(`cannot add ${minutes} business minutes to ${from}`);
    }

    let remaining = Math.round(minutes * MINUTE);
    // Ends: the business days are not empty and holidays are finite, so time keeps accruing.
    for (let date = dateAt(from, this.zone); ; date = addDays(date, 1)) {
      const window = this.window(date);
      if (!window || window[1] <= from) continue;

      const begin = Math.max(window[0], from);
      if (remaining <= window[1] - begin) return begin + remaining;
      remaining -= window[1] - begin;
    }
  }

  /**
   * The opening and closing instants of a date, or undefined on a closed day. Hours that
   * fall in a DST gap move forward, so a window spanning a clock change is an hour shorter
   * or longer in real time. Limitation: `1bd` stays `dayMinutes` on such a day — the target
   * is a number of business minutes, not "until the same wall time".
   */
  private window(date: CivilDate): [number, number] | undefined {
    if (!this.isBusinessDay(date)) return undefined;

    const at = (minutes: number) =>
      localToInstant(
        { ...date, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0 },
        this.zone,
      );
    return [at(this.opens), at(this.closes)];
  }
}

function dateAt(at: number, zone: string): CivilDate {
  const { year, month, day } = localParts(at, zone);
  return { year, month, day };
}
