import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRecord } from '../../src/core/record';
import { collect } from '../../src/core/repository';
import { SHARED } from '../support/gitRepo';

const CASES = join(SHARED, 'cases');
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];
const read = (name: string) => readFileSync(join(CASES, name), 'utf8');

describe('reading records', () => {
  it('B01: offset-less times are read in the repository timezone, as instants', () => {
    const result = readRecord('B01.md', read('B01-offsetless-timestamps.md'), {
      timezone: 'Europe/Berlin',
      priorities: PRIORITIES,
    });
    const times = result.incident?.times;
    assert.ok(times);
    // Berlin is UTC+2 in July: 08:00 → 06:00Z, 08:20 → 06:20Z; 10:05+02:00 → 08:05Z.
    assert.equal(new Date(times.detected_at ?? 0).toISOString(), '2024-07-01T06:00:00.000Z');
    assert.equal(new Date(times.acknowledged_at ?? 0).toISOString(), '2024-07-01T06:20:00.000Z');
    assert.equal(new Date(times.resolved_at ?? 0).toISOString(), '2024-07-01T08:05:00.000Z');
    // MTTA 20 min; time to resolve 2 h 05 min = 125 min.
    assert.equal(((times.acknowledged_at ?? 0) - (times.detected_at ?? 0)) / 60000, 20);
    assert.equal(((times.resolved_at ?? 0) - (times.detected_at ?? 0)) / 60000, 125);
    // The date-only closed_at is flagged and never read as midnight UTC.
    assert.equal(times.closed_at, undefined);
    const flagged = result.problems.find((p) => p.field === 'closed_at');
    assert.equal(flagged?.line, 13);
    assert.match(flagged?.message ?? '', /date without a time/);
  });

  it('B01: without a timezone setting, offset-less times are refused naming the field', () => {
    const result = readRecord('B01.md', read('B01-offsetless-timestamps.md'), {
      timezone: undefined,
      priorities: PRIORITIES,
    });
    assert.equal(result.incident, undefined);
    const fields = result.problems.filter((p) => p.severity === 'error').map((p) => p.field);
    assert.deepEqual(fields, ['detected_at', 'acknowledged_at', 'closed_at']);
  });

  it('B07: a duplicate key is an error on its line, never one silently chosen value', () => {
    const result = readRecord('B07.md', read('B07-duplicate-key.md'), {
      timezone: 'UTC',
      priorities: PRIORITIES,
    });
    assert.equal(result.incident, undefined);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].line, 10);
    assert.equal(result.problems[0].message, 'duplicate key `status`');
  });

  it('B08: an alias bomb is refused at once, with bounded work', () => {
    const started = process.hrtime.bigint();
    const result = readRecord('B08.md', read('B08-alias-bomb.md'), {
      timezone: 'UTC',
      priorities: PRIORITIES,
    });
    assert.equal(result.incident, undefined);
    assert.match(result.problems[0].message, /aliases are not allowed/);
    // Not a timing assertion on speed: a sanity bound that would only trip if expanded.
    assert.ok(process.hrtime.bigint() - started < 5_000_000_000n);
  });

  it('merge-conflict markers are reported on their lines', () => {
    const text =
      '---\nid: A\n<<<<<<< HEAD\nstatus: triaged\n=======\nstatus: resolved\n' +
      '>>>>>>> topic\n---\n';
    const result = readRecord('a.md', text, { timezone: 'UTC', priorities: PRIORITIES });
    assert.equal(result.incident, undefined);
    assert.deepEqual(
      result.problems.map((p) => p.line),
      [3, 5, 7],
    );
  });

  it('names the field, line, expectation and an example for each problem', () => {
    const text =
      '---\nid: INC-1\ntitle: x\nstatus: fixed\npriority: P9\n' +
      'detected_at: 2024-13-01T00:00:00Z\n---\n';
    const result = readRecord('a.md', text, { timezone: 'UTC', priorities: PRIORITIES });
    const byField = Object.fromEntries(result.problems.map((p) => [p.field, p]));
    assert.equal(byField.status.line, 4);
    assert.match(byField.status.message, /unknown status `fixed`/);
    assert.equal(byField.status.example, 'status: investigating');
    assert.equal(byField.priority.line, 5);
    assert.equal(byField.detected_at.line, 6);
  });

  it('reports a duplicate id on both files and keeps neither', () => {
    const one =
      '---\nid: INC-1\ntitle: a\nstatus: logged\ndetected_at: 2024-01-01T00:00:00Z\n---\n';
    const options = { timezone: 'UTC', priorities: PRIORITIES };
    const set = collect([readRecord('a.md', one, options), readRecord('b.md', one, options)]);
    assert.equal(set.incidents.length, 0);
    assert.deepEqual(
      set.problems.map((p) => p.file),
      ['a.md', 'b.md'],
    );
    assert.match(set.problems[0].message, /duplicate id `INC-1`, also in b.md/);
  });
});
