import { strict as assert } from 'node:assert';
import { type ClosureRules, closureViolations, contentViolations } from '../../src/core/closure';
import { planStep, TransitionError } from '../../src/core/lifecycle';
import { parsePolicy } from '../../src/core/policy';
import { readRecord } from '../../src/core/record';
import { findSection, followUps, isFilled, reviewSections } from '../../src/core/review';

const RULES: ClosureRules = {
  reviewRequired: ['P1', 'P2'],
  reviewSections: ['Root cause', 'Lessons learned', 'Follow-up actions'],
  followUpOwnerRequired: true,
};

const REVIEW = [
  '# Post-incident review', // 1
  '', // 2
  '## Root cause', // 3
  '', // 4
  '<!-- The cause behind the trigger. -->', // 5
  '', // 6
  '## Lessons learned', // 7
  'TODO', // 8
  '## Follow-up actions', // 9
  '<!-- example:', // 10
  '- [ ] action — owner: @who — due: YYYY-MM-DD -->', // 11
  '- [ ] Add a timeout floor — owner: @mira — due: 2026-04-01', // 12
  '- [x] Alert on flapping health checks — due: 2026-04-02', // 13
  '- [ ] Runbook for rollbacks (@sam)', // 14
  '```', // 15
  '## Not a heading inside a fence', // 16
  '```', // 17
].join('\n');

describe('post-incident review text', () => {
  it('finds sections by heading, with their lines, and ignores headings in code fences', () => {
    const sections = reviewSections(REVIEW);
    assert.deepEqual(
      sections.map((s) => [s.title, s.line]),
      [
        ['Post-incident review', 1],
        ['Root cause', 3],
        ['Lessons learned', 7],
        ['Follow-up actions', 9],
      ],
    );
    assert.equal(findSection(sections, 'root CAUSE:')?.line, 3);
  });

  it('counts comments and TODO as not filled in, and real text as filled', () => {
    const sections = reviewSections(REVIEW);
    const filled = (title: string) => {
      const section = findSection(sections, title);
      assert.ok(section, title);
      return isFilled(sections, section);
    };
    assert.equal(filled('Root cause'), false);
    assert.equal(filled('Lessons learned'), false);
    assert.equal(filled('Follow-up actions'), true);
  });

  it('reads follow-ups with owners from `owner:` or an @mention, and skips the example', () => {
    const items = followUps(reviewSections(REVIEW));
    assert.deepEqual(
      items.map((i) => [i.line, i.owner, i.due, i.done]),
      [
        [12, 'mira', '2026-04-01', false],
        [13, undefined, '2026-04-02', true],
        [14, 'sam', undefined, false],
      ],
    );
  });

  it('reports each unmet rule with the file and the line', () => {
    const found = contentViolations('reviews/x.md', REVIEW, 1, RULES);
    assert.deepEqual(
      found.map((v) => [v.line, v.message]),
      [
        [3, '"Root cause" is empty or a placeholder'],
        [7, '"Lessons learned" is empty or a placeholder'],
        [13, 'follow-up "Alert on flapping health checks — due: 2026-04-02" has no owner'],
      ],
    );
  });

  it('counts lines from the body start when the review is in the record', () => {
    const found = contentViolations('incidents/a.md', '## Root cause\n\n', 12, {
      ...RULES,
      reviewSections: ['Root cause', 'Impact'],
    });
    assert.deepEqual(
      found.map((v) => [v.line, v.message]),
      [
        [12, '"Root cause" is empty or a placeholder'],
        [12, 'the review has no "Impact" section'],
      ],
    );
  });
});

const RECORD = [
  '---',
  'id: INC-20260304-aaaaaa',
  'title: Checkout returns 502',
  'status: resolved',
  'priority: P1',
  'detected_at: 2026-03-04T09:00:00Z',
  'resolved_at: 2026-03-04T10:00:00Z',
  'postmortem: reviews/INC-20260304-aaaaaa.md',
  '---',
  '',
].join('\n');

