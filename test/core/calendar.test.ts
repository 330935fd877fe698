import { strict as assert } from 'node:assert';
import { BusinessCalendar, parseClockTime } from '../../src/core/calendar';
import { parseTimestamp } from '../../src/core/time';

const NEW_YORK = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const WEEKDAYS = [1, 2, 3, 4, 5];

function at(text: string): number {
  const parsed = parseTimestamp(text, undefined);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  return parsed.at;
}

function calendar(
  zone: string,
  extra: Partial<{ holidays: string[]; days: number[]; start: string; end: string }> = {},
): BusinessCalendar {
  return new BusinessCalendar({
    zone,
    days: WEEKDAYS,
    start: '09:00',
    end: '17:00',
    holidays: [],
    ...extra,
  });
}

describe('BusinessCalendar', () => {
  const ny = calendar(NEW_YORK);

  it('has a business day of end − start minutes', () => {
    assert.equal(ny.dayMinutes, 480); // 17:00 − 09:00 = 8 × 60
    assert.equal(calendar('UTC', { start: '00:00', end: '24:00' }).dayMinutes, 1440);
  });

  it('reads HH:MM clock times up to 24:00', () => {
    assert.equal(parseClockTime('09:30'), 570);
    assert.equal(parseClockTime('24:00'), 1440);
    assert.equal(parseClockTime('24:01'), undefined);
    assert.equal(parseClockTime('9:30'), undefined);
  });

  it('refuses options that make no calendar', () => {
    assert.throws(() => calendar('Mars/Olympus'), RangeError);
    assert.throws(() => calendar('UTC', { days: [] }), RangeError);
    assert.throws(() => calendar('UTC', { start: '17:00', end: '09:00' }), RangeError);
    assert.throws(() => calendar('UTC', { holidays: ['2024-02-30'] }), RangeError);
  });

  describe('B15: P3 across a weekend, 09:00–17:00 America/New_York', () => {
    it('counts Fri 16:30 → Mon 11:00 as 150 business minutes, not 66 h 30 min', () => {
      // 30 min (Fri 16:30–17:00) + 120 min (Mon 09:00–11:00) = 150.
      const minutes = ny.businessMinutesBetween(
        at('2024-06-14T16:30:00-04:00'),
        at('2024-06-17T11:00:00-04:00'),
      );
      assert.equal(minutes, 150);
    });

    it('counts Sat 10:00 → Mon 15:00 as 360 business minutes: the clock starts Mon 09:00', () => {
      // Mon 09:00–15:00 = 6 × 60 = 360.
      const minutes = ny.businessMinutesBetween(
        at('2024-06-15T10:00:00-04:00'),
        at('2024-06-17T15:00:00-04:00'),
      );
      assert.equal(minutes, 360);
    });

    it('puts 1bd (480 business minutes) from Fri 16:30 on Mon 16:30', () => {
      // 30 min on Friday, the remaining 450 min from Mon 09:00 end at 16:30.
      assert.equal(
        ny.addBusinessMinutes(at('2024-06-14T16:30:00-04:00'), 480),
        at('2024-06-17T16:30:00-04:00'),
      );
    });

    it('starts a deadline from outside hours at the next opening', () => {
      // Saturday → Mon 09:00 + 60 min = Mon 10:00.
      assert.equal(
        ny.addBusinessMinutes(at('2024-06-15T10:00:00-04:00'), 60),
        at('2024-06-17T10:00:00-04:00'),
      );
      // Fri 18:00 with 0 minutes left is due at the next opening, Mon 09:00.
      assert.equal(
        ny.addBusinessMinutes(at('2024-06-14T18:00:00-04:00'), 0),
        at('2024-06-17T09:00:00-04:00'),
      );
    });

    it('inverts: the business minutes up to a deadline are the minutes added', () => {
      const from = at('2024-06-14T16:30:00-04:00');
      for (const minutes of [1, 30, 31, 479, 480, 2400, 10_000]) {
        const due = ny.addBusinessMinutes(from, minutes);
        assert.equal(ny.businessMinutesBetween(from, due), minutes, `${minutes} minutes`);
      }
    });
  });

  describe('holidays', () => {
    // 2024-07-04 (Thursday) is a holiday in New York.
    const july = calendar(NEW_YORK, { holidays: ['2024-07-04'] });

    it('leaves a holiday inside a span out', () => {
      // Wed 16:00 → Fri 10:00: 60 (Wed) + 0 (Thu, holiday) + 60 (Fri) = 120; without = 600.
      const from = at('2024-07-03T16:00:00-04:00');
      const to = at('2024-07-05T10:00:00-04:00');
      assert.equal(july.businessMinutesBetween(from, to), 120);
      assert.equal(ny.businessMinutesBetween(from, to), 600);
    });

    it('skips a holiday when adding', () => {
      // Wed 16:00 + 480: 60 on Wed, Thu skipped, 420 from Fri 09:00 = Fri 16:00.
      assert.equal(
        july.addBusinessMinutes(at('2024-07-03T16:00:00-04:00'), 480),
        at('2024-07-05T16:00:00-04:00'),
      );
    });
  });

  it('counts a span of months by days', () => {
    // 2024-01-01 (Mon) 00:00 → 2024-07-01 (Mon) 00:00 in UTC: 182 days = 26 weeks,
    // so 26 × 5 = 130 business days × 480 min = 62,400.
    const utc = calendar('UTC');
    const started = Date.now();
    assert.equal(
      utc.businessMinutesBetween(at('2024-01-01T00:00Z'), at('2024-07-01T00:00Z')),
      62_400,
    );
    assert.ok(Date.now() - started < 500, 'months should take well under half a second');
  });

  it('returns 0 when to is not after from', () => {
    assert.equal(ny.businessMinutesBetween(at('2024-06-17T11:00Z'), at('2024-06-17T10:00Z')), 0);
  });

  describe('DST in Europe/Berlin', () => {
    it('keeps 09:00–17:00 in local time across 2024-03-31', () => {
      const berlin = calendar(BERLIN);
      // Fri 2024-03-29 16:00 CET (15:00Z) → Mon 2024-04-01 10:00 CEST (08:00Z):
      // 60 (Fri) + 60 (Mon) = 120 — the clock change on Sunday costs no business time.
      assert.equal(
        berlin.businessMinutesBetween(at('2024-03-29T15:00Z'), at('2024-04-01T08:00Z')),
        120,
      );
    });

    it('counts real minutes on a 24/7 calendar: 23 h on 2024-03-31, 25 h on 2024-10-27', () => {
      const always = calendar(BERLIN, {
        days: [0, 1, 2, 3, 4, 5, 6],
        start: '00:00',
        end: '24:00',
      });
      // 2024-03-31 00:00 CET = 03-30 23:00Z; 04-01 00:00 CEST = 03-31 22:00Z → 23 h = 1380.
      assert.equal(
        always.businessMinutesBetween(at('2024-03-30T23:00Z'), at('2024-03-31T22:00Z')),
        1380,
      );
      // 2024-10-27 00:00 CEST = 10-26 22:00Z; 10-28 00:00 CET = 10-27 23:00Z → 25 h = 1500.
      assert.equal(
        always.businessMinutesBetween(at('2024-10-26T22:00Z'), at('2024-10-27T23:00Z')),
        1500,
      );
    });

    it('adds across the autumn change on a 24/7 calendar like clock time', () => {
      const always = calendar(BERLIN, {
        days: [0, 1, 2, 3, 4, 5, 6],
        start: '00:00',
        end: '24:00',
      });
      const from = at('2024-10-26T20:00Z');
      // Every minute is business time, so + 1500 min = + 25 h exactly.
      assert.equal(always.addBusinessMinutes(from, 1500), from + 25 * 3_600_000);
    });
  });
});
