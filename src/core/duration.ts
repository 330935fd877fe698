/**
 * SLA durations as written in `.incidents.yml`: `15m`, `4h`, `2d` are clock time; `8bh`
 * (business hours) and `1bd` (business days) count only time inside business hours.
 */

/** `m`, `h`, `d`: clock minutes, hours, days; `bh`, `bd`: business hours, business days. */
export type DurationUnit = 'm' | 'h' | 'd' | 'bh' | 'bd';

/** A parsed duration; `text` is what was written, for messages and round-trips. */
export interface Duration {
  amount: number;
  unit: DurationUnit;
  text: string;
}

/** The result of reading one duration. */
export type ParsedDuration = { ok: true; duration: Duration } | { ok: false; reason: string };

/** The forms a duration may take, for messages. */
export const DURATION_EXPECTED =
  'a number and a unit: m, h, d (clock time) or bh, bd (business hours, business days)';

/** A valid duration to show next to a problem. */
export const DURATION_EXAMPLE = '4h';

const CLOCK_MINUTES: Record<'m' | 'h' | 'd', number> = { m: 1, h: 60, d: 1440 };
const SIMPLE = /^(\d+(?:\.\d+)?) ?(m|h|d|bh|bd)$/;
const COMPOUND = /^(?:(\d+(?:\.\d+)?)d ?)?(?:(\d+(?:\.\d+)?)h ?)?(?:(\d+(?:\.\d+)?)m)?$/;

/**
 * Reads `15m`, `1.5h`, `2d`, `8bh`, `1bd`, or a compound of clock units from the largest
 * down (`1h30m`, `2d 4h`), which becomes a number of minutes (`unit: 'm'`).
 */
export function parseDuration(text: string): ParsedDuration {
  const value = text.trim().toLowerCase();

  const simple = value.match(SIMPLE);
  if (simple) {
    const duration = { amount: Number(simple[1]), unit: simple[2] as DurationUnit, text: value };
    return { ok: true, duration };
  }

  // Business units are left out of compounds: `1bd4bh` mixes units only a calendar can add.
  const compound = value.match(COMPOUND);
  if (compound && value !== '') {
    const [, d, h, m] = compound.map((part) => Number(part ?? 0));
    const amount = d * CLOCK_MINUTES.d + h * CLOCK_MINUTES.h + m;
    return { ok: true, duration: { amount, unit: 'm', text: value } };
  }

  const reason = `"${text}" is not a duration; expected ${DURATION_EXPECTED}, e.g. 15m, 4h, 1bd`;
  return { ok: false, reason };
}

/** True for durations counted in business time (`bh`, `bd`). */
export function isBusiness(duration: Duration): boolean {
  return duration.unit === 'bh' || duration.unit === 'bd';
}

/** The clock minutes of an `m`, `h` or `d` duration; business durations need a calendar. */
export function clockMinutes(duration: Duration): number {
  if (duration.unit === 'bh' || duration.unit === 'bd') {
    throw new RangeError(`${duration.text} is business time; its length needs a calendar`);
  }
  return duration.amount * CLOCK_MINUTES[duration.unit];
}

/** Writes minutes for people: `0m`, `45m`, `2h 05m`, `3d 4h 10m`, `-1h 00m`. */
export function formatMinutes(minutes: number): string {
  const whole = Math.round(Math.abs(minutes));
  const sign = minutes < 0 && whole > 0 ? '-' : '';

  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  if (days > 0) return `${sign}${days}d ${hours}h ${rest}m`;
  if (hours > 0) return `${sign}${hours}h ${rest}m`;
  return `${sign}${whole}m`;
}
