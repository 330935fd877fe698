/**
 * The metrics webview: one panel per window, showing the core's `computeMetrics` for the
 * workspace repository. It posts nothing before the page's `ready`; page requests carry ids
 * that replies repeat; a refresh of the model (a commit, a pull) recomputes the open view.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { computeMetrics, type MetricsReport, type MetricsRequest } from '../core/metricsReport';
import { parseTimestamp } from '../core/time';
import { Disposable } from './disposable';
import { metricsHtml, webviewRoot } from './metricsHtml';
import {
  type HostMessage,
  type MetricsParams,
  type PageMessage,
  type PageProbe,
  parsePageMessage,
  type ReportView,
} from './metricsProtocol';
import type { IncidentModel } from './model';

const REFRESH_DEBOUNCE_MS = 500;
const PROBE_TIMEOUT_MS = 5000;

/** The panel; `MetricsPanel.show` creates it or brings the existing one forward. */
export class MetricsPanel extends Disposable {
  private static current: MetricsPanel | undefined;
  /** Set by the test hooks only: pages served afterwards answer probes. */
  static probeEnabled = false;

  /** The last message posted to the page and the last the page sent (for tests). */
  lastPosted: HostMessage | undefined;
  lastRendered: Extract<PageMessage, { type: 'rendered' }> | undefined;

  private ready = false;
  private params: MetricsParams = {};
  private timer: NodeJS.Timeout | undefined;
  private nextProbe = 1;
  private readonly probes = new Map<number, (probe: PageProbe | undefined) => void>();

  /** The open panel, if any. */
  static get instance(): MetricsPanel | undefined {
    return MetricsPanel.current;
  }

  /** Shows the panel, with `params` when given. */
  static show(
    extensionUri: vscode.Uri,
    model: IncidentModel,
    logger: Logger,
    params?: MetricsParams,
  ): MetricsPanel {
    const existing = MetricsPanel.current;
    if (existing) {
      existing.panel.reveal();
      if (params) existing.setParams(params);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      'gitIncidents.metrics',
      'Incident Metrics',
      vscode.ViewColumn.Active,
      { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] },
    );
    MetricsPanel.current = new MetricsPanel(panel, extensionUri, model, logger, params ?? {});
    return MetricsPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly model: IncidentModel,
    private readonly logger: Logger,
    params: MetricsParams,
  ) {
    super();
    this.params = params;
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((message) => this.receive(message)));
    this.register(model.onDidChange(() => this.scheduleRefresh()));
    this.register({ dispose: () => clearTimeout(this.timer) });
    // Hidden webviews are torn down; a shown one loads again and says ready again.
    this.register(panel.onDidChangeViewState(() => (this.ready = this.ready && panel.visible)));
    this.register({ dispose: () => this.endProbes() });
    panel.webview.html = metricsHtml(panel.webview, extensionUri, {
      probe: MetricsPanel.probeEnabled,
    });
  }

  override dispose(): void {
    if (MetricsPanel.current === this) MetricsPanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }

  /** The page's HTML as set (for tests). */
  get html(): string {
    return this.panel.webview.html;
  }

  /** Changes the filters and redraws. */
  setParams(params: MetricsParams): void {
    this.params = params;
    void this.pushUpdate();
  }

  /** Handles one message from the page (tests send theirs through here too). */
  async receive(raw: unknown): Promise<void> {
    const message = parsePageMessage(raw);
    if (!message) {
      this.logger.warn(`ignored an unknown message from the metrics page: ${JSON.stringify(raw)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        await this.pushUpdate();
        return;
      case 'compute':
        await this.answer(message.requestId, message.params);
        return;
      case 'rendered':
        this.lastRendered = message;
        return;
      case 'probe':
        this.probes.get(message.requestId)?.(message.probe);
        this.probes.delete(message.requestId);
        return;
    }
  }

  /** Asks the page what it shows (test mode only); undefined when it does not answer. */
  probe(): Promise<PageProbe | undefined> {
    if (!MetricsPanel.probeEnabled || this.isDisposed) return Promise.resolve(undefined);
    const requestId = this.nextProbe++;
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.probes.delete(requestId);
        done(undefined);
      }, PROBE_TIMEOUT_MS);
      this.probes.set(requestId, (probe) => {
        clearTimeout(timer);
        done(probe);
      });
      void this.panel.webview.postMessage({ type: 'probe', requestId } satisfies HostMessage);
    });
  }

  private endProbes(): void {
    for (const answer of this.probes.values()) answer(undefined);
    this.probes.clear();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pushUpdate(), REFRESH_DEBOUNCE_MS);
  }

  private async pushUpdate(): Promise<void> {
    if (!this.ready) return;
    try {
      const report = await this.compute(this.params);
      await this.post({ type: 'update', params: this.params, report });
    } catch (error) {
      this.logger.warn(`metrics: ${(error as Error).message}`);
      await this.post({ type: 'reply', requestId: 0, ok: false, error: (error as Error).message });
    }
  }

  private async answer(requestId: number, params: MetricsParams): Promise<void> {
    try {
      const report = await this.compute(params);
      this.params = params;
      await this.post({ type: 'reply', requestId, ok: true, params, report });
    } catch (error) {
      await this.post({ type: 'reply', requestId, ok: false, error: (error as Error).message });
    }
  }

  private async compute(params: MetricsParams): Promise<ReportView> {
    const repo = this.model.repo;
    if (!repo) throw new Error('no incident repository is open in this window');
    await this.post({ type: 'busy', busy: true });
    const started = Date.now();
    try {
      const request: MetricsRequest = {
        since: day(params.since, repo.policy.timezone, 'since'),
        until: day(params.until, repo.policy.timezone, 'until'),
        asOf: params.asOf,
      };
      const report: MetricsReport = await computeMetrics(repo, request);
      this.logger.debug(`metrics computed in ${Date.now() - started} ms`);
      return report;
    } finally {
      await this.post({ type: 'busy', busy: false });
    }
  }

  private async post(message: HostMessage): Promise<void> {
    if (this.isDisposed) return;
    if (message.type !== 'busy') this.lastPosted = message;
    await this.panel.webview.postMessage(message);
  }
}

/** A YYYY-MM-DD day as the instant it starts in the repository's zone. */
function day(text: string | undefined, zone: string, name: string): number | undefined {
  if (!text) return undefined;
  const parsed = parseTimestamp(text, zone);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
  return parsed.at;
}
