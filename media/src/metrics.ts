/**
 * The metrics page. It says `ready` once its listeners are in place, draws what the host
 * posts, sends filter changes as requests with ids, and reports the figures it shows. All
 * text from the report goes in through `textContent`, never as HTML.
 */
import { formatMinutes } from '../../src/core/duration';
import type {
  BlockView,
  HostMessage,
  MetricsParams,
  PageMessage,
  PageProbe,
  ReportView,
} from '../../src/extension/metricsProtocol';
import { chartLabels, drawCharts } from './charts';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let nextRequest = 1;
let pending: number | undefined;
let shown: ReportView | undefined;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

function setStatus(text: string, error = false): void {
  const status = element('status');
  status.textContent = text;
  status.classList.toggle('error', error);
}

function duration(minutes: number | null): string {
  return minutes === null ? '—' : formatMinutes(minutes);
}

function rate(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 1000) / 10}%`;
}

/** The key figures, as shown on the cards and reported back to the host. */
function figures(overall: BlockView): Record<string, string> {
  return {
    records: String(overall.count),
    open: String(overall.open),
    mttr: duration(overall.mttr.mean),
    mtta: duration(overall.mtta.mean),
    responseSla: rate(overall.responseSla.rate),
    resolutionSla: rate(overall.resolutionSla.rate),
    reopenRate: rate(overall.reopenRate),
  };
}

const LABELS: Record<string, string> = {
  records: 'Records',
  open: 'Open',
  mttr: 'MTTR (mean)',
  mtta: 'MTTA (mean)',
  responseSla: 'Response SLA met',
  resolutionSla: 'Resolution SLA met',
  reopenRate: 'Reopen rate',
};

function renderKpis(values: Record<string, string>): void {
  const cards = Object.entries(values).map(([key, value]) => {
    const card = document.createElement('div');
    card.className = 'kpi';
    card.dataset.key = key;
    const number = document.createElement('div');
    number.className = 'value';
    number.textContent = value;
    const label = document.createElement('div');
    label.className = 'label';
    label.textContent = LABELS[key] ?? key;
    card.append(number, label);
    return card;
  });
  element('kpis').replaceChildren(...cards);
}

function renderNotes(report: ReportView): void {
  const items = [
    ...report.warnings.map((text) => ({ text, kind: 'warning' })),
    ...report.problems.map((p) => ({
      text: `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`,
      kind: p.severity,
    })),
  ];
  const list = document.createElement('ul');
  for (const item of items) {
    const li = document.createElement('li');
    li.className = item.kind;
    li.textContent = item.text;
    list.append(li);
  }
  element('notes').replaceChildren(...(items.length > 0 ? [list] : []));
}

function fillControls(params: MetricsParams): void {
  element<HTMLInputElement>('since').value = params.since ?? '';
  element<HTMLInputElement>('until').value = params.until ?? '';
  element<HTMLInputElement>('asOf').value = params.asOf ?? '';
}

function render(report: ReportView, params: MetricsParams): void {
  shown = report;
  fillControls(params);
  const values = figures(report.overall);
  renderKpis(values);
  drawCharts(report);
  renderNotes(report);
  const revision = report.revision ? report.revision.slice(0, 10) : 'no commit';
  setStatus(
    `As of ${revision} (${report.evaluatedAt}), times in ${report.timezone}, ` +
      `history: ${report.history}.`,
  );
  vscode.postMessage({ type: 'rendered', revision: report.revision, figures: values });
}

function readControls(): MetricsParams {
  const value = (id: string) => element<HTMLInputElement>(id).value.trim() || undefined;
  return { since: value('since'), until: value('until'), asOf: value('asOf') };
}

function request(params: MetricsParams): void {
  pending = nextRequest++;
  setStatus('Computing…');
  vscode.postMessage({ type: 'compute', requestId: pending, params });
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'update':
      render(message.report, message.params);
      return;
    case 'reply':
      // An answer to an older request than the latest is stale.
      if (message.requestId !== 0 && message.requestId !== pending) return;
      if (message.ok) render(message.report, message.params);
      else setStatus(message.error, true);
      return;
    case 'busy':
      document.body.classList.toggle('busy', message.busy);
      return;
    case 'probe':
      // Answered only when the host served the page in test mode.
      if (document.body.dataset.probe !== 'on') return;
      vscode.postMessage({ type: 'probe', requestId: message.requestId, probe: probe() });
      return;
  }
});

/** What the page holds now; see `PageProbe`. */
function probe(): PageProbe {
  const marker = (window as unknown as { __pwned?: unknown }).__pwned;
  const tags = new Set([...document.querySelectorAll('*')].map((e) => e.localName));
  return {
    title: document.title,
    marker: marker === undefined ? null : String(marker),
    tags: [...tags].sort(),
    notes: [...element('notes').querySelectorAll('li')].map((li) => li.textContent ?? ''),
    labels: chartLabels(),
  };
}

element<HTMLFormElement>('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  request(readControls());
});
element('reset').addEventListener('click', () => {
  fillControls({});
  request({});
});

// Theme switches change the body's class: redraw the charts in the new colours.
new MutationObserver(() => {
  if (shown) drawCharts(shown);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

vscode.postMessage({ type: 'ready' });
