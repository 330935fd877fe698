import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  formatLocal,
  formatTimestamp,
  isValidTimeZone,
  localParts,
  localToInstant,
  parseTimestamp,
  zoneOffsetMinutes,
} from '../../src/core/time';

const BERLIN = 'Europe/Berlin';

function at(text: string, zone?: string): number {
  const parsed = parseTimestamp(text, zone);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  return parsed.at;
}

function reason(text: string, zone?: string): string {
  const parsed = parseTimestamp(text, zone);
  assert.ok(!parsed.ok, `${text} should be refused`);
  return parsed.reason;
}

describe('time', () => {
  describe('isValidTimeZone', () => {
    it('accepts IANA names and UTC, refuses the rest', () => {
      assert.equal(isValidTimeZone('UTC'), true);
      assert.equal(isValidTimeZone('Europe/Berlin'), true);
      assert.equal(isValidTimeZone('America/New_York'), true);
      assert.equal(isValidTimeZone('Europe/Berln'), false);
      assert.equal(isValidTimeZone('+02:00'), false);
      assert.equal(isValidTimeZone(''), false);
    });
  });

  describe('B01: offset-less timestamps read in the repository zone', () => {
    // Europe/Berlin is UTC+2 (CEST) on 2024-07-01, so local − 2 h = UTC.
    it('reads "2024-07-01 08:00" (no seconds, space) as 06:00Z', () => {
      const parsed = parseTimestamp('2024-07-01 08:00', BERLIN);
      assert.deepEqual(parsed, {
        ok: true,
        at: Date.UTC(2024, 6, 1, 6, 0),
        offsetless: true,
        dateOnly: false,
      });
    });

    it('reads "2024-07-01T08:20:00" as 06:20Z, not as UTC', () => {
      assert.equal(at('2024-07-01T08:20:00', BERLIN), Date.UTC(2024, 6, 1, 6, 20));
    });

    it('keeps an explicit offset: 10:05+02:00 is 08:05Z whatever the zone', () => {
      const parsed = parseTimestamp('2024-07-01T10:05:00+02:00', BERLIN);
      assert.deepEqual(parsed, {
        ok: true,
        at: Date.UTC(2024, 6, 1, 8, 5),
        offsetless: false,
        dateOnly: false,
      });
      assert.equal(at('2024-07-01T10:05:00+02:00', 'UTC'), Date.UTC(2024, 6, 1, 8, 5));
    });

    it('flags a date-only value and reads it as the start of the day in the zone', () => {
      const parsed = parseTimestamp('2024-07-01', BERLIN);
      // 2024-07-01 00:00 CEST = 2024-06-30 22:00Z, never midnight UTC.
      assert.deepEqual(parsed, {
        ok: true,
        at: Date.UTC(2024, 5, 30, 22, 0),
        offsetless: true,
        dateOnly: true,
      });
    });

    it('gives MTTA 20 min and time to resolve 2 h 05 min in the case file', () => {
      const detected = at('2024-07-01 08:00', BERLIN);
      // 06:20Z − 06:00Z = 20 min; 08:05Z − 06:00Z = 125 min.
      assert.equal((at('2024-07-01T08:20:00', BERLIN) - detected) / 60_000, 20);
      assert.equal((at('2024-07-01T10:05:00+02:00', BERLIN) - detected) / 60_000, 125);
    });

    it('refuses offset-less values when the repository has no timezone, saying what to do', () => {
      for (const text of ['2024-07-01 08:00', '2024-07-01']) {
        const why = reason(text, undefined);
        assert.match(why, new RegExp(`"${text}"`));
        assert.match(why, /no `timezone` setting/);
        assert.match(why, /add an offset/);
        assert.match(why, /\.incidents\.yml/);
      }
    });

    it('gives the same instants when the machine zone is America/Los_Angeles', () => {
      const module = join(__dirname, '../../src/core/time.js');
      const script = `
        const t = require(${JSON.stringify(module)});
        const read = (s) => t.parseTimestamp(s, 'Europe/Berlin').at;
        process.stdout.write(JSON.stringify({
          machineOffset: new Date(Date.UTC(2024, 6, 1)).getTimezoneOffset(),
          values: ['2024-07-01 08:00', '2024-07-01T08:20:00', '2024-07-01T10:05:00+02:00',
            '2024-07-01'].map(read),
        }));`;
      const run = (tz: string) =>
        JSON.parse(
          execFileSync(process.execPath, ['-e', script], {
            env: { ...process.env, TZ: tz },
            encoding: 'utf8',
          }),
        );

      const la = run('America/Los_Angeles');
      const utc = run('UTC');
      // PDT is UTC−7, so getTimezoneOffset is +420: proves the child really ran in LA time.
      assert.equal(la.machineOffset, 420);
      assert.equal(utc.machineOffset, 0);
      const expected = [
        Date.UTC(2024, 6, 1, 6, 0),
        Date.UTC(2024, 6, 1, 6, 20),
        Date.UTC(2024, 6, 1, 8, 5),
        Date.UTC(2024, 5, 30, 22, 0),
      ];
      assert.deepEqual(la.values, expected);
      assert.deepEqual(utc.values, expected);
    });
  });

  describe('parseTimestamp forms', () => {
    it('accepts Z, ±HH:MM, ±HHMM, ±HH and fractions of a second', () => {
      const base = Date.UTC(2024, 6, 1, 8, 0);
      assert.equal(at('2024-07-01T08:00:00Z'), base);
      assert.equal(at('2024-07-01T08:00Z'), base);
      // 13:30 at +05:30 is 08:00Z; 03:00 at −05 is 08:00Z.
      assert.equal(at('2024-07-01T13:30:00+05:30'), base);
      assert.equal(at('2024-07-01T13:30:00+0530'), base);
      assert.equal(at('2024-07-01T03:00:00-05'), base);
      assert.equal(at('2024-07-01T08:00:00.25Z'), base + 250);
      assert.equal(at('2024-07-01T08:00:00.123456Z'), base + 123);
    });

    it('reads 24:00 as the end of the day', () => {
      assert.equal(at('2024-07-01T24:00:00Z'), Date.UTC(2024, 6, 2, 0, 0));
    });

    it('refuses out-of-range fields, quoting the text and giving an example', () => {
      const cases: [string, RegExp][] = [
        ['2024-13-01T08:00:00Z', /month 13/],
        ['2024-02-30', /day 30; 2024-02 has days 01–29/],
        ['2023-02-29', /day 29; 2023-02 has days 01–28/],
        ['2024-07-01T24:01:00Z', /hour 24/],
        ['2024-07-01T08:60:00Z', /minute 60/],
        ['2024-07-01T08:00:60Z', /second 60/],
        ['2024-07-01T08:00:00+24:00', /offset/],
        ['2024-07-01T8:00:00Z', /not an ISO 8601 timestamp/],
        ['yesterday', /not an ISO 8601 timestamp/],
      ];
      for (const [text, pattern] of cases) {
        const why = reason(text, 'UTC');
        assert.match(why, pattern, text);
        assert.ok(why.includes(`"${text}"`), why);
        assert.match(why, /e\.g\. 2024-07-01T08:00:00Z/);
      }
    });
  });

  describe('DST in Europe/Berlin', () => {
    it('knows the offsets either side of 2024-03-31 and 2024-10-27', () => {
      assert.equal(zoneOffsetMinutes(BERLIN, Date.UTC(2024, 2, 31, 0, 59)), 60);
      assert.equal(zoneOffsetMinutes(BERLIN, Date.UTC(2024, 2, 31, 1, 0)), 120);
      assert.equal(zoneOffsetMinutes(BERLIN, Date.UTC(2024, 9, 27, 0, 59)), 120);
      assert.equal(zoneOffsetMinutes(BERLIN, Date.UTC(2024, 9, 27, 1, 0)), 60);
    });

    it('moves a time in the spring gap forward by the gap', () => {
      // 02:30 does not exist on 2024-03-31; read with the CET offset it is 01:30Z = 03:30 CEST.
      const instant = localToInstant(
        { year: 2024, month: 3, day: 31, hour: 2, minute: 30, second: 0 },
        BERLIN,
      );
      assert.equal(instant, Date.UTC(2024, 2, 31, 1, 30));
      assert.equal(formatTimestamp(instant, BERLIN), '2024-03-31T03:30:00+02:00');
    });

    it('takes the earlier instant of an ambiguous autumn time', () => {
      // 02:30 happens twice on 2024-10-27: 00:30Z (CEST, +2) and 01:30Z (CET, +1).
      const instant = localToInstant(
        { year: 2024, month: 10, day: 27, hour: 2, minute: 30, second: 0 },
        BERLIN,
      );
      assert.equal(instant, Date.UTC(2024, 9, 27, 0, 30));
    });

    it('round-trips each side of the transitions', () => {
      const instants = [
        Date.UTC(2024, 2, 31, 0, 59),
        Date.UTC(2024, 2, 31, 1, 0),
        Date.UTC(2024, 9, 27, 0, 30),
        Date.UTC(2024, 9, 27, 1, 30),
      ];
      for (const instant of instants) {
        assert.equal(at(formatTimestamp(instant, BERLIN)), instant);
      }
      assert.equal(
        formatTimestamp(Date.UTC(2024, 9, 27, 1, 30), BERLIN),
        '2024-10-27T02:30:00+01:00',
      );
    });
  });

  describe('localParts and formatting', () => {
    it('gives the wall-clock time and weekday in a zone', () => {
      // 2024-06-14 20:30Z is 16:30 EDT (UTC−4), a Friday.
      assert.deepEqual(localParts(Date.UTC(2024, 5, 14, 20, 30), 'America/New_York'), {
        year: 2024,
        month: 6,
        day: 14,
        hour: 16,
        minute: 30,
        second: 0,
        weekday: 5,
      });
    });

    it('writes Z in UTC, the offset elsewhere, milliseconds only when non-zero', () => {
      const instant = Date.UTC(2024, 7, 5, 14, 6);
      assert.equal(formatTimestamp(instant), '2024-08-05T14:06:00Z');
      assert.equal(formatTimestamp(instant, BERLIN), '2024-08-05T16:06:00+02:00');
      assert.equal(formatTimestamp(instant, 'America/New_York'), '2024-08-05T10:06:00-04:00');
      assert.equal(formatTimestamp(instant + 7), '2024-08-05T14:06:00.007Z');
      assert.equal(
        formatTimestamp(Date.UTC(2024, 0, 5), 'Europe/London'),
        '2024-01-05T00:00:00+00:00',
      );
    });

    it('writes a local time for tables', () => {
      assert.equal(formatLocal(Date.UTC(2024, 7, 5, 14, 6), BERLIN), '2024-08-05 16:06');
    });
  });
});
