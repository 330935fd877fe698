import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TempRepo, TEST_GIT_ENV } from '../support/gitRepo';
import { runDist, startServer } from '../support/localServer';

const A = 'INC-20260304-aaaaaa';
const B = 'INC-20260304-bbbbbb';
const BAD = 'INC-20260306-dddddd';

function record(id: string, priority: string, detected: string, resolved: string): string {
  return [
    '---',
    `id: ${id}`,
    `title: Incident ${id.slice(-1)}`,
    'status: resolved',
    `priority: ${priority}`,
    'category: network',
    `detected_at: ${detected}`,
    `resolved_at: ${resolved}`,
    '---',
    '',
  ].join('\n');
}

/** Every variable the Action reads, empty unless a test sets it (CI sets some itself). */
function actionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const names = [
    'GITHUB_EVENT_NAME',
    'GITHUB_EVENT_PATH',
    'GITHUB_STEP_SUMMARY',
    'GITHUB_OUTPUT',
    'GITHUB_REF',
    'GITHUB_REPOSITORY',
    'GITHUB_API_URL',
    'GITHUB_WORKSPACE',
    'RUNNER_DEBUG',
  ];
  const inputs = Object.keys(TEST_GIT_ENV).filter((key) => key.startsWith('INPUT_'));
  const blank = Object.fromEntries([...names, ...inputs].map((name) => [name, '']));
  return { ...blank, ...extra };
}

