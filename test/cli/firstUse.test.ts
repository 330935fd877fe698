import { strict as assert } from 'node:assert';
import { cli, TempRepo } from '../support/gitRepo';

function newRecord(repo: TempRepo, ...args: string[]): string {
  const result = cli(['new', '--title', 'Queue stuck', '--priority', 'P2', ...args], repo.root);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.split(/\s+/)[0];
}

describe('faults a first-time user met', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('.incidents.yml', 'version: 1\ntimezone: UTC\n');
    repo.commitAll('settings', '2026-11-01T00:00:00Z');
  });
  afterEach(() => repo.remove());

  it('a record saved with CRLF line endings is found by its id', () => {
    const id = newRecord(repo);
    const file = repo.git('ls-files', 'incidents').trim();
    repo.write(file, repo.read(file).replace(/\n/g, '\r\n'));
    repo.commitAll('crlf');
    const show = cli(['show', id], repo.root);
    assert.equal(show.code, 0, show.stderr);
    const ack = cli(['ack', id], repo.root);
    assert.equal(ack.code, 0, ack.stderr);
    assert.match(repo.read(file), /\r\nstatus: investigating\r\n/);
  });

  it('metrics use the settings of the reported revision, not uncommitted edits', () => {
    newRecord(repo, '--at', '2026-11-02T10:00:00Z');
    const before = JSON.parse(cli(['metrics', '--format', 'json'], repo.root).stdout);
    repo.write('.incidents.yml', 'version: 1\ntimezone: UTC\npriorities:\n  P2: {resolve: 99h}\n');
    const after = JSON.parse(cli(['metrics', '--format', 'json'], repo.root).stdout);
    assert.equal(before.byPriority.P2.resolutionSla.target, '24h');
    assert.equal(after.byPriority.P2.resolutionSla.target, '24h');
  });

  it('--as-of a date finds the state by author date, as back-dated steps record it', () => {
    const id = newRecord(repo, '--at', '2026-11-02T10:00:00Z');
    const ack = cli(['ack', id, '--at', '2026-11-02T10:30:00Z'], repo.root);
    assert.equal(ack.code, 0, ack.stderr);
    const report = JSON.parse(
      cli(['metrics', '--format', 'json', '--as-of', '2026-11-02T10:10:00Z'], repo.root).stdout,
    );
    // At 10:10 the record was logged (triaged, P2) and not yet acknowledged.
    assert.equal(report.overall.count, 1);
    assert.equal(report.overall.mtta.n, 0);
    assert.equal(report.byPriority.P2.responseSla.pending, 1);
  });

  it('refuses a step dated in the future or before detection, and offset-less times without a timezone', () => {
    const id = newRecord(repo, '--at', '2026-11-02T10:00:00Z');
    const future = cli(['ack', id, '--at', '2099-01-01T00:00:00Z'], repo.root);
    assert.equal(future.code, 2);
    assert.match(future.stderr, /in the future/);
    const early = cli(['ack', id, '--at', '2026-11-01T10:00:00Z'], repo.root);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /before the record was detected/);

    repo.write('.incidents.yml', 'version: 1\n');
    repo.commitAll('no timezone');
    const offsetless = cli(['ack', id, '--at', '2026-11-02T11:00'], repo.root);
    assert.equal(offsetless.code, 2);
    assert.match(offsetless.stderr, /timezone/);
  });

  it('rejects list filters and formats that can never match, and a missing --repo folder', () => {
    const status = cli(['list', '--status', 'investigatin'], repo.root);
    assert.equal(status.code, 2);
    assert.match(status.stderr, /use one of logged, triaged, investigating/);
    const missing = cli(['list', '--repo', '/nonexistent/folder'], repo.root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such folder/);
    const range = cli(
      ['metrics', '--since', '2026-11-30T00:00:00Z', '--until', '2026-11-01T00:00:00Z'],
      repo.root,
    );
    assert.equal(range.code, 2);
  });
});
