import { strict as assert } from 'node:assert';
import { TempRepo } from '../support/gitRepo';
import { runDist, startServer } from '../support/localServer';

const POLICY = 'version: 1\ntimezone: UTC\nclosure:\n  review_required: []\n';

describe('notifications after lifecycle commits (local webhook server)', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('.incidents.yml', POLICY);
    repo.commitAll('settings');
  });
  afterEach(() => repo.remove());

  it('tells Slack each step, and the reporter the resolution on close', async () => {
    const server = await startServer();
    try {
      const env = { GIT_INCIDENTS_SLACK_WEBHOOK: `${server.url}/services/T0/B0/secret` };
      const run = (...args: string[]) => runDist('cli.js', args, repo.root, env);
      const created = await run(
        'new',
        '--title',
        'Login <fails>',
        '--priority',
        'P3',
        '--reporter',
        'Dana',
      );
      assert.equal(created.code, 0, created.stderr);
      const id = created.stdout.split(/\s+/)[0];
      assert.equal((await run('resolve', id, '--resolution', 'Restarted the IdP')).code, 0);
      const closed = await run('close', id);
      assert.equal(closed.code, 0, closed.stderr);

      const texts = server.received.map((r) => JSON.parse(r.body).text as string);
      assert.deepEqual(texts, [
        `${id} logged as P3: Login &lt;fails&gt;`,
        `${id} triaged → resolved: Login &lt;fails&gt;`,
        'Dana, the incident you reported, "Login &lt;fails&gt;", is resolved and closed. ' +
          'Resolution: Restarted the IdP',
      ]);
      assert.ok(server.received.every((r) => r.url === '/services/T0/B0/secret'));
    } finally {
      await server.close();
    }
  });

  it('reads the Teams webhook from git config when the environment has none', async () => {
    const server = await startServer();
    try {
      repo.git('config', 'incidents.teamsWebhook', `${server.url}/teams`);
      const created = await runDist('cli.js', ['new', '--title', 'Disk full'], repo.root);
      assert.equal(created.code, 0, created.stderr);
      assert.equal(server.received.length, 1);
      const card = JSON.parse(server.received[0].body);
      assert.equal(card.type, 'message');
      assert.equal(card.attachments[0].content.type, 'AdaptiveCard');
    } finally {
      await server.close();
    }
  });

  it('warns when the webhook fails or hangs, and keeps the commit', async () => {
    const failing = await startServer((_request, response) => {
      response.statusCode = 503;
      response.end();
    });
    const silent = await startServer(() => undefined);
    try {
      const env = {
        GIT_INCIDENTS_SLACK_WEBHOOK: `${failing.url}/x`,
        GIT_INCIDENTS_TEAMS_WEBHOOK: `${silent.url}/y`,
        GIT_INCIDENTS_NOTIFY_TIMEOUT_MS: '300',
      };
      const started = Date.now();
      const created = await runDist('cli.js', ['new', '--title', 'Queue stuck'], repo.root, env);
      assert.equal(created.code, 0, created.stderr);
      assert.ok(Date.now() - started < 10_000);
      assert.match(
        created.stderr,
        /\[warn\] INC-\S+: not notified on Slack \(.* HTTP 503\); committed/,
      );
      assert.match(created.stderr, /not notified on Teams \(.*no answer within 300 ms\)/);
      assert.equal(
        repo.git('log', '-1', '--format=%s').trim(),
        `${created.stdout.split(/\s+/)[0]}: logged`,
      );
    } finally {
      await failing.close();
      await silent.close();
    }
  });

  it('never takes a webhook from .incidents.yml, and says why', async () => {
    const server = await startServer();
    try {
      repo.write('.incidents.yml', `${POLICY}slack_webhook: ${server.url}/committed\n`);
      repo.commitAll('a webhook committed by mistake');
      const created = await runDist('cli.js', ['new', '--title', 'Cache cold'], repo.root);
      assert.equal(created.code, 0, created.stderr);
      assert.equal(server.received.length, 0);
      assert.match(
        created.stderr,
        /`slack_webhook` is not read from .incidents.yml: a webhook URL is a secret/,
      );
      const lint = await runDist('cli.js', ['lint'], repo.root);
      assert.equal(lint.code, 1);
      assert.match(lint.stdout, /^\.incidents\.yml:5: error \(slack_webhook\)/m);
    } finally {
      await server.close();
    }
  });
});