describe('the GitHub Action, run locally on temp repositories', () => {
  let repo: TempRepo;
  let dir: string;
  let base: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'git-incidents-action-'));
    repo = new TempRepo();
    repo.write('.incidents.yml', 'version: 1\ntimezone: UTC\nlayout: flat\n');
    // Base: P1 A resolved in 60 min, P2 B in 120 min.
    repo.write(
      `incidents/${A}.md`,
      record(A, 'P1', '2026-03-04T09:00:00Z', '2026-03-04T10:00:00Z'),
    );
    repo.write(
      `incidents/${B}.md`,
      record(B, 'P2', '2026-03-04T09:00:00Z', '2026-03-04T11:00:00Z'),
    );
    repo.commitAll('two incidents', '2026-03-05T00:00:00Z');
    base = repo.git('rev-parse', 'HEAD').trim();
  });
  afterEach(() => {
    repo.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The pull request: A's detection back-dated by 30 min, and a record with a bad priority. */
  function openPullRequest(): void {
    repo.git('switch', '-q', '-c', 'feature');
    const a = repo.read(`incidents/${A}.md`).replace('09:00:00Z', '08:30:00Z');
    repo.write(`incidents/${A}.md`, a);
    repo.write(
      `incidents/${BAD}.md`,
      record(BAD, 'P9', '2026-03-06T09:00:00Z', '2026-03-06T10:00:00Z'),
    );
    repo.commitAll('back-date A; add a record', '2026-03-07T00:00:00Z');
  }

  function pullRequestEnv(server?: string, token = 'test-token') {
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, base: { sha: base } } }));
    const summary = join(dir, 'summary.md');
    return {
      summary,
      env: actionEnv({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_REPOSITORY: 'acme/ops',
        GITHUB_WORKSPACE: repo.root,
        ...(server ? { INPUT_TOKEN: token, INPUT_API_URL: server } : {}),
      }),
    };
  }

  it('annotates lint problems and sums up what the PR changes, per priority', async () => {
    openPullRequest();
    const { env, summary } = pullRequestEnv();
    const result = await runDist('action.js', [], repo.root, env);
    assert.equal(result.code, 1, 'a lint error fails the check');
    assert.ok(
      result.stdout.includes(
        `::error file=incidents/${BAD}.md,line=5,title=git-incidents priority::unknown priority ` +
          '`P9` (expected: P1, P2, P3, P4)\n',
      ),
      result.stdout,
    );

    const text = readFileSync(summary, 'utf8');
    // P1: A's MTTR goes from 10:00 − 09:00 = 60 min to 10:00 − 08:30 = 90 min (one record:
    // mean, median and p90 alike). All: mean (60 + 120) / 2 = 90 → (90 + 120) / 2 = 105 min,
    // median likewise; p90 stays 120 (⌈0.9 × 2⌉ = 2nd value) and is not listed.
    const rows = text
      .split('\n')
      .filter((line) => line.startsWith('| P') || line.startsWith('| all'));
    assert.deepEqual(rows, [
      '| P1 Critical | MTTR mean | 1h 00m | 1h 30m | +30m |',
      '| P1 Critical | MTTR median | 1h 00m | 1h 30m | +30m |',
      '| P1 Critical | MTTR p90 | 1h 00m | 1h 30m | +30m |',
      '| all | MTTR mean | 1h 30m | 1h 45m | +15m |',
      '| all | MTTR median | 1h 30m | 1h 45m | +15m |',
    ]);
    assert.match(
      text,
      new RegExp(
        `^- ${A} \\(Incident a\\): detected_at 2026-03-04T09:00:00Z → 2026-03-04T08:30:00Z$`,
        'm',
      ),
    );
    assert.match(text, /^Base `[0-9a-f]{7}` → head `[0-9a-f]{7}`/m);
    // The warnings: A (P1) and B (P2) are resolved without the review `close` will ask for.
    assert.match(text, /^Lint: 1 error\(s\), 2 warning\(s\)\.$/m);
    assert.match(
      result.stdout,
      new RegExp(`^::warning file=incidents/${A}.md,line=5,.*needs a post-incident review`, 'm'),
    );
  });

  it('posts the summary as a comment with the token, then updates that comment', async () => {
    openPullRequest();
    let comments: { id: number; body: string }[] = [];
    const server = await startServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET') return void response.end(JSON.stringify(comments));
      const { body } = JSON.parse(request.body);
      if (request.method === 'POST') comments = [{ id: 99, body }];
      response.statusCode = request.method === 'POST' ? 201 : 200;
      response.end(JSON.stringify({ id: 99, body }));
    });
    try {
      const { env } = pullRequestEnv(server.url);
      await runDist('action.js', [], repo.root, env);
      await runDist('action.js', [], repo.root, env);
      assert.deepEqual(
        server.received.map((r) => `${r.method} ${r.url}`),
        [
          'GET /repos/acme/ops/issues/7/comments?per_page=100',
          'POST /repos/acme/ops/issues/7/comments',
          'GET /repos/acme/ops/issues/7/comments?per_page=100',
          'PATCH /repos/acme/ops/issues/comments/99',
        ],
      );
      assert.equal(server.received[1].headers.authorization, 'Bearer test-token');
      const posted = JSON.parse(server.received[1].body).body as string;
      assert.ok(posted.startsWith('<!-- git-incidents:metrics-diff -->\n## Incident metrics'));
      assert.ok(posted.includes('| P1 Critical | MTTR mean | 1h 00m | 1h 30m | +30m |'));
    } finally {
      await server.close();
    }
  });

  it('makes no HTTP call without a token', async () => {
    openPullRequest();
    const server = await startServer();
    try {
      const { env } = pullRequestEnv();
      env.INPUT_API_URL = server.url;
      const result = await runDist('action.js', [], repo.root, env);
      assert.equal(result.code, 1);
      assert.equal(server.received.length, 0);
    } finally {
      await server.close();
    }
  });

  it('refuses a shallow checkout with what to set, or unshallows it when allowed', async () => {
    repo.write(`incidents/${A}.md`, repo.read(`incidents/${A}.md`).replace('P1', 'P2'));
    repo.commitAll('second commit', '2026-03-06T00:00:00Z');
    const clone = join(dir, 'clone');
    repo.git('clone', '-q', '--depth', '1', `file://${repo.root}`, clone);
    const env = actionEnv({ INPUT_MODE: 'lint', GITHUB_WORKSPACE: clone });

    const refused = await runDist('action.js', [], clone, env);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /^::error::this checkout is shallow.*set `fetch-depth: 0`/m);

    const fetched = await runDist('action.js', [], clone, { ...env, INPUT_UNSHALLOW: 'true' });
    assert.equal(fetched.code, 0, fetched.stdout);
    assert.equal(existsSync(join(clone, '.git', 'shallow')), false);
  });

  it('on the default branch, writes the report and SVG charts to the artifact folder', async () => {
    const event = join(dir, 'push.json');
    writeFileSync(event, JSON.stringify({ repository: { default_branch: 'main' } }));
    const out = join(dir, 'artifact');
    const env = actionEnv({
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_EVENT_PATH: event,
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      GITHUB_OUTPUT: join(dir, 'output.txt'),
      GITHUB_WORKSPACE: repo.root,
      INPUT_ARTIFACT_DIR: out,
    });
    const result = await runDist('action.js', [], repo.root, env);
    assert.equal(result.code, 0, result.stdout);
    const files = [
      'metrics.json',
      'metrics.md',
      'mttr-by-priority.svg',
      'sla-compliance.svg',
      'volume.svg',
    ];
    for (const file of files) assert.ok(existsSync(join(out, file)), file);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.equal(metrics.byPriority.P1.mttr.mean, 60);
    assert.equal(metrics.byPriority.P2.mttr.mean, 120);
    const mttr = readFileSync(join(out, 'mttr-by-priority.svg'), 'utf8');
    assert.ok(mttr.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(mttr.includes('>1h 00m</text>') && mttr.includes('>2h 00m</text>'));
    assert.match(readFileSync(join(dir, 'summary.md'), 'utf8'), /^## Incident metrics/);
    assert.equal(readFileSync(join(dir, 'output.txt'), 'utf8'), `artifact-dir=${out}\n`);
  });
});
