import { strict as assert } from 'node:assert';
import { cli, TempRepo } from '../support/gitRepo';

const POLICY = 'version: 1\ntimezone: UTC\n';

function newIncident(repo: TempRepo, ...extra: string[]): string {
  const result = cli(
    [
      'new',
      '--title',
      'Checkout returns 502',
      '--priority',
      'P1',
      '--category',
      'network',
      '--service',
      'checkout-api',
      ...extra,
    ],
    repo.root,
  );
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.split(/\s+/)[0];
}

describe('lifecycle commands, each a commit of one record', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('.incidents.yml', POLICY);
    repo.commitAll('settings');
  });
  afterEach(() => repo.remove());

  it('logs, acknowledges, escalates, resolves, closes and reopens, one commit each', () => {
    const id = newIncident(repo, '--at', '2026-03-04T09:00:00Z');
    assert.match(id, /^INC-20260304-[a-z2-9]{6}$/);
    const steps: string[][] = [
      ['ack', id, '--assignee', 'sam', '--at', '2026-03-04T09:10:00Z'],
      [
        'escalate',
        id,
        '--kind',
        'hierarchical',
        '--to',
        'duty-manager',
        '--reason',
        'big',
        '--at',
        '2026-03-04T09:20:00Z',
      ],
      [
        'resolve',
        id,
        '--resolution',
        'Rolled back release 42',
        '--root-cause',
        'bad config',
        '--at',
        '2026-03-04T10:30:00Z',
      ],
      ['close', id, '--postmortem', 'reviews/checkout.md', '--at', '2026-03-05T09:00:00Z'],
      ['reopen', id, '--reason', 'errors again', '--at', '2026-03-05T10:00:00Z'],
    ];
    for (const step of steps) {
      const result = cli(step, repo.root);
      assert.equal(result.code, 0, `${step[0]}: ${result.stderr}`);
    }
    const subjects = repo.git('log', '--format=%s').trim().split('\n');
    assert.deepEqual(subjects, [
      `${id}: closed → investigating (reopened)`,
      `${id}: resolved → closed`,
      `${id}: investigating → resolved`,
      `${id}: escalated (hierarchical) to duty-manager`,
      `${id}: triaged → investigating`,
      `${id}: logged as P1`,
      'settings',
    ]);
    // Back-dated steps are authored at the given time and say so in the message.
    assert.equal(
      repo.git('log', '-1', '--skip=4', '--format=%aI').trim(),
      '2026-03-04T09:10:00+00:00',
    );
    assert.match(repo.git('log', '-1', '--skip=4', '--format=%b'), /Back-dated: 2026-03-04T09:10/);

    const file = repo.git('show', '--name-only', '--format=', 'HEAD').trim();
    const text = repo.read(file);
    assert.match(text, /^status: investigating$/m);
    assert.doesNotMatch(text, /^resolved_at:/m);
    assert.match(text, /^acknowledged_at: 2026-03-04T09:10:00Z$/m);
    assert.match(text, /^ {4}kind: hierarchical$/m);
  });

  it('never commits or loses the user other staged and unstaged changes', () => {
    const id = newIncident(repo);
    repo.write('notes.md', 'staged notes\n');
    repo.git('add', 'notes.md');
    repo.write('.incidents.yml', `${POLICY}# unstaged edit\n`);

    const result = cli(['ack', id], repo.root);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      repo.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').length,
      1,
    );
    const status = repo.git('status', '--porcelain').split('\n').filter(Boolean).sort();
    assert.deepEqual(status, [' M .incidents.yml', 'A  notes.md']);
  });

  it('refuses to step a record with uncommitted edits, and leaves the edits alone', () => {
    const id = newIncident(repo);
    const file = repo.git('ls-files', 'incidents').trim();
    const edited = `${repo.read(file)}\nA note I have not committed.\n`;
    repo.write(file, edited);

    const result = cli(['resolve', id, '--resolution', 'x'], repo.root);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /uncommitted changes/);
    assert.equal(repo.read(file), edited);
    assert.equal(repo.git('rev-list', '--count', 'HEAD').trim(), '2');
  });

  it('refuses transitions the lifecycle does not allow, with what to do instead', () => {
    const id = newIncident(repo);
    const close = cli(['close', id], repo.root);
    assert.equal(close.code, 1);
    assert.match(close.stderr, /only a resolved record can be closed/);

    cli(['resolve', id, '--resolution', 'fixed'], repo.root);
    const noReview = cli(['close', id], repo.root);
    assert.match(noReview.stderr, /needs a post-incident review/);
    const reopen = cli(['close', id, '--postmortem', 'https://wiki.example/pir/1'], repo.root);
    assert.equal(reopen.code, 0, reopen.stderr);
    const again = cli(['reopen', id], repo.root);
    assert.match(again.stderr, /closed; reopening it needs --reason/);
  });

  it('fails before writing anything when git has no identity', () => {
    const bare = new TempRepo({ identity: false });
    try {
      bare.write('.incidents.yml', POLICY);
      const result = cli(['new', '--title', 'x'], bare.root, { HOME: bare.root, EMAIL: '' });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /git config user\.name/);
      assert.equal(
        bare.git('status', '--porcelain', '--untracked-files=all').trim(),
        '?? .incidents.yml',
      );
    } finally {
      bare.remove();
    }
  });

  it('keeps user text out of git options and paths', () => {
    const id = newIncident(repo);
    const result = cli(
      ['escalate', id, '--kind', 'functional', '--to=--output=x', '--reason=-n; rm -rf /'],
      repo.root,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(repo.git('status', '--porcelain'), '');
    assert.match(repo.git('log', '-1', '--format=%B'), /Reason: -n; rm -rf \//);
    const missing = cli(['show', '../../etc/passwd'], repo.root);
    assert.equal(missing.code, 1);
  });
});
