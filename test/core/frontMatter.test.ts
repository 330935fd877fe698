import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyChanges, splitFrontMatter } from '../../src/core/frontMatter';
import { planStep } from '../../src/core/lifecycle';
import { readRecord } from '../../src/core/record';
import { SHARED } from '../support/gitRepo';

const CASES = join(SHARED, 'cases');
const OPTIONS = { timezone: 'UTC', priorities: ['P1', 'P2', 'P3', 'P4'] };
const RULES = { reviewRequired: ['P1', 'P2'], timezone: 'UTC' };

/** Lines of `after` that differ from `before`, as removed (-) and added (+) sets. */
function lineDiff(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
}

describe('front matter writing', () => {
  it('B04: acknowledging changes the status line and adds one timestamp line, nothing else', () => {
    const before = readFileSync(join(CASES, 'B04-roundtrip-fidelity.md'), 'utf8');
    const incident = readRecord('B04.md', before, OPTIONS).incident;
    assert.ok(incident);
    const at = Date.UTC(2024, 7, 5, 14, 6);
    const plan = planStep(incident, { kind: 'ack' }, at, RULES);
    const after = applyChanges(before, plan.changes, 'B04.md');

    assert.deepEqual(lineDiff(before, after), {
      removed: ['status: triaged # change via CLI only'],
      added: [
        'status: investigating # change via CLI only',
        'acknowledged_at: 2024-08-05T14:06:00Z',
      ],
    });
    // The new line sits after detected_at, and the body and final newline are untouched.
    assert.ok(
      after.includes('detected_at: 2024-08-05T14:03:00Z\nacknowledged_at: 2024-08-05T14:06:00Z\n'),
    );
    assert.ok(after.endsWith('---\n## Timeline\n'));
    assert.equal(after.split('\n').length, before.split('\n').length + 1);
  });

  it('B06: a BOM and CRLF endings survive a status change, one line changes', () => {
    const before = readFileSync(join(CASES, 'B06-bom-crlf.md'), 'utf8');
    const parsed = readRecord('B06.md', before, OPTIONS).incident;
    assert.equal(parsed?.id, 'INC-0131');
    assert.equal(parsed?.status, 'investigating');

    const after = applyChanges(
      before,
      [{ kind: 'set', key: 'status', value: 'resolved' }],
      'B06.md',
    );
    assert.ok(after.startsWith('\uFEFF---\r\n'));
    assert.equal(after.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF line ending');
    assert.deepEqual(lineDiff(before, after), {
      removed: ['status: investigating\r'],
      added: ['status: resolved\r'],
    });
  });

  it('adds new keys and list items with the file own line ending', () => {
    const before =
      '---\r\nid: A-1\r\nescalations:\r\n  - { to: x, at: 2024-01-01T00:00:00Z }\r\n---\r\n';
    const after = applyChanges(
      before,
      [
        {
          kind: 'append',
          key: 'escalations',
          item: { at: '2024-01-01T01:00:00Z', kind: 'functional', to: 'dba', reason: 'locks' },
        },
      ],
      'a.md',
    );
    assert.equal(
      after,
      '---\r\nid: A-1\r\nescalations:\r\n  - { to: x, at: 2024-01-01T00:00:00Z }\r\n' +
        '  - at: 2024-01-01T01:00:00Z\r\n    kind: functional\r\n    to: dba\r\n    reason: locks\r\n---\r\n',
    );
  });

  it('writes multi-line and YAML-special text so it reads back the same', () => {
    const before =
      '---\nid: A-1\ntitle: t\nstatus: logged\ndetected_at: 2024-01-01T00:00:00Z\n---\nbody\n';
    const tricky = ['line one\nline two', 'yes', '- not a list', 'a: b # c', '"quoted"', '*alias'];
    for (const value of tricky) {
      const after = applyChanges(before, [{ kind: 'set', key: 'resolution', value }], 'a.md');
      const cut = splitFrontMatter(after, 'a.md');
      assert.ok(cut.ok);
      const record = readRecord('a.md', `${after}`, OPTIONS);
      assert.equal(record.incident?.data.resolution ?? record.problems[0]?.message, value);
    }
  });

  it('removes a key without touching its neighbours or their comments', () => {
    const before =
      '---\nid: A-1 # keep\nresolved_at: 2024-01-01T00:00:00Z # gone\nstatus: x\n---\n';
    const after = applyChanges(before, [{ kind: 'remove', key: 'resolved_at' }], 'a.md');
    assert.equal(after, '---\nid: A-1 # keep\nstatus: x\n---\n');
  });
});
