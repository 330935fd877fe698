import { strict as assert } from 'node:assert';
import { cli, TempRepo } from '../support/gitRepo';

function record(id: string, priority: string, detected: string, resolved: string): string {
  return [
    '---',
    `id: ${id}`,
    `title: Incident ${id}`,
    'status: resolved',
    `priority: ${priority}`,
    'category: network',
    `detected_at: ${detected}`,
    `resolved_at: ${resolved}`,
    'resolution: Rolled back',
    '---',
    '',
    '## Summary',
    '',
  ].join('\n');
}

const A = 'INC-20260302-aaaaaa';
const B = 'INC-20260303-bbbbbb';
const C = 'INC-20260304-cccccc';

describe('problem: one problem record for the root cause of several incidents', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('.incidents.yml', 'version: 1\ntimezone: UTC\nlayout: flat\n');
    // MTTR by hand: A 30 min, B 90 min, C 60 min.
    repo.write(
      `incidents/${A}.md`,
      record(A, 'P2', '2026-03-02T09:00:00Z', '2026-03-02T09:30:00Z'),
    );
    repo.write(
      `incidents/${B}.md`,
      record(B, 'P2', '2026-03-03T09:00:00Z', '2026-03-03T10:30:00Z'),
    );
    repo.write(
      `incidents/${C}.md`,
      record(C, 'P3', '2026-03-04T09:00:00Z', '2026-03-04T10:00:00Z'),
    );
    repo.commitAll('three incidents', '2026-03-05T00:00:00Z');
  });
  afterEach(() => repo.remove());

  it('opens the problem and links both ways, in one commit of exactly those files', () => {
    repo.write('unrelated.md', 'staged elsewhere\n');
    repo.git('add', 'unrelated.md');
    const result = cli(
      [
        'problem',
        A,
        B,
        '--title',
        'Health-check timeouts not validated',
        '--root-cause',
        'Config pushes skip validation',
        '--priority',
        'P2',
        '--at',
        '2026-03-06T08:00:00Z',
      ],
      repo.root,
    );
    assert.equal(result.code, 0, result.stderr);
    const [prb, file] = result.stdout.split(/\s+/);
    assert.match(prb, /^PRB-20260306-[a-z2-9]{6}$/);
    assert.equal(file, `incidents/${prb}.md`);

    const files = repo.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n');
    assert.deepEqual(files.sort(), [`incidents/${A}.md`, `incidents/${B}.md`, file].sort());
    assert.deepEqual(repo.git('status', '--porcelain').trim().split('\n'), ['A  unrelated.md']);

    const problem = repo.read(file);
    assert.match(problem, /^type: problem$/m);
    assert.match(problem, /^status: triaged$/m);
    assert.match(problem, /^root_cause: Config pushes skip validation$/m);
    assert.match(problem, new RegExp(`^incidents:\\n  - ${A}\\n  - ${B}\\n---$`, 'm'));
    for (const id of [A, B]) {
      assert.match(repo.read(`incidents/${id}.md`), new RegExp(`^problem: ${prb}$`, 'm'));
    }
    assert.doesNotMatch(repo.read(`incidents/${C}.md`), /^problem:/m);
    assert.match(repo.git('log', '-1', '--format=%B'), new RegExp(`Problem-Incidents: ${A}, ${B}`));
  });

  it('groups the metrics by problem through the links', () => {
    const opened = cli(['problem', A, B, '--title', 'Shared cause'], repo.root);
    assert.equal(opened.code, 0, opened.stderr);
    const prb = opened.stdout.split(/\s+/)[0];

    const metrics = cli(['metrics', '--by', 'problem', '--format', 'json'], repo.root);
    assert.equal(metrics.code, 0, metrics.stderr);
    const groups = JSON.parse(metrics.stdout).by.groups;
    assert.deepEqual(Object.keys(groups), ['(none)', prb]);
    // The problem's incidents A and B: MTTR (30 + 90) / 2 = 60 min, median 60, p90 = 90
    // (nearest rank ⌈0.9 × 2⌉ = 2nd of [30, 90]). The problem record itself is no incident.
    assert.equal(groups[prb].count, 2);
    assert.deepEqual(groups[prb].mttr, { mean: 60, median: 60, p90: 90, n: 2 });
    assert.equal(groups['(none)'].count, 1);
    assert.equal(groups['(none)'].mttr.mean, 60);
  });

  it('refuses an incident already linked to a problem, and one with uncommitted edits', () => {
    const first = cli(['problem', A, '--title', 'First'], repo.root);
    assert.equal(first.code, 0, first.stderr);
    const head = repo.git('rev-parse', 'HEAD');

    const linked = cli(['problem', A, B, '--title', 'Second'], repo.root);
    assert.equal(linked.code, 1);
    assert.match(linked.stderr, new RegExp(`${A} is already linked to problem PRB-`));

    repo.write(`incidents/${C}.md`, `${repo.read(`incidents/${C}.md`)}notes\n`);
    const dirty = cli(['problem', B, C, '--title', 'Third'], repo.root);
    assert.equal(dirty.code, 1);
    assert.match(dirty.stderr, new RegExp(`incidents/${C}.md has uncommitted changes`));
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
    const status = repo.git('status', '--porcelain').split('\n').filter(Boolean);
    assert.deepEqual(status, [` M incidents/${C}.md`]);
  });

  it('needs a title and at least one incident', () => {
    assert.equal(cli(['problem', '--title', 'x'], repo.root).code, 2);
    assert.equal(cli(['problem', A], repo.root).code, 2);
  });
});
