import { strict as assert } from 'node:assert';
import { collectingLogger } from '../../src/core/log';
import { sendNotice, webhookTargets, webhookUrlProblem } from '../../src/core/notify';
import {
  slackMessage,
  type StepNotice,
  teamsEscape,
  teamsMessage,
} from '../../src/core/notifyMessages';
import { startServer } from '../support/localServer';

const NOTICE: StepNotice = {
  id: 'INC-20260304-aaaaaa',
  title: 'Checkout <!channel> [click](https://evil.invalid) *502*',
  type: 'incident',
  status: 'closed',
  from: 'resolved',
  to: 'closed',
  subject: 'INC-20260304-aaaaaa: resolved → closed',
  commit: '0123456789abcdef0123456789abcdef01234567',
  author: 'Ana Ruiz',
  file: 'incidents/2026/03/INC-20260304-aaaaaa.md',
  priority: 'P1',
  reporter: 'support-desk',
  resolution: 'Rolled back <the> config',
};

describe('notification messages', () => {
  it('Slack: plain_text blocks, escaped mrkdwn fallback, the resolution for the reporter', () => {
    const message = slackMessage(NOTICE);
    assert.equal(
      message.text,
      'support-desk, the incident you reported, "Checkout &lt;!channel&gt; [click](https://evil.' +
        'invalid) *502*", is resolved and closed. Resolution: Rolled back &lt;the&gt; config',
    );
    const blocks = message.blocks as { type: string; text?: { type: string; text: string } }[];
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['header', 'section', 'section', 'context'],
    );
    assert.equal(blocks[0].text?.type, 'plain_text');
    assert.equal(blocks[0].text?.text, `${NOTICE.id} resolved → closed: ${NOTICE.title}`);
    assert.equal(blocks[2].text?.type, 'plain_text');
  });

  it('Teams: an Adaptive Card message, markdown of record text escaped', () => {
    const message = teamsMessage(NOTICE);
    assert.equal(message.type, 'message');
    const [attachment] = message.attachments;
    assert.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(attachment.content.type, 'AdaptiveCard');
    const body = attachment.content.body as { type: string; text?: string }[];
    assert.deepEqual(
      body.map((b) => b.type),
      ['TextBlock', 'FactSet', 'TextBlock', 'TextBlock'],
    );
    assert.ok(body[0].text?.includes('\\[click\\](https://evil.invalid) \\*502\\*'));
    assert.equal(teamsEscape('- _a_ `b`'), '\\- \\_a\\_ \\`b\\`');
  });

  it('a step that is not a close has no closing-the-loop section', () => {
    const message = slackMessage({ ...NOTICE, from: 'triaged', to: 'investigating' });
    assert.equal(message.blocks.length, 3);
    assert.match(message.text, /^INC-20260304-aaaaaa triaged → investigating: /);
  });
});

describe('sending notifications', () => {
  it('takes URLs from the environment before user settings', () => {
    const env = { GIT_INCIDENTS_SLACK_WEBHOOK: 'https://hooks.slack.com/a' };
    assert.deepEqual(
      webhookTargets(env, { slack: 'https://other.invalid/b', teams: 'https://teams.invalid/c' }),
      { slack: 'https://hooks.slack.com/a', teams: 'https://teams.invalid/c' },
    );
  });

  it('accepts https, and plain http only to this machine', () => {
    assert.equal(webhookUrlProblem('https://hooks.slack.com/services/x'), undefined);
    assert.equal(webhookUrlProblem('http://127.0.0.1:9/x'), undefined);
    assert.match(webhookUrlProblem('http://hooks.example.invalid/x') ?? '', /https/);
    assert.match(webhookUrlProblem('not a url') ?? '', /not a URL/);
  });

  it('posts each format to its webhook', async () => {
    const server = await startServer();
    try {
      const logger = collectingLogger();
      const outcomes = await sendNotice(
        NOTICE,
        { slack: `${server.url}/slack`, teams: `${server.url}/teams` },
        logger,
      );
      assert.deepEqual(
        outcomes.map((o) => [o.target, o.ok]),
        [
          ['slack', true],
          ['teams', true],
        ],
      );
      const byPath = Object.fromEntries(server.received.map((r) => [r.url, JSON.parse(r.body)]));
      assert.ok(Array.isArray(byPath['/slack'].blocks));
      assert.equal(byPath['/teams'].type, 'message');
      assert.equal(server.received[0].headers['content-type'], 'application/json');
    } finally {
      await server.close();
    }
  });

  it('turns an HTTP error and a silent server into warnings, within the timeout', async () => {
    const failing = await startServer((_request, response) => {
      response.statusCode = 500;
      response.end('no');
    });
    const silent = await startServer(() => undefined);
    try {
      const logger = collectingLogger();
      const started = Date.now();
      const outcomes = await sendNotice(
        NOTICE,
        { slack: `${failing.url}/secret-path`, teams: `${silent.url}/secret-path` },
        logger,
        300,
      );
      assert.ok(Date.now() - started < 3000, 'bounded by the timeout');
      assert.deepEqual(
        outcomes.map((o) => [o.target, o.ok]),
        [
          ['slack', false],
          ['teams', false],
        ],
      );
      const warnings = logger.lines.filter((l) => l.startsWith('[warn]'));
      assert.equal(warnings.length, 2);
      assert.match(warnings[0], /HTTP 500/);
      assert.match(warnings[1], /no answer within 300 ms/);
      // The URL's path is the secret part of a webhook: it never reaches a message.
      assert.ok(warnings.every((w) => !w.includes('secret-path')));
    } finally {
      await failing.close();
      await silent.close();
    }
  });
});
