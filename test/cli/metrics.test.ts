import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stats } from '../../src/core/metrics';
import { cli, TEST_GIT_ENV, TempRepo } from '../support/gitRepo';

const POLICY =
  'version: 1\ntimezone: UTC\npriorities:\n  P1: {name: Critical, respond: 15m, ' +
  'resolve: 4h}\n  P2: {name: High, respond: 1h, resolve: 24h}\n';

function record(id: string, fields: Record<string, string>): string {
  const lines = Object.entries({ id, title: `Incident ${id}`, ...fields }).map(
    ([k, v]) => `${k}: ${v}`,
  );
  return `---\n${lines.join('\n')}\n---\nbody\n`;
}

/** Three P1 incidents with hand-picked times, committed at known author dates. */
function seed(repo: TempRepo): void {
  repo.write('.incidents.yml', POLICY);
  repo.write(
    'incidents/a.md',
    record('A', {
      status: 'resolved',
      priority: 'P1',
      category: 'db',
      started_at: '2026-01-05T09:50:00Z',
      detected_at: '2026-01-05T10:00:00Z',
      acknowledged_at: '2026-01-05T10:10:00Z',
      resolved_at: '2026-01-05T12:00:00Z',
    }),
  );
  repo.write(
    'incidents/b.md',
    record('B', {
      status: 'closed',
      priority: 'P1',
      category: 'db',
      detected_at: '2026-01-12T10:00:00Z',
      acknowledged_at: '2026-01-12T10:30:00Z',
      resolved_at: '2026-01-12T16:00:00Z',
      closed_at: '2026-01-13T10:00:00Z',
    }),
  );
  repo.write(
    'incidents/c.md',
    record('C', {
      status: 'investigating',
      priority: 'P1',
      category: 'network',
      detected_at: '2026-02-02T10:00:00Z',
      acknowledged_at: '2026-02-02T10:05:00Z',
    }),
  );
  repo.commitAll('seed', '2026-02-02T11:00:00Z');
}

