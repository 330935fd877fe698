import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, TempRepo } from '../support/gitRepo';

const POLICY = [
  'version: 1',
  'timezone: Europe/Berlin',
  'closure:',
  '  review_required: [P1, P2]',
  '  review_sections: [Root cause, Lessons learned, Follow-up actions]',
  '  follow_up_owner_required: true',
  '',
].join('\n');

function run(repo: TempRepo, ...args: string[]) {
  return cli(args, repo.root);
}

/** A P1 logged at 09:00Z, acknowledged, escalated and resolved with a root cause. */
function resolvedIncident(repo: TempRepo, title = 'Checkout returns 502'): string {
  const created = run(
    repo,
    'new',
    '--title',
    title,
    '--priority',
    'P1',
    '--at',
    '2026-03-04T09:00:00Z',
  );
  assert.equal(created.code, 0, created.stderr);
  const id = created.stdout.split(/\s+/)[0];
  const steps = [
    ['ack', id, '--assignee', 'sam', '--at', '2026-03-04T09:10:00Z'],
    ['escalate', id, '--to', 'network', '--reason', 'LB flapping', '--at', '2026-03-04T09:20:00Z'],
    [
      'resolve',
      id,
      '--resolution',
      'Rolled back',
      '--root-cause',
      'Timeout halved',
      '--at',
      '2026-03-04T10:30:00Z',
    ],
  ];
  for (const step of steps) assert.equal(run(repo, ...step).code, 0, step[0]);
  return id;
}

describe('postmortem: a review scaffold and its link, in one commit', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('.incidents.yml', POLICY);
    repo.commitAll('settings');
  });
  afterEach(() => repo.remove());

  it('writes the review and links it, committing exactly those two files', () => {
    const id = resolvedIncident(repo, 'Checkout [502](https://evil.invalid) <b>EU</b>');
    const record = repo.git('ls-files', 'incidents').trim();
    repo.write('notes.md', 'staged, not part of the review\n');
    repo.git('add', 'notes.md');

    const result = run(repo, 'postmortem', id);
    assert.equal(result.code, 0, result.stderr);
    const review = `reviews/${id}.md`;
    const files = repo.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n');
    assert.deepEqual(files.sort(), [record, review].sort());
    assert.deepEqual(repo.git('status', '--porcelain').trim().split('\n'), ['A  notes.md']);
    // The record gains one line: the link.
    const diff = repo.git('diff', 'HEAD~1', 'HEAD', '--numstat', '--', record).trim();
    assert.match(diff, /^1\t0\t/);
    assert.match(repo.read(record), new RegExp(`^postmortem: ${review}$`, 'm'));

    const text = repo.read(review);
    assert.match(
      text,
      /^# Post-incident review: Checkout \\\[502\\\]\(https:\/\/evil\.invalid\) \\<b\\>EU/m,
    );
    assert.ok(!text.includes('<b>'), 'the title is escaped');
    assert.ok(text.includes(`- Record: [${id}](../${record})`));
    for (const section of [
      'Summary',
      'Impact',
      'Timeline',
      'Root cause',
      'What went well',
      'What went badly',
      'Lessons learned',
      'Follow-up actions',
    ]) {
      assert.match(text, new RegExp(`^## ${section}$`, 'm'), section);
    }
    assert.match(text, /^## Root cause\n\nTimeout halved$/m);
    // 09:00Z is 10:00 in Berlin in March (CET, +01:00); each step with who made it.
    assert.match(text, /^\| 2026-03-04 10:00 \| detected \| the record \|$/m);
    assert.match(
      text,
      /^\| 2026-03-04 10:10 \| triaged → investigating \| Test Responder \([0-9a-f]{7}\) \|$/m,
    );
    assert.match(
      text,
      /^\| 2026-03-04 10:20 \| escalated \(functional\) to network: LB flapping \| Test R/m,
    );
    assert.match(
      text,
      /^\| 2026-03-04 11:30 \| resolved \(time to resolve 1h 30m\) \| the record \|$/m,
    );
    assert.match(text, /- \[ \] action — owner: @who — due: YYYY-MM-DD -->/);
  });

  it('refuses to overwrite an existing review, and leaves everything as it was', () => {
    const id = resolvedIncident(repo);
    assert.equal(run(repo, 'postmortem', id).code, 0);
    const head = repo.git('rev-parse', 'HEAD');
    const again = run(repo, 'postmortem', id);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);

    const other = run(repo, 'postmortem', id, '--out', 'elsewhere.md');
    assert.equal(other.code, 1);
    assert.match(other.stderr, /already links a review: reviews\//);
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it('refuses when the record has uncommitted changes, writing nothing', () => {
    const id = resolvedIncident(repo);
    const record = repo.git('ls-files', 'incidents').trim();
    repo.write(record, `${repo.read(record)}\nmy notes\n`);
    const result = run(repo, 'postmortem', id);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /uncommitted changes/);
    assert.equal(existsSync(join(repo.root, 'reviews')), false);
    assert.match(repo.read(record), /my notes/);
  });

  it('puts reviews beside the records folder, or in reviews_directory, or at --out', () => {
    repo.write('.incidents.yml', `${POLICY}directory: ops/incidents\n`);
    repo.commitAll('records in ops/');
    const id = resolvedIncident(repo);
    assert.equal(run(repo, 'postmortem', id).code, 0);
    assert.ok(existsSync(join(repo.root, `ops/reviews/${id}.md`)));

    const second = resolvedIncident(repo, 'Second');
    const out = cli(['postmortem', second, '--out', 'review.md'], join(repo.root, 'ops'));
    assert.equal(out.code, 0, out.stderr);
    assert.ok(
      existsSync(join(repo.root, 'ops/review.md')),
      '--out is read from the current folder',
    );

    repo.write('.incidents.yml', `${POLICY}directory: ops/incidents\nreviews_directory: pm\n`);
    repo.commitAll('reviews in pm/');
    const third = resolvedIncident(repo, 'Third');
    assert.equal(run(repo, 'postmortem', third).code, 0);
    assert.ok(existsSync(join(repo.root, `pm/${third}.md`)));
  });
});

