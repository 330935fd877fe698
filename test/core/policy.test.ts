import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  calendarFor,
  DEFAULT_POLICY,
  loadPolicy,
  parsePolicy,
  zoneForOffsetless,
} from '../../src/core/policy';
import type { Problem } from '../../src/core/problem';

const SPEC_EXAMPLE = `version: 1
directory: incidents
timezone: UTC
business_hours: {days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}
holidays: []
priorities:
  P1: {name: Critical, respond: 15m, resolve: 4h}
  P2: {name: High, respond: 1h, resolve: 24h}
  P3: {name: Medium, respond: 1bd, resolve: 5bd}
  P4: {name: Low}
`;

function byField(problems: Problem[], field: string): Problem {
  const found = problems.find((p) => p.field === field);
  assert.ok(found, `no problem for ${field} in ${JSON.stringify(problems, null, 1)}`);
  return found;
}

describe('policy', () => {
  it('defaults to the spec example', () => {
    const { policy, problems } = parsePolicy(SPEC_EXAMPLE);
    assert.deepEqual(problems, []);
    assert.deepEqual({ ...policy, timezoneSet: false }, DEFAULT_POLICY);
    assert.equal(DEFAULT_POLICY.priorities.P3.respond?.text, '1bd');
    assert.equal(DEFAULT_POLICY.priorities.P4.resolve, undefined);
    assert.deepEqual(DEFAULT_POLICY.closure.reviewRequired, ['P1', 'P2']);
    assert.equal(DEFAULT_POLICY.idPrefix, 'INC');
    assert.equal(DEFAULT_POLICY.layout, 'by-month');
  });

  it('gives the defaults and no problems for an empty file', () => {
    const { policy, problems } = parsePolicy('');
    assert.deepEqual(problems, []);
    assert.deepEqual(policy, DEFAULT_POLICY);
    assert.equal(zoneForOffsetless(policy), undefined);
  });

  it('reads every setting', () => {
    const { policy, problems } = parsePolicy(`timezone: Europe/Berlin
directory: records/
business_hours:
  days: [Monday, tue, WED]
  start: "8:30"
  end: "24:00"
holidays: [2024-12-25, 2024-12-26]
priorities:
  SEV1: {respond: 10m}
  SEV2:
closure: {review_required: [SEV1]}
id_prefix: OPS
layout: flat
`);
    assert.deepEqual(problems, []);
    assert.equal(zoneForOffsetless(policy), 'Europe/Berlin');
    assert.equal(policy.directory, 'records');
    assert.deepEqual(policy.businessHours, { days: [1, 2, 3], start: '08:30', end: '24:00' });
    assert.deepEqual(policy.holidays, ['2024-12-25', '2024-12-26']);
    assert.deepEqual(policy.priorities, {
      SEV1: { respond: { amount: 10, unit: 'm', text: '10m' } },
      SEV2: {},
    });
    assert.deepEqual(policy.closure.reviewRequired, ['SEV1']);
    assert.equal(policy.idPrefix, 'OPS');
    assert.equal(policy.layout, 'flat');
    assert.equal(calendarFor(policy).dayMinutes, 930); // 24:00 − 08:30 = 15 h 30 min
  });

  describe('an invalid .incidents.yml', () => {
    const text = [
      'timezone: Europe/Berln', // 1
      'business_hours:', // 2
      '  days: [mon, tue, wedensday]', // 3
      '  start: "9am"', // 4
      '  end: "17:00"', // 5
      'holidays:', // 6
      '  - 2024-12-25', // 7
      '  - 2024-02-30', // 8
      'priorities:', // 9
      '  P1: {respond: 15, resolve: 4h}', // 10
      '  P3:', // 11
      '    respond: one day', // 12
      '    resolve: 5bd', // 13
      'layout: nested', // 14
      'colour: blue', // 15
    ].join('\n');
    const { policy, problems } = parsePolicy(text);

    it('reports each bad value with its line, field, expected form and example', () => {
      const expected: [string, number, 'error' | 'warning'][] = [
        ['timezone', 1, 'error'],
        ['business_hours.days', 3, 'error'],
        ['business_hours.start', 4, 'error'],
        ['holidays', 8, 'error'],
        ['priorities.P1.respond', 10, 'error'],
        ['priorities.P3.respond', 12, 'error'],
        ['layout', 14, 'error'],
        ['colour', 15, 'warning'],
      ];
      for (const [field, line, severity] of expected) {
        const problem = byField(problems, field);
        assert.equal(problem.line, line, field);
        assert.equal(problem.severity, severity, field);
        assert.equal(problem.file, '.incidents.yml');
        assert.ok(problem.expected && problem.example, field);
      }
      assert.equal(problems.length, expected.length);
      assert.match(byField(problems, 'timezone').message, /"Europe\/Berln"/);
      assert.match(byField(problems, 'holidays').message, /"2024-02-30"/);
      assert.match(byField(problems, 'priorities.P1.respond').message, /15 has no unit/);
      assert.equal(byField(problems, 'priorities.P1.respond').example, 'respond: 15m');
      assert.equal(byField(problems, 'colour').example, 'timezone: Europe/Berlin');
    });

    it('still gives a usable policy, with the default for each bad value', () => {
      assert.equal(policy.timezone, 'UTC');
      assert.equal(zoneForOffsetless(policy), undefined);
      assert.deepEqual(policy.businessHours, {
        days: [1, 2, 3, 4, 5],
        start: '09:00',
        end: '17:00',
      });
      assert.deepEqual(policy.holidays, ['2024-12-25']);
      assert.equal(policy.priorities.P1.respond?.text, '15m');
      assert.equal(policy.priorities.P1.resolve?.text, '4h');
      assert.equal(policy.priorities.P3.respond?.text, '1bd');
      assert.equal(policy.priorities.P3.resolve?.text, '5bd');
      assert.equal(policy.layout, 'by-month');
      assert.equal(calendarFor(policy).dayMinutes, 480);
    });
  });

  it('warns when review_required names a priority that does not exist', () => {
    const text = 'priorities: {SEV1: {respond: 5m}}\nclosure:\n  review_required: [SEV1, P1]\n';
    const { policy, problems } = parsePolicy(text);
    const problem = byField(problems, 'closure.review_required');
    assert.equal(problem.severity, 'warning');
    assert.equal(problem.line, 3);
    assert.match(problem.message, /P1/);
    assert.deepEqual(policy.closure.reviewRequired, ['SEV1', 'P1']);
  });

  it('warns about an unknown nested key on its own line', () => {
    const { policy, problems } = parsePolicy('priorities:\n  P1:\n    respnd: 15m\n');
    const problem = byField(problems, 'priorities.P1.respnd');
    assert.equal(problem.severity, 'warning');
    assert.equal(problem.line, 3);
    assert.equal(problem.expected, 'one of name, respond, resolve');
    assert.deepEqual(policy.priorities, { P1: {} });
  });

  it('refuses end before start, keeping the default hours', () => {
    const { policy, problems } = parsePolicy('business_hours: {start: "18:00", end: "10:00"}\n');
    assert.equal(byField(problems, 'business_hours.end').line, 1);
    assert.deepEqual(policy.businessHours, DEFAULT_POLICY.businessHours);
  });

  it('refuses priorities that are not a mapping', () => {
    const { policy, problems } = parsePolicy('version: 1\npriorities: [P1, P2]\n');
    assert.equal(byField(problems, 'priorities').line, 2);
    assert.deepEqual(policy.priorities, DEFAULT_POLICY.priorities);
  });

  it('gives one error and the defaults for YAML that does not parse', () => {
    const { policy, problems } = parsePolicy('timezone: UTC\npriorities: {P1: [\n');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].severity, 'error');
    assert.equal(problems[0].file, '.incidents.yml');
    assert.equal(typeof problems[0].line, 'number');
    assert.deepEqual(policy, DEFAULT_POLICY);
  });

  it('returns copies: changing a parsed policy leaves the defaults alone', () => {
    const { policy } = parsePolicy('');
    policy.holidays.push('2024-12-25');
    assert.deepEqual(DEFAULT_POLICY.holidays, []);
    assert.throws(() => (DEFAULT_POLICY.holidays as string[]).push('x'), TypeError);
  });

  describe('loadPolicy', () => {
    let root = '';
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'policy-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('reads .incidents.yml at the root', () => {
      writeFileSync(join(root, '.incidents.yml'), 'timezone: America/New_York\n');
      const { policy, problems } = loadPolicy(root);
      assert.deepEqual(problems, []);
      assert.equal(policy.timezone, 'America/New_York');
    });

    it('gives the defaults without a file', () => {
      assert.deepEqual(loadPolicy(root), { policy: DEFAULT_POLICY, problems: [] });
    });
  });
});
