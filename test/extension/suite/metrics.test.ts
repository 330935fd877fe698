import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { screenshot } from './screenshot';
import { git, type Report, testing, waitFor } from './support';

type Api = Awaited<ReturnType<typeof testing>>;

/** Waits for the page to report figures drawn from a report that satisfies `ready`. */
async function rendered(api: Api, ready: (report: Report) => boolean, what: string) {
  return waitFor(
    () => {
      const posted = api.lastMetricsMessage();
      const drawn = api.lastMetricsRendered();
      if (!posted?.report || !drawn || !ready(posted.report)) return undefined;
      return drawn.revision === posted.report.revision && { report: posted.report, drawn };
    },
    what,
    15_000,
  );
}

const pause = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

async function setTheme(name: string | undefined): Promise<void> {
  const workbench = vscode.workspace.getConfiguration('workbench');
  await workbench.update('colorTheme', name, vscode.ConfigurationTarget.Global);
  await pause(1500);
}

describe('metrics webview', function () {
  this.timeout(30_000);
  after(async () => {
    await setTheme(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the hand-computed metrics of the fixture records', async () => {
    const api = await testing();
    await vscode.commands.executeCommand('gitIncidents.openMetrics', { until: '2026-06-01' });
    const { report, drawn } = await rendered(
      api,
      (r) => r.overall.count === 6,
      'the fixture metrics drawn by the page',
    );
    const o = report.overall;
    assert.deepEqual([o.count, o.open, o.resolved], [6, 3, 3]);
    // MTTR: 120, 360 and 1200 minutes; MTTA: 10, 30, 20, 120; MTTD: 10, 20.
    assert.deepEqual(o.mttr, { mean: 560, median: 360, p90: 1200, n: 3 });
    assert.deepEqual([o.mtta.mean, o.mtta.n, o.mttd.mean, o.mttd.n], [45, 4, 15, 2]);
    // Response: met by chk502 and search; missed by dbloop, sso, vpn (no response at all).
    assert.deepEqual(o.responseSla, { target: null, met: 2, breached: 3, pending: 0, rate: 0.4 });
    assert.deepEqual(o.resolutionSla, { target: null, met: 2, breached: 3, pending: 0, rate: 0.4 });
    assert.deepEqual([o.reopened, o.reopenRate], [0, 0]);

    const byPriority = Object.entries(report.byPriority).map(([p, b]) => [
      p,
      b.count,
      b.mttr.mean,
      b.responseSla.rate,
      b.resolutionSla.rate,
    ]);
    assert.deepEqual(byPriority, [
      ['P1', 2, 240, 0.5, 0.5],
      ['P2', 2, 1200, 0.5, 0.5],
      ['P3', 1, null, 0, 0],
      ['P4', 1, null, null, null],
    ]);
    assert.deepEqual(report.volume, {
      period: 'month',
      byCategory: {
        database: { '2026-01': 1, '2026-02': 1 },
        deployment: { '2026-01': 1, '2026-03': 1 },
        network: { '2026-02': 1, '2026-03': 1 },
      },
    });
    assert.deepEqual(
      report.problems.map((p) => `${p.file}:${p.line}`),
      ['incidents/2026/04/INC-20260401-broken.md:5'],
    );
    // What the page put on its cards, as it reported back.
    assert.deepEqual(drawn.figures, {
      records: '6',
      open: '3',
      mttr: '9h 20m',
      mtta: '45m',
      responseSla: '40%',
      resolutionSla: '40%',
      reopenRate: '0%',
    });
  });

  it('answers page requests by id: as of a revision, or the error for a bad one', async () => {
    const api = await testing();
    const first = git('rev-list', '--max-parents=0', 'HEAD').trim();
    const reply = await api.metricsRequest(41, { until: '2026-06-01', asOf: first });
    assert.ok(reply?.type === 'reply' && reply.ok, JSON.stringify(reply));
    assert.equal(reply.requestId, 41);
    assert.equal(reply.report.revision, first);
    assert.equal(reply.report.overall.count, 6);

    const refused = await api.metricsRequest(42, { asOf: 'no-such-tag' });
    assert.ok(refused?.type === 'reply' && !refused.ok, JSON.stringify(refused));
    assert.equal(refused.requestId, 42);
    assert.match(refused.error, /no-such-tag: git knows no such revision or date/);
  });

  it('serves a page with a strict CSP, a nonce and webview URIs only', async () => {
    const html = (await testing()).metricsHtml() ?? '';
    const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '';
    assert.match(csp, /^default-src 'none';/);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
    const nonce = csp.match(/script-src 'nonce-([A-Za-z0-9+/=]{20,})'/)?.[1];
    assert.ok(nonce, csp);
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${nonce}"`), scripts[0]);
    assert.match(scripts[0], /src="[^"]+\/media\/dist\/metrics\.js"/);
    assert.ok(!/\son[a-z]+=/i.test(html), 'inline event handler in the page');
  });

  it('renders in the light, dark and high-contrast themes (screenshots)', async function () {
    if (!process.env.GIT_INCIDENTS_SCREENSHOT_IPC) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('notifications.clearAll');
    await pause(1000);
    // code-server starts in its default (light) theme.
    const shot = await screenshot('metrics-webview');
    assert.ok(shot && existsSync(shot), 'no screenshot of the metrics webview');
    await setTheme('Default Dark Modern');
    assert.ok(await screenshot('metrics-webview-dark'));
    await setTheme('Default High Contrast');
    assert.ok(await screenshot('metrics-webview-high-contrast'));
  });

  it('recomputes the open view after commits, and counts a reopen', async () => {
    const api = await testing();
    const today = new Date().toISOString().slice(0, 10);
    await vscode.commands.executeCommand('gitIncidents.openMetrics', { since: today });
    const before = await rendered(api, (r) => !r.byPriority.P4?.count, `metrics since ${today}`);
    assert.equal(before.report.byPriority.P4.count, 0);

    const run = async (command: string, arg: Record<string, unknown>) => {
      const outcome = (await vscode.commands.executeCommand(command, arg)) as {
        ok: boolean;
        id?: string;
      };
      assert.ok(outcome.ok, `${command}: ${JSON.stringify(outcome)}`);
      return outcome;
    };
    const { id } = await run('gitIncidents.newIncident', { title: 'Flaky build', priority: 'P4' });
    await run('gitIncidents.resolve', { id, resolution: 'Retried' });
    await run('gitIncidents.reopen', { id, reason: 'Failed again' });
    await run('gitIncidents.resolve', { id, resolution: 'Pinned the runner image' });

    // No request from the test: the model's refresh pushes a new report to the open page.
    const after = await rendered(
      api,
      (r) => r.byPriority.P4?.reopened === 1,
      'the page to show the reopen',
    );
    const p4 = after.report.byPriority.P4;
    assert.deepEqual([p4.count, p4.resolved, p4.reopened, p4.reopenRate], [1, 1, 1, 1]);
  });
});