describe('closure rules: close enforces them, lint reports them', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('.incidents.yml', POLICY);
    repo.commitAll('settings');
  });
  afterEach(() => repo.remove());

  const FILLED = (text: string) =>
    text
      .replace('<!-- What the team now knows that it did not know before. -->', 'Floors matter.')
      .replace(/-->\n$/, '-->\n- [ ] Timeout floor in CI — owner: @mira — due: 2026-04-01\n');

  it('refuses to close until the review is filled in and committed', () => {
    const id = resolvedIncident(repo);
    const none = run(repo, 'close', id);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /needs a post-incident review/);

    assert.equal(run(repo, 'postmortem', id).code, 0);
    const review = `reviews/${id}.md`;
    const scaffold = run(repo, 'close', id);
    assert.equal(scaffold.code, 1);
    // Root cause was prefilled from the record; the other two are still placeholders.
    const lines = repo.read(review).split('\n');
    const lessons = lines.indexOf('## Lessons learned') + 1;
    const followUps = lines.indexOf('## Follow-up actions') + 1;
    assert.match(scaffold.stderr, new RegExp(`${review}:${lessons}: "Lessons learned" is empty`));
    assert.match(
      scaffold.stderr,
      new RegExp(`${review}:${followUps}: "Follow-up actions" is empty`),
    );
    assert.doesNotMatch(scaffold.stderr, /Root cause/);

    repo.write(review, FILLED(repo.read(review)));
    const dirty = run(repo, 'close', id);
    assert.equal(dirty.code, 1);
    assert.match(dirty.stderr, /uncommitted changes: commit it before closing/);

    repo.git('commit', '-q', '-am', 'review written');
    const closed = run(repo, 'close', id);
    assert.equal(closed.code, 0, closed.stderr);
    assert.match(closed.stdout, /resolved → closed/);
  });

  it('lint reports a closed record whose review lost its owners, on the exact line', () => {
    const id = resolvedIncident(repo);
    assert.equal(run(repo, 'postmortem', id).code, 0);
    const review = `reviews/${id}.md`;
    repo.write(review, FILLED(repo.read(review)));
    repo.git('commit', '-q', '-am', 'review written');
    assert.equal(run(repo, 'close', id).code, 0);

    repo.write(review, repo.read(review).replace(' — owner: @mira', ''));
    const line =
      repo
        .read(review)
        .split('\n')
        .findIndex((l) => l.includes('Timeout floor')) + 1;
    const lint = run(repo, 'lint', '--format', 'github');
    assert.equal(lint.code, 1);
    assert.equal(
      lint.stdout.trim(),
      `::error file=${review},line=${line},title=git-incidents::follow-up ` +
        '"Timeout floor in CI — due: 2026-04-01" has no owner ' +
        '(expected: - [ ] action — owner: @who — due: YYYY-MM-DD)',
    );
  });

  it('lint warns about a resolved record that close would refuse, naming the field', () => {
    const id = resolvedIncident(repo);
    const record = repo.git('ls-files', 'incidents').trim();
    const line = repo.read(record).split('\n').indexOf('priority: P1') + 1;
    const lint = run(repo, 'lint');
    assert.equal(lint.code, 0);
    assert.match(
      lint.stdout,
      new RegExp(
        `^${record}:${line}: warning \\(priority\\): ${id} cannot be closed yet: ` +
          'a P1 record needs a post-incident review',
        'm',
      ),
    );
  });
});