function json(root: string, ...args: string[]) {
  const result = cli(['metrics', '--format', 'json', ...args], root);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

describe('metrics', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    seed(repo);
  });
  afterEach(() => repo.remove());

  it('computes MTTD, MTTA, MTTR and SLA per priority from hand-picked times', () => {
    const p1 = JSON.parse(json(repo.root)).byPriority.P1;
    assert.equal(p1.count, 3);
    // MTTD: only A has started_at: 10 min.
    assert.deepEqual(p1.mttd, { mean: 10, median: 10, p90: 10, n: 1 });
    // MTTA: 10, 30, 5 → mean 15, median 10, p90 (nearest rank 3 of 3) 30.
    assert.deepEqual(p1.mtta, { mean: 15, median: 10, p90: 30, n: 3 });
    // MTTR: A 120, B 360 → mean 240, median 240, p90 360.
    assert.deepEqual(p1.mttr, { mean: 240, median: 240, p90: 360, n: 2 });
    // Respond 15m: A 10 met, B 30 breached, C 5 met. Resolve 4h: A met, B breached, and C
    // open since 10:00 judged at the commit time 11:00: pending.
    assert.deepEqual(p1.responseSla, {
      target: '15m',
      met: 2,
      breached: 1,
      pending: 0,
      rate: 0.6667,
    });
    assert.deepEqual(p1.resolutionSla, {
      target: '4h',
      met: 1,
      breached: 1,
      pending: 1,
      rate: 0.5,
    });
    const report = JSON.parse(json(repo.root, '--period', 'week'));
    assert.deepEqual(report.volume.byCategory, {
      db: { '2026-W02': 1, '2026-W03': 1 },
      network: { '2026-W06': 1 },
    });
  });

  it('gives byte-identical JSON for the same revision, with or without the cache', () => {
    const first = json(repo.root);
    assert.equal(json(repo.root), first);
    assert.equal(json(repo.root, '--no-cache'), first);
  });

  it('updates the cache incrementally and agrees with a full walk', () => {
    json(repo.root);
    repo.write(
      'incidents/c.md',
      repo
        .read('incidents/c.md')
        .replace('status: investigating', 'status: resolved\nresolved_at: 2026-02-02T13:00:00Z'),
    );
    repo.commitAll('resolve C', '2026-02-02T13:01:00Z');
    const incremental = JSON.parse(json(repo.root));
    assert.equal(incremental.byPriority.P1.resolutionSla.met, 2);
    assert.equal(
      JSON.stringify(incremental),
      JSON.stringify(JSON.parse(json(repo.root, '--no-cache'))),
    );
  });

  it('reproduces the numbers as of an earlier revision or date', () => {
    const before = repo.git('rev-parse', 'HEAD').trim();
    repo.write(
      'incidents/c.md',
      repo
        .read('incidents/c.md')
        .replace('status: investigating', 'status: resolved\nresolved_at: 2026-02-02T20:00:00Z'),
    );
    repo.commitAll('resolve C late', '2026-02-02T20:01:00Z');
    const now = JSON.parse(json(repo.root)).byPriority.P1.resolutionSla;
    assert.deepEqual([now.met, now.breached, now.pending], [1, 2, 0]);
    const then = JSON.parse(json(repo.root, '--as-of', before));
    assert.equal(then.revision, before);
    assert.deepEqual([then.byPriority.P1.resolutionSla.pending], [1]);
    const byDate = JSON.parse(json(repo.root, '--as-of', '2026-02-02T12:00:00Z'));
    assert.equal(byDate.revision, before);
  });

  it('leaves invalid records out with a warning and reports where they are', () => {
    repo.write('incidents/bad.md', '---\nid: D\nstatus: nope\n---\n');
    repo.commitAll('bad record', '2026-02-03T00:00:00Z');
    const result = cli(['metrics', '--format', 'json'], repo.root);
    const report = JSON.parse(result.stdout);
    assert.equal(report.overall.count, 3);
    assert.ok(
      report.problems.some(
        (p: { file: string; field: string }) =>
          p.file === 'incidents/bad.md' && p.field === 'status',
      ),
    );
    assert.match(result.stderr, /left out/);
  });

  it('detects a shallow clone: warns, or fails when history is required', () => {
    const dir = mkdtempSync(join(tmpdir(), 'git-incidents-shallow-'));
    try {
      repo.commitAll('another', '2026-02-04T00:00:00Z');
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.root}`, dir], {
        env: TEST_GIT_ENV,
      });
      const warned = cli(['metrics', '--format', 'json'], dir);
      assert.equal(warned.code, 0);
      assert.match(warned.stderr, /shallow clone/);
      const report = JSON.parse(warned.stdout);
      assert.equal(report.history, 'front-matter-only');
      assert.equal(report.overall.reopenRate, null);
      assert.equal(report.byPriority.P1.mttr.mean, 240);
      const strict = cli(['metrics', '--require-history'], dir);
      assert.equal(strict.code, 1);
      assert.match(strict.stderr, /fetch --unshallow/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts a category named __proto__ like any other, polluting nothing', () => {
    repo.write(
      'incidents/p.md',
      record('P', { status: 'logged', category: '__proto__', detected_at: '2026-02-02T10:30:00Z' }),
    );
    repo.commitAll('odd category', '2026-02-02T11:30:00Z');
    const volume = JSON.parse(json(repo.root)).volume.byCategory;
    // db: Jan ×2; network: Feb ×1; __proto__: Feb ×1.
    assert.deepEqual(Object.keys(volume), ['__proto__', 'db', 'network']);
    assert.deepEqual(volume.__proto__, { '2026-02': 1 });
    assert.equal(({} as Record<string, unknown>)['2026-02'], undefined);
  });

  it('renders table, CSV and markdown from the same report', () => {
    const table = cli(['metrics'], repo.root).stdout;
    assert.match(table, /P1 Critical\s+3\s+1\s+10m \/ 10m \/ 10m/);
    const csv = cli(['metrics', '--format', 'csv'], repo.root).stdout.split('\n');
    assert.match(csv[0], /^scope,key,count,open,resolved,mttd_mean/);
    assert.match(csv[2], /^priority,P1,3,1,2,10,10,10,1,15,10,30,3,240,240,360,2,15m,2,1,0,0.6667/);
    const md = cli(['metrics', '--format', 'markdown'], repo.root).stdout;
    assert.match(md, /^\| P1 Critical \| 3 \| 1 \|/m);
  });
});

describe('metric statistics', () => {
  it('median averages the middle pair and p90 takes the nearest rank', () => {
    // 1..10: median (5+6)/2 = 5.5; p90 = value at rank ceil(9) = 9.
    assert.deepEqual(stats([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]), {
      mean: 5.5,
      median: 5.5,
      p90: 9,
      n: 10,
    });
    assert.deepEqual(stats([]), { mean: null, median: null, p90: null, n: 0 });
  });
});
