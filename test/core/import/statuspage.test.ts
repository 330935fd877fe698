import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runImport } from '../../../src/core/import/importRun';
import { silentLogger } from '../../../src/core/log';
import { computeMetrics } from '../../../src/core/metricsReport';
import { commitCount, FIXTURES, git, initRepo, isolateGit, minutes, openRepo } from './helpers';

// Five of GitHub's incidents (githubstatus.com archive): 00km0kwpz23b (minor, 4 updates),
// 2k3z9fkr9z5g (minor, with `monitoring`), lc8s9rtyjmgq (major, `identified`),
// rgy28jwprr1c (critical, no components) and 01sqkcp7z62r (2011, back-filled).
const SLICE = join(FIXTURES, 'statuspage-slice.jsonl');

describe('import statuspage', () => {
  const { temp } = isolateGit();
  const importInto = (into: string, source = SLICE, mappingFile?: string) =>
    runImport({ kind: 'statuspage', source, into, mappingFile, logger: silentLogger });

  it('replays the updates oldest first, one commit each', async () => {
    const repo = initRepo(temp('sp'));
    const result = await importInto(repo);
    // Updates: 4 + 3 + 5 + 4 + 1 = 17 record commits, after the settings commit.
    assert.equal(result.commits, 18);
    assert.equal(result.added, 5);
    const log = git(repo, 'log', '--reverse', '--format=%aI|%s', '--grep=lc8s9rtyjmgq');
    assert.deepEqual(log.split('\n'), [
      '2021-08-10T20:09:04+00:00|SP-20210810-lc8s9rtyjmgq: imported as investigating (P2)',
      '2021-08-10T20:16:57+00:00|SP-20210810-lc8s9rtyjmgq: updated',
      '2021-08-10T22:24:05+00:00|SP-20210810-lc8s9rtyjmgq: updated',
      '2021-08-10T22:37:02+00:00|SP-20210810-lc8s9rtyjmgq: updated',
      '2021-08-10T23:10:51+00:00|SP-20210810-lc8s9rtyjmgq: investigating → resolved',
    ]);
    const text = readFileSync(join(repo, 'incidents/2021/08/SP-20210810-lc8s9rtyjmgq.md'), 'utf8');
    assert.match(text, /^acknowledged_at: 2021-08-10T22:24:05.186Z$/m);
    assert.match(text, /^service: Actions$/m);
    const timeline = text.slice(text.indexOf('## Timeline'), text.indexOf('## Investigation'));
    assert.deepEqual(
      [...timeline.matchAll(/^- \S+ (\w+):/gm)].map((m) => m[1]),
      ['investigating', 'investigating', 'identified', 'monitoring', 'resolved'],
    );
    const two = readFileSync(join(repo, 'incidents/2023/01/SP-20230110-00km0kwpz23b.md'), 'utf8');
    assert.match(two, /^service:\n {2}- Git Operations\n {2}- Actions$/m);
  });

  it('maps impact to priority and gives the MTTR and MTTA computed by hand', async () => {
    const repo = initRepo(temp('sp-metrics'));
    await importInto(repo);
    const report = await computeMetrics(await openRepo(repo), { cache: false });
    assert.deepEqual(
      Object.fromEntries(Object.entries(report.byPriority).map(([p, b]) => [p, b.count])),
      { P1: 1, P2: 1, P3: 3, P4: 0 },
    );
    // P3: 00km0kwpz23b 17:04:42.462 → 18:14:45.860 = 70.0566 min; 2k3z9fkr9z5g 00:06:40.656
    // → 00:47:50.977 = 41.1720 min; the back-filled 01sqkcp7z62r 0 min. Mean 37.0762.
    const p3 = [
      minutes('2023-01-10T17:04:42.462Z', '2023-01-10T18:14:45.860Z'),
      minutes('2020-04-14T00:06:40.656Z', '2020-04-14T00:47:50.977Z'),
      0,
    ];
    assert.equal(report.byPriority.P3.mttr.mean, 37.08);
    assert.equal(Math.round((p3.reduce((a, b) => a + b) / 3) * 100) / 100, 37.08);
    // P2 lc8s9rtyjmgq: created 20:09:03.904, identified 22:24:05.186 (2 h 15 m 01.282 s =
    // 135.02 min), resolved 23:10:51.289 (3 h 01 m 47.385 s = 181.79 min).
    assert.equal(report.byPriority.P2.mtta.mean, 135.02);
    assert.equal(report.byPriority.P2.mttr.mean, 181.79);
    // P1 rgy28jwprr1c: 16:12:01.654 → identified 16:22:14.769 (10.22) → resolved 16:37:46.707.
    assert.equal(report.byPriority.P1.mtta.mean, 10.22);
    assert.equal(report.byPriority.P1.mttr.mean, 25.75);
  });

  it('notes the back-filled incident and takes a mapping override', async () => {
    const dir = temp('sp-map');
    const mapping = join(dir, 'mapping.yml');
    writeFileSync(mapping, 'statuspage:\n  status:\n    monitoring: resolved\n');
    const result = await importInto(join(dir, 'repo'), SLICE, mapping);
    const note = result.issues.find((i) => i.action === 'imported');
    assert.match(note?.reason ?? '', /^1 incident\(s\) before 2019 are back-filled/);
    const report = await computeMetrics(await openRepo(join(dir, 'repo')), { cache: false });
    // With monitoring as resolved, 2k3z9fkr9z5g resolves at 00:45:43.740 (39.0514 min) and
    // its later `resolved` update is a second move, not a new resolution; P3 mean becomes
    // (70.0566 + 39.0514 + 0) / 3 = 36.3693.
    assert.equal(report.byPriority.P3.mttr.mean, 36.37);
  });

  it('reads a JSON array the same as JSON lines; a second run adds nothing', async () => {
    const dir = temp('sp-array');
    const lines = readFileSync(SLICE, 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'incidents.json'), `[\n${lines.join(',\n')}\n]\n`);
    const repo = join(dir, 'repo');
    const first = await importInto(repo, join(dir, 'incidents.json'));
    assert.equal(first.commits, 18);
    const second = await importInto(repo, SLICE);
    assert.equal(second.commits, 0);
    assert.equal(commitCount(repo), 18);
  });

  it('skips a line that is not JSON and refuses a cut-off last line', async () => {
    const dir = temp('sp-bad');
    const lines = readFileSync(SLICE, 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'bad.jsonl'), [lines[0], '{"id": oops', ...lines.slice(1)].join('\n'));
    const result = await importInto(join(dir, 'bad'), join(dir, 'bad.jsonl'));
    assert.equal(result.added, 5);
    assert.equal(result.issues[0].where, 'line 2');
    assert.equal(result.issues[0].action, 'skipped');

    writeFileSync(join(dir, 'cut.jsonl'), `${lines.join('\n').slice(0, -50)}`);
    await assert.rejects(
      importInto(join(dir, 'cut'), join(dir, 'cut.jsonl')),
      /line 5: .*cut short/,
    );
  });
});
