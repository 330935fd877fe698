import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cli,
  PROJECT_ROOT,
  runCaseScript,
  SHARED,
  TEST_GIT_ENV,
  TempRepo,
} from '../support/gitRepo';

const git = (repo: string, ...args: string[]) =>
  execFileSync('git', args, { cwd: repo, env: TEST_GIT_ENV, encoding: 'utf8' });

function metricsJson(repo: string, ...args: string[]) {
  const result = cli(['metrics', '--format', 'json', ...args], repo);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

describe('cases from public bug reports, through the CLI on real git', () => {
  const cleanup: string[] = [];
  afterEach(() => {
    for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('B11: non-ASCII and spaced paths come back as on disk, and a rename keeps history', () => {
    const { dir, repo } = runCaseScript('B11-non-ascii-paths.sh');
    cleanup.push(dir);
    const list = cli(['list', '--all', '--format', 'json'], repo);
    assert.deepEqual(
      JSON.parse(list.stdout).map((r: { file: string }) => r.file),
      ['incidents/INC-0042-paiement-rétabli.md', 'incidents/INC-0043 Überweisung.md'],
    );

    const history = JSON.parse(cli(['history', 'INC-0042', '--format', 'json'], repo).stdout);
    const texts = history.events.map((e: { text: string; at: string }) => `${e.at} ${e.text}`);
    assert.deepEqual(texts, [
      '2024-01-09T08:05:00.000Z created → triaged',
      '2024-01-09T08:41:00.000Z moved incidents/INC-0042-paiement-échoué.md → ' +
        'incidents/INC-0042-paiement-rétabli.md',
      '2024-01-09T08:41:00.000Z triaged → resolved',
    ]);
    // INC-0042: detected 08:00Z, resolved 08:40Z (front matter) → 40 min.
    assert.equal(metricsJson(repo).byPriority.P2.mttr.mean, 40);
  });

  it('B12: file names that look like git options are only ever pathspecs', () => {
    const { dir, repo } = runCaseScript('B12-dash-leading-names.sh');
    cleanup.push(dir);
    writeFileSync(join(repo, '.incidents.yml'), 'version: 1\ndirectory: .\n');
    git(repo, 'add', '.incidents.yml');
    git(repo, 'commit', '-q', '-m', 'settings');
    const baseline = readFileSync(join(repo, 'INC-0001.md'));
    const files = readdirSync(repo).sort();

    for (const [id, file] of [
      ['INC-0051', '-INC-0051.md'],
      ['INC-0052', '--output=INC-0001.md'],
    ]) {
      const ack = cli(['ack', id, '--assignee', 'responder-d'], repo);
      assert.equal(ack.code, 0, ack.stderr);
      assert.equal(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim(), file);
      assert.match(readFileSync(join(repo, file), 'utf8'), /^status: investigating$/m);
      const history = cli(['history', id], repo);
      assert.equal(history.code, 0, history.stderr);
      assert.match(history.stdout, /triaged → investigating/);
    }
    assert.equal(git(repo, 'status', '--porcelain'), '');
    assert.deepEqual(readFileSync(join(repo, 'INC-0001.md')), baseline);
    assert.deepEqual(readdirSync(repo).sort(), files);
  });

  it('B13: a transient index.lock is waited for and one commit is made', async () => {
    const { dir, repo } = runCaseScript('B13-index-lock.sh', 'stale');
    cleanup.push(dir);
    writeFileSync(join(repo, '.incidents.yml'), 'version: 1\ndirectory: .\n');
    const before = Number(git(repo, 'rev-list', '--count', 'HEAD'));
    setTimeout(() => rmSync(join(repo, '.git', 'index.lock'), { force: true }), 1500);
    let stderr = '';
    const code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        [join(PROJECT_ROOT, 'dist', 'cli.js'), 'ack', 'INC-0301'],
        { cwd: repo, env: TEST_GIT_ENV, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('close', (c) => resolve(c ?? 1));
    });
    assert.equal(code, 0, stderr);
    assert.equal(Number(git(repo, 'rev-list', '--count', 'HEAD')), before + 1);
    assert.match(git(repo, 'show', 'HEAD:INC-0301.md'), /^status: investigating$/m);
  });

  it('B13: a stale index.lock fails in bounded time, names it, and is left alone', () => {
    const { dir, repo } = runCaseScript('B13-index-lock.sh', 'stale');
    cleanup.push(dir);
    writeFileSync(join(repo, '.incidents.yml'), 'version: 1\ndirectory: .\n');
    const original = readFileSync(join(repo, 'INC-0301.md'), 'utf8');
    const result = cli(['ack', 'INC-0301'], repo, { GIT_INCIDENTS_LOCK_WAIT_MS: '1000' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /index\.lock/);
    assert.match(result.stderr, /another git process may be running/);
    assert.ok(existsSync(join(repo, '.git', 'index.lock')), 'the lock is never deleted');
    assert.equal(readFileSync(join(repo, 'INC-0301.md'), 'utf8'), original, 'file put back');
  });

  it('B15: business-day targets count only business hours across a weekend', () => {
    const repo = new TempRepo();
    cleanup.push(repo.root);
    repo.write(
      '.incidents.yml',
      'version: 1\ntimezone: America/New_York\n' +
        'business_hours: {days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}\n' +
        'priorities:\n  P3: {name: Medium, respond: 1bd, resolve: 1bd}\n',
    );
    for (const name of ['B15-p3-friday-to-monday.md', 'B15-p3-saturday-to-monday.md']) {
      repo.write(`incidents/${name}`, readFileSync(join(SHARED, 'cases', name)));
    }
    repo.commitAll('seed', '2024-06-17T20:00:00Z');
    const p3 = metricsJson(repo.root).byPriority.P3;
    // INC-0180 needs 30 min + 2 h = 150 business min; INC-0181 6 h = 360: both within 480.
    assert.deepEqual(p3.resolutionSla, { target: '1bd', met: 2, breached: 0, pending: 0, rate: 1 });
    // Responses: 10 business min (Fri 16:30→16:40) and 20 (Mon 09:00→09:20): both met.
    assert.equal(p3.responseSla.rate, 1);
  });

  it('B16: a reopen counts from history and MTTR uses the final resolution', () => {
    const { dir, repo } = runCaseScript('B16-reopen-history.sh');
    cleanup.push(dir);
    const report = metricsJson(repo);
    // MTTR: INC-0401 10:00→13:30 = 210, INC-0402 14:00→14:30 = 30; mean 120.
    assert.equal(report.overall.mttr.mean, 120);
    // MTTA: 5 and 4 minutes → 4.5. Reopen rate: 1 of 2 ever-resolved records.
    assert.equal(report.overall.mtta.mean, 4.5);
    assert.equal(report.overall.reopenRate, 0.5);
    assert.equal(report.overall.count, 2);
    assert.deepEqual(report.volume.byCategory, { availability: { '2024-09': 2 } });
  });

  it('B17: times missing from front matter come from author dates, as instants', () => {
    const { dir, repo } = runCaseScript('B17-rebased-dates.sh');
    cleanup.push(dir);
    const report = metricsJson(repo);
    // Detected 03:20Z; ack 09:05+05:30 = 03:35Z; resolve 23:40-07:00 = 06:40Z.
    assert.equal(report.overall.mtta.mean, 15);
    assert.equal(report.overall.mttr.mean, 200);
  });
});
