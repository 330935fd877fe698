// The extension at scale, measured inside the real VS Code: only when scripts/bench-extension.mjs
// opens a large repository and names a file for the figures in GIT_INCIDENTS_BENCH_OUT;
// otherwise this suite does not exist. It records times and asserts none: the figures are
// printed by `npm run bench`, which compares them with raw git and file reads.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { silentLogger } from '../../../src/core/log';
import { IncidentRepository } from '../../../src/core/repository';
import { RecordCache } from '../../../src/extension/recordCache';
import { EXTENSION_ID, git, root, testing } from './support';

const run = promisify(execFile);
const out = process.env.GIT_INCIDENTS_BENCH_OUT;

interface MetricsRequest {
  metricsRequest(requestId: number, params: Record<string, string>): Promise<unknown>;
}

interface Hooks {
  startup(): { activatedAt: number; readyAt: number };
  firstPaint(): number;
  item(id: string): { id?: string; description?: string } | undefined;
  tree(): Promise<unknown[]>;
  lastMetricsMessage(): { report?: { revision: string | null } } | undefined;
  lastMetricsRendered(): { revision: string | null } | undefined;
}

/** Milliseconds since `from`, from a monotonic clock. */
function since(from: number): number {
  return Math.round(performance.now() - from);
}

/** Polls `condition` every 10 ms, for up to `limitMs`; resolves to the ms it took. */
async function until(condition: () => boolean, what: string, limitMs = 120_000): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > limitMs) assert.fail(`no ${what} in ${limitMs} ms`);
    await new Promise((wake) => setTimeout(wake, 10));
  }
  return since(started);
}

