/**
 * Instants and wall-clock times. An instant is epoch milliseconds (`number`); a wall-clock
 * time only becomes an instant together with a time zone. Nothing here reads the machine's
 * own zone: `new Date(string)` does, so timestamps are parsed digit by digit instead.
 */

/** A calendar date, month 1–12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock date and time in some zone. */
export interface LocalDateTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

/** A wall-clock time with its weekday, 0 = Sunday … 6 = Saturday. */
export interface LocalParts extends LocalDateTime {
  weekday: number;
}

/** The result of reading one timestamp. */
export type ParsedTimestamp =
  | { ok: true; at: number; offsetless: boolean; dateOnly: boolean }
  | { ok: false; reason: string };

/** A valid timestamp to show next to a problem. */
export const TIMESTAMP_EXAMPLE = '2024-07-01T08:00:00Z';

const MINUTE = 60_000;
const DAY = 86_400_000;
const DATE = String.raw`(\d{4})-(\d{2})-(\d{2})`;
const CLOCK = String.raw`(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?`;
const OFFSET = String.raw`(Z|z|[+-]\d{2}(?::?\d{2})?)`;
const TIMESTAMP = new RegExp(`^${DATE}(?:[Tt ]${CLOCK} ?${OFFSET}?)?$`);
const formatters = new Map<string, Intl.DateTimeFormat>();

/** True for an IANA zone name Intl knows (`Europe/Berlin`) and for `UTC`. */
export function isValidTimeZone(zone: string): boolean {
  // Intl also takes offsets such as `+01:00` on some Node versions; the spec wants names.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;

  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `at`, in minutes east of Greenwich. */
export function zoneOffsetMinutes(zone: string, at: number): number {
  return offsetMs(zone, at) / MINUTE;
}

/** The wall-clock time and weekday at instant `at` in `zone`. */
export function localParts(at: number, zone: string): LocalParts {
  const wall = at + offsetMs(zone, at);
  const date = new Date(wall);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    weekday: date.getUTCDay(),
  };
}

/**
 * The instant a wall-clock time in `zone` stands for. Fields may overflow (hour 24 is the
 * next day's 00:00). A time skipped by a DST gap moves forward by the gap (02:30 on the
 * spring-forward night in Berlin is 03:30 CEST); a time that occurs twice when clocks go
 * back takes the earlier instant (the first 02:30, still in summer time).
 */
export function localToInstant(parts: LocalDateTime, zone: string): number {
  const wall = wallMs(parts);

  // Limitation: assumes at most one offset change within a day either side — true of the
  // zones in use today, and checking more candidates would double the Intl calls.
  const before = offsetMs(zone, wall - DAY);
  const after = offsetMs(zone, wall + DAY);
  const fitsBefore = offsetMs(zone, wall - before) === before;
  const fitsAfter = offsetMs(zone, wall - after) === after;

  if (fitsBefore && fitsAfter) return wall - Math.max(before, after);
  if (fitsBefore) return wall - before;
  if (fitsAfter) return wall - after;
  return wall - before;
}

/**
 * Reads an ISO 8601 timestamp: `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z`, `±HH:MM`, `±HHMM`
 * or `±HH`, a space instead of `T`, or a date alone. A value without an offset is read in
 * `zone`; a date alone is the start of that day in `zone`. Without a zone, both are refused.
 */
export function parseTimestamp(text: string, zone: string | undefined): ParsedTimestamp {
  const value = text.trim();
  const match = value.match(TIMESTAMP);
  if (!match) return fail(value, 'is not an ISO 8601 timestamp');

  const [, y, mo, d, h, mi, s, frac, offset] = match;
  const parts = { year: +y, month: +mo, day: +d, hour: +(h ?? 0), minute: +(mi ?? 0) };
  const fields = { ...parts, second: +(s ?? 0) };
  const millis = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  const wrong = fieldError(fields, millis);
  if (wrong) return fail(value, wrong);

  const dateOnly = h === undefined;
  if (offset !== undefined) {
    const minutes = offsetMinutes(offset);
    if (minutes === undefined) return fail(value, `has an out-of-range offset ${offset}`);
    return {
      ok: true,
      at: wallMs(fields) + millis - minutes * MINUTE,
      offsetless: false,
      dateOnly,
    };
  }

  if (zone === undefined) {
    const reason =
      `"${value}" has no UTC offset and the repository has no \`timezone\` setting: ` +
      `add an offset (${TIMESTAMP_EXAMPLE} or 2024-07-01T10:00:00+02:00) ` +
      'or set `timezone` in .incidents.yml (e.g. `timezone: Europe/Berlin`)';
    return { ok: false, reason };
  }
  return { ok: true, at: localToInstant(fields, zone) + millis, offsetless: true, dateOnly };
}

