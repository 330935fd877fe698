import { strict as assert } from 'node:assert';
import { BusinessCalendar } from '../../src/core/calendar';
import { type Duration, parseDuration } from '../../src/core/duration';
import { dueAt, elapsedMinutes, slaState, targetMinutes } from '../../src/core/sla';
import { parseTimestamp } from '../../src/core/time';

const ny = new BusinessCalendar({
  zone: 'America/New_York',
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
  holidays: [],
});

function at(text: string): number {
  const parsed = parseTimestamp(text, undefined);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  return parsed.at;
}

function duration(text: string): Duration {
  const parsed = parseDuration(text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  return parsed.duration;
}

describe('sla', () => {
  it('sizes targets: bd by the business day, bh by 60, clock units by the clock', () => {
    assert.equal(targetMinutes(duration('1bd'), ny), 480); // 1 × (17:00 − 09:00)
    assert.equal(targetMinutes(duration('5bd'), ny), 2400); // 5 × 480
    assert.equal(targetMinutes(duration('8bh'), ny), 480); // 8 × 60
    assert.equal(targetMinutes(duration('24h'), ny), 1440);
    assert.equal(targetMinutes(duration('15m'), ny), 15);
  });

  describe('B15: P3 across a weekend (resolve 1bd, 09:00–17:00 New York)', () => {
    const target = duration('1bd');
    const friday = { from: at('2024-06-14T16:30:00-04:00'), done: at('2024-06-17T11:00:00-04:00') };
    const saturday = {
      from: at('2024-06-15T10:00:00-04:00'),
      done: at('2024-06-17T15:00:00-04:00'),
    };
    const later = at('2024-07-01T00:00Z');

    it('INC-0180: 30 min Friday + 120 min Monday = 150 business minutes, met', () => {
      assert.equal(elapsedMinutes(target, ny, friday.from, friday.done), 150);
      assert.equal(slaState(target, ny, friday.from, friday.done, later), 'met');
    });

    it('INC-0181: clock starts Monday 09:00, 6 h to 15:00 = 360 minutes, met', () => {
      assert.equal(elapsedMinutes(target, ny, saturday.from, saturday.done), 360);
      assert.equal(slaState(target, ny, saturday.from, saturday.done, later), 'met');
    });

    it('compliance is 2/2, where a wall-clock 24h target would give 0/2', () => {
      const states = [friday, saturday].map((r) => slaState(target, ny, r.from, r.done, later));
      assert.deepEqual(states, ['met', 'met']);
      // Wall clock: 66 h 30 min and 53 h, both over 24 h.
      const wall = [friday, saturday].map((r) =>
        slaState(duration('24h'), ny, r.from, r.done, later),
      );
      assert.deepEqual(wall, ['breached', 'breached']);
    });

    it('1bd from Friday 16:30 is due Monday 16:30', () => {
      assert.equal(dueAt(target, ny, friday.from), at('2024-06-17T16:30:00-04:00'));
    });
  });

  describe('open records', () => {
    const target = duration('4h');
    const from = at('2024-06-17T09:00Z');

    it('is pending within the target and breached after it', () => {
      assert.equal(dueAt(target, ny, from), at('2024-06-17T13:00Z')); // 09:00 + 4 h
      assert.equal(slaState(target, ny, from, undefined, at('2024-06-17T13:00Z')), 'pending');
      assert.equal(slaState(target, ny, from, undefined, at('2024-06-17T13:01Z')), 'breached');
    });

    it('does not breach a business target overnight when it ran out exactly at closing', () => {
      // 8bh from Mon 09:00 NY ends Mon 17:00; Tuesday 08:00 has still only 480 minutes.
      const start = at('2024-06-17T09:00:00-04:00');
      const tuesday = at('2024-06-18T08:00:00-04:00');
      assert.equal(slaState(duration('8bh'), ny, start, undefined, tuesday), 'pending');
      assert.equal(
        slaState(duration('8bh'), ny, start, undefined, at('2024-06-18T09:01:00-04:00')),
        'breached',
      );
    });
  });

  it('is met exactly at the target and breached a minute later', () => {
    const from = at('2024-06-17T09:00Z');
    assert.equal(slaState(duration('15m'), ny, from, from + 15 * 60_000, from), 'met');
    assert.equal(slaState(duration('15m'), ny, from, from + 16 * 60_000, from), 'breached');
    // Regression: 0.57 × 60 is 34.199999999999996 in floating point, so a done time of
    // exactly 34 min 12 s (2,052,000 ms) used to read as over the target.
    assert.equal(slaState(duration('0.57h'), ny, from, from + 2_052_000, from), 'met');
  });

  it('says no-target when the priority has none', () => {
    assert.equal(slaState(undefined, ny, 0, undefined, 1), 'no-target');
  });
});
