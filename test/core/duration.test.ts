import { strict as assert } from 'node:assert';
import {
  clockMinutes,
  type Duration,
  formatMinutes,
  isBusiness,
  parseDuration,
} from '../../src/core/duration';

function duration(text: string): Duration {
  const parsed = parseDuration(text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  return parsed.duration;
}

describe('duration', () => {
  it('reads each unit', () => {
    assert.deepEqual(duration('15m'), { amount: 15, unit: 'm', text: '15m' });
    assert.deepEqual(duration('4h'), { amount: 4, unit: 'h', text: '4h' });
    assert.deepEqual(duration('1.5h'), { amount: 1.5, unit: 'h', text: '1.5h' });
    assert.deepEqual(duration('2d'), { amount: 2, unit: 'd', text: '2d' });
    assert.deepEqual(duration('8bh'), { amount: 8, unit: 'bh', text: '8bh' });
    assert.deepEqual(duration('1bd'), { amount: 1, unit: 'bd', text: '1bd' });
  });

  it('reads compounds of clock units as minutes', () => {
    // 1 h 30 m = 60 + 30 = 90; 2 d 4 h = 2 × 1440 + 4 × 60 = 3120.
    assert.deepEqual(duration('1h30m'), { amount: 90, unit: 'm', text: '1h30m' });
    assert.deepEqual(duration('2d 4h'), { amount: 3120, unit: 'm', text: '2d 4h' });
  });

  it('refuses other text with the accepted forms', () => {
    for (const text of ['', '15', 'h', '-1h', '1w', '30m1h', '1bd4bh', '1h 30', '1,5h']) {
      const parsed = parseDuration(text);
      assert.ok(!parsed.ok, text);
      assert.ok(parsed.reason.includes(`"${text}"`), parsed.reason);
      assert.match(parsed.reason, /bh, bd/);
    }
  });

  it('tells business from clock durations', () => {
    assert.equal(isBusiness(duration('8bh')), true);
    assert.equal(isBusiness(duration('1bd')), true);
    assert.equal(isBusiness(duration('24h')), false);
  });

  it('gives clock minutes, and refuses business units', () => {
    assert.equal(clockMinutes(duration('15m')), 15);
    assert.equal(clockMinutes(duration('1.5h')), 90);
    assert.equal(clockMinutes(duration('2d')), 2880); // 2 × 24 × 60
    assert.throws(() => clockMinutes(duration('1bd')), RangeError);
  });

  it('formats minutes for people', () => {
    assert.equal(formatMinutes(0), '0m');
    assert.equal(formatMinutes(45), '45m');
    assert.equal(formatMinutes(125), '2h 05m'); // 2 × 60 + 5
    assert.equal(formatMinutes(4570), '3d 4h 10m'); // 3 × 1440 + 4 × 60 + 10
    assert.equal(formatMinutes(1440), '1d 0h 00m');
    assert.equal(formatMinutes(44.6), '45m');
    assert.equal(formatMinutes(-125), '-2h 05m');
    assert.equal(formatMinutes(-0.2), '0m');
  });
});