if (out) {
  describe('extension bench', function () {
    this.timeout(600_000);
    const figures: Record<string, number | string> = {};
    const cli = join(vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '', 'dist');

    after(() => {
      writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
    });

    it('measures the first paint of the tree', async () => {
      const api = (await testing()) as unknown as Hooks;
      const { activatedAt, readyAt } = api.startup();
      figures.load = readyAt - activatedAt;
      let started = performance.now();
      figures.items = api.firstPaint();
      figures.paint = since(started);
      figures.firstPaint = (figures.load as number) + (figures.paint as number);

      started = performance.now();
      const files = execFileSync('git', ['ls-files', '-z', '--', 'incidents'], {
        cwd: root(),
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      })
        .split('\0')
        .filter((file) => file.endsWith('.md'));
      for (const file of files) readFileSync(join(root(), file), 'utf8');
      figures.rawRead = since(started);
      figures.records = files.length;

      // What the first window pays, with nothing cached: every file parsed, here in the host.
      const stalls = monitorEventLoopDelay({ resolution: 10 });
      stalls.enable();
      started = performance.now();
      const repo = await IncidentRepository.open(root(), silentLogger);
      await new RecordCache(undefined, silentLogger).readWorkingTree(repo);
      figures.parseAll = since(started);
      stalls.disable();
      figures.parseAllStall = Math.round(stalls.max / 1e6);

      started = performance.now();
      await api.tree();
      figures.everyItem = since(started);
      figures.hostRss = Math.round(process.memoryUsage().rss / 2 ** 20);
    });

    it('measures a full reload as a new window starts it: from the records cache', async () => {
      const api = (await testing()) as unknown as Hooks & { refresh(): Promise<void> };
      // The first load writes the cache in the background, a second later; let it finish.
      await new Promise((wake) => setTimeout(wake, 5000));
      const stalls = monitorEventLoopDelay({ resolution: 10 });
      stalls.enable();
      const started = performance.now();
      await api.refresh();
      api.firstPaint();
      figures.firstPaintCached = since(started);
      stalls.disable();
      figures.firstPaintCachedStall = Math.round(stalls.max / 1e6);
    });

    it('measures a refresh after a step committed by the CLI', async () => {
      const api = (await testing()) as unknown as Hooks;
      const listed = await run(
        process.execPath,
        [join(cli, 'cli.js'), 'list', '--status', 'triaged', '--format', 'json'],
        { cwd: root(), maxBuffer: 1 << 28 },
      );
      const id = (JSON.parse(listed.stdout) as { id: string }[])[0]?.id;
      assert.ok(id, 'no triaged record to acknowledge');

      let started = performance.now();
      await run(process.execPath, [join(cli, 'cli.js'), 'ack', id, '--assignee', 'bench'], {
        cwd: root(),
      });
      figures.cliStep = since(started);
      figures.refreshStep = await until(
        () => api.item(id)?.id?.startsWith('incident/status/investigating/') === true,
        `${id} as investigating in the tree`,
      );

      started = performance.now();
      const created = await run(
        process.execPath,
        [join(cli, 'cli.js'), 'new', '--title', 'Bench probe', '--priority', 'P3'],
        { cwd: root() },
      );
      figures.cliNew = since(started);
      const newId = created.stdout.match(/\b(INC-[A-Za-z0-9-]+)/)?.[1];
      assert.ok(newId, `no id in: ${created.stdout}`);
      figures.refreshNew = await until(() => api.item(newId) !== undefined, `${newId} in the tree`);

      // The least any reader does for one commit: ask git what changed, read that file.
      started = performance.now();
      const changed = git('diff-tree', '--no-commit-id', '--name-only', '-r', 'HEAD').trim();
      readFileSync(join(root(), changed), 'utf8');
      figures.rawChanged = since(started);
    });

    it('measures opening the metrics view, cold, warm and after a commit', async () => {
      const api = (await testing()) as unknown as Hooks;
      const head = () => git('rev-parse', 'HEAD').trim();
      const drawn = (revision: string) => () =>
        api.lastMetricsMessage()?.report?.revision === revision &&
        api.lastMetricsRendered()?.revision === revision;

      // The least any webview costs here: a panel whose page only says it loaded.
      let started = performance.now();
      const panel = vscode.window.createWebviewPanel('bench', 'Bench', vscode.ViewColumn.Active, {
        enableScripts: true,
      });
      const loaded = new Promise((done) => panel.webview.onDidReceiveMessage(done));
      panel.webview.html =
        `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" ` +
        `content="default-src 'none'; script-src 'nonce-b3nch'"></head><body>` +
        `<script nonce="b3nch">acquireVsCodeApi().postMessage('ready')</script></body></html>`;
      await loaded;
      figures.rawWebview = since(started);
      panel.dispose();

      let revision = head();
      started = performance.now();
      await vscode.commands.executeCommand('gitIncidents.openMetrics');
      await until(drawn(revision), 'the metrics page');
      figures.metricsCold = since(started);

      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      started = performance.now();
      await vscode.commands.executeCommand('gitIncidents.openMetrics');
      figures.metricsWarmPosted = await until(
        () => api.lastMetricsMessage()?.report?.revision === revision,
        'the report posted',
      );
      await until(drawn(revision), 'the metrics page again');
      figures.metricsWarm = since(started);
      started = performance.now();
      await (api as unknown as MetricsRequest).metricsRequest(2, {});
      figures.metricsComputeWarm = since(started);

      // The computation alone, in the extension host, with no cache at all.
      rmSync(join(root(), '.git', 'git-incidents'), { recursive: true, force: true });
      const stalls = monitorEventLoopDelay({ resolution: 10 });
      stalls.enable();
      started = performance.now();
      const reply = (await (api as unknown as MetricsRequest).metricsRequest(1, {})) as {
        ok?: boolean;
      };
      figures.metricsComputeCold = since(started);
      stalls.disable();
      figures.metricsComputeColdStall = Math.round(stalls.max / 1e6);
      assert.ok(reply?.ok, JSON.stringify(reply));

      const listed = await run(
        process.execPath,
        [join(cli, 'cli.js'), 'list', '--status', 'triaged', '--format', 'json'],
        { cwd: root(), maxBuffer: 1 << 28 },
      );
      const id = (JSON.parse(listed.stdout) as { id: string }[])[0]?.id;
      assert.ok(id, 'no triaged record to acknowledge');
      await run(process.execPath, [join(cli, 'cli.js'), 'ack', id, '--assignee', 'bench'], {
        cwd: root(),
      });
      revision = head();
      figures.metricsAfterCommit = await until(drawn(revision), 'the page at the new commit');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  });
}
