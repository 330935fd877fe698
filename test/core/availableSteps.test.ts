import { strict as assert } from 'node:assert';
import { availableSteps } from '../../src/core/availableSteps';
import { DEFAULT_POLICY } from '../../src/core/policy';
import { readRecord } from '../../src/core/record';
import { describeSla } from '../../src/core/slaDescription';

const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];
const RULES = { reviewRequired: ['P1', 'P2'], timezone: 'UTC' };

function record(lines: string[]) {
  const text = ['---', 'id: INC-1', 'title: t', ...lines, '---', ''].join('\n');
  const result = readRecord('incidents/a.md', text, { timezone: 'UTC', priorities: PRIORITIES });
  assert.ok(result.incident, JSON.stringify(result.problems));
  return result.incident;
}

describe('available steps', () => {
  it('a logged record without priority can only be triaged or escalated', () => {
    const incident = record(['status: logged', 'detected_at: 2026-01-05T10:00:00Z']);
    assert.deepEqual(availableSteps(incident, PRIORITIES, RULES), ['triage', 'escalate']);
  });

  it('a triaged record can be acknowledged, escalated and resolved', () => {
    const incident = record(['status: triaged', 'priority: P2', 'detected_at: 2026-01-05T10:00Z']);
    assert.deepEqual(availableSteps(incident, PRIORITIES, RULES), [
      'triage',
      'ack',
      'escalate',
      'resolve',
    ]);
  });

  it('a resolved P1 offers close even before its review exists, and reopen', () => {
    const incident = record([
      'status: resolved',
      'priority: P1',
      'detected_at: 2026-01-05T10:00:00Z',
      'resolved_at: 2026-01-05T11:00:00Z',
    ]);
    assert.deepEqual(availableSteps(incident, PRIORITIES, RULES), ['close', 'reopen']);
  });

  it('a closed record can only be reopened', () => {
    const incident = record(['status: closed', 'priority: P4', 'detected_at: 2026-01-05T10:00Z']);
    assert.deepEqual(availableSteps(incident, PRIORITIES, RULES), ['reopen']);
  });
});

describe('SLA in words', () => {
  it('says how long is left, then by how much a target was missed', () => {
    const incident = record(['status: triaged', 'priority: P1', 'detected_at: 2026-01-05T10:00Z']);
    const detected = Date.parse('2026-01-05T10:00:00Z');
    const before = describeSla(incident, DEFAULT_POLICY, detected + 3 * 60_000);
    assert.equal(before.text, 'respond due in 12m');
    const after = describeSla(incident, DEFAULT_POLICY, detected + 140 * 60_000);
    assert.equal(after.text, 'respond breached by 2h 05m');
  });
});
