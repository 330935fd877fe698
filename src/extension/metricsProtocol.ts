/**
 * The messages between the metrics panel (extension host) and its page (webview). Shared by
 * both sides and free of imports, so the page's bundle holds no host code. The host posts
 * nothing until the page says `ready`; a page request carries an id its reply repeats.
 */

/** What the page can ask for: dates as YYYY-MM-DD, `asOf` a date or a revision. */
export interface MetricsParams {
  since?: string;
  until?: string;
  asOf?: string;
}

/** SLA outcome counts of one target. */
export interface SlaView {
  target: string | null;
  met: number;
  breached: number;
  pending: number;
  rate: number | null;
}

/** Mean, median, p90 in minutes. */
export interface StatsView {
  mean: number | null;
  median: number | null;
  p90: number | null;
  n: number;
}

/** One block of metrics (overall or one priority). */
export interface BlockView {
  count: number;
  open: number;
  resolved: number;
  mttd: StatsView;
  mtta: StatsView;
  mttr: StatsView;
  responseSla: SlaView;
  resolutionSla: SlaView;
  reopened: number | null;
  reopenRate: number | null;
}

/** The part of the core's metrics report the page draws (its JSON form, schema @1). */
export interface ReportView {
  schema: string;
  revision: string | null;
  evaluatedAt: string;
  history: string;
  filters: { since: string | null; until: string | null };
  timezone: string;
  overall: BlockView;
  byPriority: Record<string, BlockView & { name: string | null }>;
  volume: { period: string; byCategory: Record<string, Record<string, number>> };
  problems: { severity: string; file: string; line?: number; message: string }[];
  warnings: string[];
}

/**
 * What the page holds after drawing, for integration tests only: the page answers a probe
 * when its HTML was served in test mode (`data-probe` on the body), so tests can see that
 * record text arrived as text and that no script of it ran.
 */
export interface PageProbe {
  /** `document.title`, which a script injected through record text would change. */
  title: string;
  /** `window.__pwned` as text, or null: the marker the tests' payloads try to set. */
  marker: string | null;
  /** Every element name in the document, sorted, each once. */
  tags: string[];
  /** The text of each note (warnings and problems), in order. */
  notes: string[];
  /** Each chart's labels: its x axis, then its datasets' names. */
  labels: Record<string, string[]>;
}

/** Host → page. */
export type HostMessage =
  | { type: 'update'; params: MetricsParams; report: ReportView }
  | { type: 'reply'; requestId: number; ok: true; params: MetricsParams; report: ReportView }
  | { type: 'reply'; requestId: number; ok: false; error: string }
  | { type: 'busy'; busy: boolean }
  | { type: 'probe'; requestId: number };

/** Page → host. */
export type PageMessage =
  | { type: 'ready' }
  | { type: 'compute'; requestId: number; params: MetricsParams }
  | { type: 'rendered'; revision: string | null; figures: Record<string, string> }
  | { type: 'probe'; requestId: number; probe: PageProbe };

/** Checks an untrusted message from the page; undefined when it is not one. */
export function parsePageMessage(value: unknown): PageMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (message.type === 'ready') return { type: 'ready' };
  if (message.type === 'compute' && typeof message.requestId === 'number') {
    const params = (message.params ?? {}) as Record<string, unknown>;
    const text = (key: string) =>
      typeof params[key] === 'string' && params[key] ? (params[key] as string) : undefined;
    return {
      type: 'compute',
      requestId: message.requestId,
      params: { since: text('since'), until: text('until'), asOf: text('asOf') },
    };
  }
  if (message.type === 'rendered' && typeof message.figures === 'object' && message.figures) {
    const revision = typeof message.revision === 'string' ? message.revision : null;
    const figures = Object.fromEntries(
      Object.entries(message.figures as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    );
    return { type: 'rendered', revision, figures };
  }
  if (message.type === 'probe' && typeof message.requestId === 'number') {
    return { type: 'probe', requestId: message.requestId, probe: parseProbe(message.probe) };
  }
  return undefined;
}

function parseProbe(value: unknown): PageProbe {
  const probe = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const texts = (list: unknown) => (Array.isArray(list) ? list.map((item) => String(item)) : []);
  const labels = (typeof probe.labels === 'object' && probe.labels) || {};
  return {
    title: String(probe.title ?? ''),
    marker: probe.marker === null || probe.marker === undefined ? null : String(probe.marker),
    tags: texts(probe.tags),
    notes: texts(probe.notes),
    labels: Object.fromEntries(Object.entries(labels).map(([key, list]) => [key, texts(list)])),
  };
}