/**
 * Writes an instant as ISO 8601 with seconds: `2024-08-05T14:06:00Z` in UTC,
 * `2024-08-05T16:06:00+02:00` elsewhere; milliseconds only when there are some.
 */
export function formatTimestamp(at: number, zone = 'UTC'): string {
  if (!Number.isFinite(at)) throw new RangeError(`not an instant: ${at}`);

  const offset = zone === 'UTC' ? 0 : offsetMs(zone, at);
  // Historical local mean times have offsets in seconds that ±HH:MM cannot write.
  if (offset % MINUTE !== 0) return formatTimestamp(at, 'UTC');

  const p = localParts(at, zone);
  const ms = ((at % 1000) + 1000) % 1000;
  const fraction = ms === 0 ? '' : `.${pad(ms, 3)}`;
  const time = `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${fraction}`;
  return `${formatDate(p)}T${time}${zone === 'UTC' ? 'Z' : formatOffset(offset / MINUTE)}`;
}

/** Writes an instant as `2024-08-05 16:06` in `zone`, for tables a person reads. */
export function formatLocal(at: number, zone: string): string {
  const p = localParts(at, zone);
  return `${formatDate(p)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** Writes a date as `YYYY-MM-DD`. */
export function formatDate(date: CivilDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** Reads a `YYYY-MM-DD` date, or undefined when it is not a real calendar date. */
export function parseDate(text: string): CivilDate | undefined {
  const match = text.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!match) return undefined;

  const date = { year: +match[1], month: +match[2], day: +match[3] };
  const valid = date.month >= 1 && date.month <= 12 && date.day >= 1;
  return valid && date.day <= daysInMonth(date.year, date.month) ? date : undefined;
}

/** The date `days` calendar days after `date` (before, when negative). */
export function addDays(date: CivilDate, days: number): CivilDate {
  const moved = new Date(wallMs({ ...date, hour: 0, minute: 0, second: 0 }) + days * DAY);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** The weekday of a calendar date, 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: CivilDate): number {
  return new Date(wallMs({ ...date, hour: 0, minute: 0, second: 0 })).getUTCDay();
}

/** Number of days in a month (1–12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function fieldError(f: LocalDateTime, millis: number): string | undefined {
  if (f.year < 1) return 'has year 0000; years start at 0001';
  if (f.month < 1 || f.month > 12) return `has month ${pad(f.month)}; months are 01–12`;
  const last = daysInMonth(f.year, f.month);
  if (f.day < 1 || f.day > last) {
    return `has day ${pad(f.day)}; ${f.year}-${pad(f.month)} has days 01–${last}`;
  }
  // 24:00 is the end of the day in ISO 8601 (before 2019); 24:01 is nothing.
  const endOfDay = f.hour === 24 && f.minute === 0 && f.second === 0 && millis === 0;
  if (f.hour > 23 && !endOfDay) return `has hour ${pad(f.hour)}; hours are 00–23`;
  if (f.minute > 59) return `has minute ${pad(f.minute)}; minutes are 00–59`;
  if (f.second > 59) return `has second ${pad(f.second)}; seconds are 00–59`;
  return undefined;
}

function offsetMinutes(offset: string): number | undefined {
  if (offset === 'Z' || offset === 'z') return 0;

  const digits = offset.slice(1).replace(':', '');
  const hours = +digits.slice(0, 2);
  const minutes = digits.length > 2 ? +digits.slice(2) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return (offset[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function fail(value: string, what: string): ParsedTimestamp {
  const reason = `"${value}" ${what}; expected e.g. ${TIMESTAMP_EXAMPLE} or 2024-07-01`;
  return { ok: false, reason };
}

/** The wall-clock time read as if it were UTC; `Date.UTC` alone maps years 0–99 to 19xx. */
function wallMs(p: LocalDateTime): number {
  const date = new Date(Date.UTC(2000, 0, 1));
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  return date.getTime() + ((p.hour * 60 + p.minute) * 60 + p.second) * 1000;
}

function offsetMs(zone: string, at: number): number {
  if (zone === 'UTC') return 0;

  // Intl drops milliseconds, so compare against the instant truncated to its second.
  const second = Math.floor(at / 1000) * 1000;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(second)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = wallMs({
    year: fields.year,
    month: fields.month,
    day: fields.day,
    hour: fields.hour % 24,
    minute: fields.minute,
    second: fields.second,
  });
  return wall - second;
}

/** Building a DateTimeFormat costs far more than using one, so one is kept per zone. */
function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter) return formatter;

  formatter = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  formatters.set(zone, formatter);
  return formatter;
}

function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
