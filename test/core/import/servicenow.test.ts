import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runImport } from '../../../src/core/import/importRun';
import { defaultMapping } from '../../../src/core/import/mapping';
import { readServiceNow, serviceNowTime } from '../../../src/core/import/servicenow';
import { issueList } from '../../../src/core/import/source';
import { silentLogger } from '../../../src/core/log';
import { computeMetrics } from '../../../src/core/metricsReport';
import { commitCount, FIXTURES, git, initRepo, isolateGit, openRepo } from './helpers';

// Six tickets cut from the UCI event log (doi:10.24432/C57S4H), 33 rows:
// INC0000045 plain; INC0001155 and INC0011848 reopened; INC0000638 re-prioritised P3 → P2;
// INC0028089 with two `-100` rows; INC0000135 with a repeated sys_mod_count.
const SLICE = join(FIXTURES, 'servicenow-slice.csv');

describe('import servicenow', () => {
  const { temp } = isolateGit();
  const load = (path = SLICE) => {
    const { issues, listener } = issueList();
    return readServiceNow(path, defaultMapping().servicenow, 'UTC', listener).then((parsed) => ({
      parsed,
      issues,
    }));
  };
  const importSlice = (into: string, source = SLICE) =>
    runImport({ kind: 'servicenow', source, into, logger: silentLogger });

  it('reads d/m/yyyy HH:MM as wall-clock time in the given zone', () => {
    assert.equal(serviceNowTime('29/2/2016 01:16', 'UTC'), Date.UTC(2016, 1, 29, 1, 16));
    // Lisbon is UTC+1 in May (WEST): 22:09 local is 21:09Z.
    assert.equal(serviceNowTime('10/5/2016 22:09', 'Europe/Lisbon'), Date.UTC(2016, 4, 10, 21, 9));
    assert.equal(serviceNowTime('30/2/2016 10:00', 'UTC'), undefined);
    assert.equal(serviceNowTime('?', 'UTC'), undefined);
  });

  it('groups rows by number, keeps state and priority changes, reports -100 rows', async () => {
    const { parsed, issues } = await load();
    assert.equal(parsed.units, 33);
    const events = Object.fromEntries(
      parsed.incidents.map((i) => [i.key, i.events.map((e) => e.state?.status)]),
    );
    assert.deepEqual(events.INC0000045, ['logged', 'resolved', 'closed']);
    // Active, Resolved, Active (reopen), Active (same: no event), Resolved, Closed.
    assert.deepEqual(events.INC0001155, [
      'investigating',
      'resolved',
      'investigating',
      'resolved',
      'closed',
    ]);
    // New P3 at 11:29, New P2 at 11:31 (priority change), Resolved, Closed.
    const p638 = parsed.incidents.find((i) => i.key === 'INC0000638');
    assert.deepEqual(
      p638?.events.map((e) => e.state?.priority),
      ['P3', 'P2', 'P2', 'P2'],
    );
    const skipped = issues.filter((i) => i.action === 'skipped').map((i) => i.where);
    // INC0028089's two -100 rows (lines 30, 31); INC0000135's row 6, a second sys_mod_count 7
    // dated 09:27, before the 16:17 update it would follow.
    assert.deepEqual(skipped, ['line 6', 'line 30', 'line 31']);
  });

  it('replays the slice as commits at sys_updated_at, reopens included', async () => {
    const repo = initRepo(temp('sn'));
    const result = await importSlice(repo);
    // 3 + 5 + 4 + 4 + 3 + 3 record commits (see above), after the settings commit.
    assert.equal(result.commits, 23);
    assert.equal(result.added, 6);
    assert.equal(commitCount(repo), 23);
    assert.ok(existsSync(join(repo, '.incidents.yml')));
    const file = join(repo, 'incidents/2016/02/29/INC0000045.md');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^status: closed$/m);
    assert.match(text, /^priority: P3$/m);
    assert.match(text, /^detected_at: 2016-02-29T01:16:00Z$/m);
    assert.match(text, /^resolved_at: 2016-02-29T11:29:00Z$/m);
    assert.match(text, /^closed_at: 2016-03-05T12:00:00Z$/m);

    // INC0001155: resolved 6/4 14:13, reopened 7/4 06:58 by "Updated by …".
    const log = git(repo, 'log', '--reverse', '--format=%aI|%s', '--grep=^INC0001155');
    assert.deepEqual(log.split('\n'), [
      '2016-03-02T11:09:00+00:00|INC0001155: imported as investigating (P3)',
      '2016-04-06T14:13:00+00:00|INC0001155: investigating → resolved',
      '2016-04-07T06:58:00+00:00|INC0001155: resolved → investigating (reopened)',
      '2016-04-25T09:43:00+00:00|INC0001155: investigating → resolved',
      '2016-04-30T10:07:00+00:00|INC0001155: resolved → closed',
    ]);
    const trailers = git(repo, 'log', '--format=%(trailers:key=Incident-Transition,valueonly)');
    // INC0001155 and INC0011848 each reopen once.
    assert.equal(trailers.split('\n').filter((t) => t === 'resolved -> investigating').length, 2);
  });

  it('gives the MTTR and reopen rate computed by hand', async () => {
    const repo = initRepo(temp('sn-metrics'));
    await importSlice(repo);
    const report = await computeMetrics(await openRepo(repo), { cache: false });
    // P3 resolution minus opened_at, in minutes:
    //   INC0000045 29/2 01:16 → 29/2 11:29 (resolved_at)            =    613
    //   INC0001155  2/3 11:07 → 25/4 09:43 (54 d − 1 h 24 m)         = 77 676
    //   INC0011848 28/3 10:45 → 29/3 22:52 (no resolved_at: the commit) = 2 167
    //   INC0028089 10/5 22:09 → 16/6 13:02 (37 d − 9 h 07 m)         = 52 733
    //   INC0000135 29/2 09:45 → 29/2 16:17                           =    392
    //   mean = 133 581 / 5 = 26 716.2
    assert.equal(report.byPriority.P3.mttr.mean, 26716.2);
    assert.equal(report.byPriority.P3.mttr.n, 5);
    // P2: INC0000638 1/3 11:26 → 1/3 12:58 = 92.
    assert.equal(report.byPriority.P2.mttr.mean, 92);
    // Reopened: INC0001155 and INC0011848, of 6 ever resolved.
    assert.equal(report.overall.reopened, 2);
    assert.equal(report.overall.reopenRate, 0.3333);
  });

  it('adds nothing the second time, and only the new events when the source grows', async () => {
    const repo = initRepo(temp('sn-again'));
    const short = join(temp('sn-src'), 'short.csv');
    // Without INC0000045's last row (its Closed update, line 5 of the slice).
    const lines = readFileSync(SLICE, 'utf8').split('\n');
    writeFileSync(short, lines.filter((_l, i) => i !== 4).join('\n'));
    const first = await importSlice(repo, short);
    assert.equal(first.commits, 22);

    const second = await importSlice(repo);
    assert.equal(second.commits, 1);
    assert.equal(second.updated, 1);
    assert.equal(git(repo, 'log', '-1', '--format=%s'), 'INC0000045: resolved → closed');

    const third = await importSlice(repo);
    assert.equal(third.commits, 0);
    assert.equal(commitCount(repo), 23);
  });

  it('leaves a record a person edited since the import alone, and says so', async () => {
    const repo = initRepo(temp('sn-edited'));
    const short = join(temp('sn-src'), 'short.csv');
    const lines = readFileSync(SLICE, 'utf8').split('\n');
    writeFileSync(short, lines.filter((_l, i) => i !== 4).join('\n'));
    await importSlice(repo, short);
    const file = 'incidents/2016/02/29/INC0000045.md';
    writeFileSync(join(repo, file), `${readFileSync(join(repo, file), 'utf8')}\nA note.\n`);
    git(repo, 'commit', '-q', '-m', 'note', '--', file);

    const again = await importSlice(repo);
    assert.equal(again.commits, 0);
    const issue = again.issues.find((i) => i.where === file);
    assert.match(issue?.reason ?? '', /changed or moved since it was imported/);
  });

  it('reports a bad row and imports the rest', async () => {
    const repo = initRepo(temp('sn-bad'));
    const source = join(temp('sn-src'), 'bad.csv');
    const lines = readFileSync(SLICE, 'utf8').split('\n');
    lines.splice(3, 0, 'INC9999999,Active,true,0');
    writeFileSync(source, lines.join('\n'));
    const result = await importSlice(repo, source);
    assert.equal(result.commits, 23);
    assert.deepEqual(
      result.issues.find((i) => i.where === 'line 4'),
      { where: 'line 4', reason: 'has 4 fields, the header has 36', action: 'skipped' },
    );
  });

  it('reads the log gzip-compressed, and refuses a truncated one without writing', async () => {
    const dir = temp('sn-gz');
    const gz = gzipSync(readFileSync(SLICE));
    writeFileSync(join(dir, 'log.csv.gz'), gz);
    const whole = await importSlice(join(dir, 'whole'), join(dir, 'log.csv.gz'));
    assert.equal(whole.commits, 23);
    assert.ok(whole.created);

    writeFileSync(join(dir, 'cut.csv.gz'), gz.subarray(0, gz.length - 40));
    await assert.rejects(importSlice(join(dir, 'cut'), join(dir, 'cut.csv.gz')), (e: Error) => {
      assert.match(e.message, /^line \d+: the gzip stream is damaged or cut short/);
      return true;
    });
    assert.ok(!existsSync(join(dir, 'cut')), 'nothing is created for a broken source');
  });

  it('refuses a cut-off last row, bad UTF-8 and an absurd line, with line numbers', async () => {
    const dir = temp('sn-broken');
    const text = readFileSync(SLICE, 'utf8');
    const cases: [string, Buffer, RegExp][] = [
      ['cut.csv', Buffer.from(text.slice(0, text.length - 300)), /line 34: the last row is cut/],
      [
        'latin1.csv',
        Buffer.concat([Buffer.from(text.split('\n').slice(0, 7).join('\n')), Buffer.from([0xe9])]),
        /line 7: is not valid UTF-8/,
      ],
      ['long.csv', Buffer.from(`${text}${'x'.repeat(1_100_000)}\n`), /line 35: a record longer/],
    ];
    for (const [name, bytes, expected] of cases) {
      writeFileSync(join(dir, name), bytes);
      await assert.rejects(importSlice(join(dir, `${name}.repo`), join(dir, name)), expected);
      assert.ok(!existsSync(join(dir, `${name}.repo`)));
    }
  });

  it('imports into an existing repository after its commits, on its branch', async () => {
    const repo = initRepo(temp('sn-existing'));
    git(repo, 'checkout', '-q', '-b', 'records');
    writeFileSync(join(repo, 'README.md'), 'hello\n');
    git(repo, 'add', 'README.md');
    git(repo, 'commit', '-q', '-m', 'first');
    const result = await importSlice(repo);
    assert.equal(result.branch, 'records');
    assert.equal(commitCount(repo), 24);
    assert.equal(git(repo, 'log', '--reverse', '--format=%s').split('\n')[0], 'first');
    assert.equal(git(repo, 'status', '--porcelain'), '');
  });
});