describe('closure rules in the close step', () => {
  const read = readRecord('incidents/a.md', RECORD, { priorities: ['P1', 'P2', 'P3', 'P4'] });
  if (!read.incident) throw new Error('the test record does not validate');
  const incident = read.incident;
  const rules = { reviewRequired: ['P1', 'P2'], timezone: 'UTC' };
  const source = {
    kind: 'file' as const,
    path: 'reviews/INC-20260304-aaaaaa.md',
    state: 'ok' as const,
  };
  const close = (text: string, postmortem = incident.postmortem) =>
    planStep(
      incident,
      { kind: 'close', review: { rules: RULES, source: { ...source, text }, postmortem } },
      Date.UTC(2026, 2, 5),
      rules,
    );

  it('refuses a close whose review misses required sections, naming file and line', () => {
    assert.throws(
      () => close(REVIEW),
      (error: Error) =>
        error instanceof TransitionError &&
        error.message.includes('reviews/INC-20260304-aaaaaa.md:3: "Root cause" is empty') &&
        error.message.includes(':13: follow-up'),
    );
  });

  it('closes when every rule is met', () => {
    const done =
      '## Root cause\nA push halved the timeout.\n## Lessons learned\nFloors.\n' +
      '## Follow-up actions\n- [ ] Floor — owner: @mira — due: 2026-04-01\n';
    assert.equal(close(done).to, 'closed');
  });

  it('refuses when the review was read for another postmortem link than the record has', () => {
    const violations = closureViolations(incident, {
      rules: RULES,
      source: { kind: 'url', url: 'https://x.invalid' },
      postmortem: 'other.md',
    });
    assert.match(violations[0].message, /changed while its review was being read/);
  });

  it('names a missing review file on the record`s postmortem field', () => {
    const found = closureViolations(incident, {
      rules: RULES,
      source: { kind: 'file', path: 'reviews/gone.md', state: 'missing' },
      postmortem: incident.postmortem,
    });
    assert.deepEqual(
      found.map((v) => [v.field, v.message]),
      [['postmortem', 'the review link points to reviews/gone.md, which does not exist']],
    );
  });

  it('only warns about a missing review file when no content rule needs its text', () => {
    const missing = { kind: 'file' as const, path: 'reviews/later.md', state: 'missing' as const };
    const bare = { reviewRequired: ['P1'], reviewSections: [], followUpOwnerRequired: false };
    const review = { rules: bare, source: missing, postmortem: incident.postmortem };
    assert.deepEqual(
      closureViolations(incident, review).map((v) => v.advisory),
      [true],
    );
    const plan = planStep(incident, { kind: 'close', review }, Date.UTC(2026, 2, 5), rules);
    assert.equal(plan.to, 'closed');
  });

  it('leaves priorities outside review_required alone', () => {
    const p3 = { ...incident, priority: 'P3' };
    const found = closureViolations(p3, { rules: RULES, source: { kind: 'none' } }, undefined);
    assert.deepEqual(found, []);
  });
});

describe('closure and notification settings', () => {
  it('reads review_sections and follow_up_owner_required', () => {
    const { policy, problems } = parsePolicy(
      'closure:\n  review_required: [P1]\n  review_sections: [Root cause, " Impact "]\n' +
        '  follow_up_owner_required: true\nreviews_directory: docs/reviews/\n',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(policy.closure, {
      reviewRequired: ['P1'],
      reviewSections: ['Root cause', 'Impact'],
      followUpOwnerRequired: true,
    });
    assert.equal(policy.reviewsDirectory, 'docs/reviews');
  });

  it('reports a bad follow_up_owner_required with its line and keeps the default', () => {
    const { policy, problems } = parsePolicy('closure:\n  follow_up_owner_required: maybe\n');
    assert.equal(policy.closure.followUpOwnerRequired, false);
    assert.deepEqual(
      problems.map((p) => [p.line, p.field]),
      [[2, 'closure.follow_up_owner_required']],
    );
  });

  it('refuses webhook URLs in .incidents.yml and says why', () => {
    const { problems } = parsePolicy(
      'timezone: UTC\nslack_webhook: https://hooks.slack.com/services/T/B/x\n',
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0].severity, 'error');
    assert.equal(problems[0].line, 2);
    assert.match(problems[0].message, /is a secret/);
    assert.match(problems[0].message, /GIT_INCIDENTS_SLACK_WEBHOOK/);
  });
});
