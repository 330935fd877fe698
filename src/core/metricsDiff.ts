/**
 * What a change does to the numbers: the metrics of two revisions side by side, per
 * priority and overall, with only the values that moved; and the records whose fields
 * changed between them, so a reader sees why (a back-dated `detected_at`, a new P1).
 */
import { formatMinutes } from './duration';
import type { MetricBlock } from './metrics';
import type { MetricsReport } from './metricsReport';
import { readRecord } from './record';
import type { IncidentRepository } from './repository';

/** One metric of one scope that differs between the two reports. */
export interface MetricDelta {
  /** `P1`, `P2`, … or `all`. */
  scope: string;
  scopeName: string | null;
  metric: string;
  kind: 'count' | 'minutes' | 'rate';
  before: number | null;
  after: number | null;
}

type Getter = (block: MetricBlock) => number | null;

const METRICS: [label: string, kind: MetricDelta['kind'], get: Getter][] = [
  ['records', 'count', (b) => b.count],
  ['open', 'count', (b) => b.open],
  ['MTTD mean', 'minutes', (b) => b.mttd.mean],
  ['MTTA mean', 'minutes', (b) => b.mtta.mean],
  ['MTTR mean', 'minutes', (b) => b.mttr.mean],
  ['MTTR median', 'minutes', (b) => b.mttr.median],
  ['MTTR p90', 'minutes', (b) => b.mttr.p90],
  ['response SLA', 'rate', (b) => b.responseSla.rate],
  ['resolution SLA', 'rate', (b) => b.resolutionSla.rate],
  ['reopen rate', 'rate', (b) => b.reopenRate],
];

/** The metrics that differ, per priority (sorted) and then overall. */
export function diffMetrics(base: MetricsReport, head: MetricsReport): MetricDelta[] {
  const keys = new Set([...Object.keys(base.byPriority), ...Object.keys(head.byPriority)]);
  type Scope = [string, string | null, MetricBlock | undefined, MetricBlock | undefined];
  const scopes: Scope[] = [...keys].sort().map((key): Scope => {
    const name = head.byPriority[key]?.name ?? base.byPriority[key]?.name ?? null;
    return [key, name, base.byPriority[key], head.byPriority[key]];
  });
  scopes.push(['all', null, base.overall, head.overall]);
  const deltas: MetricDelta[] = [];
  for (const [scope, scopeName, before, after] of scopes) {
    for (const [metric, kind, get] of METRICS) {
      const a = before ? get(before) : null;
      const b = after ? get(after) : null;
      if (a !== b) deltas.push({ scope, scopeName, metric, kind, before: a, after: b });
    }
  }
  return deltas;
}

/** A value as people read it: `2h 05m`, `87.5%`, `3`, or `–` when there is none. */
export function formatValue(kind: MetricDelta['kind'], value: number | null): string {
  if (value === null) return '–';
  if (kind === 'minutes') return formatMinutes(value);
  if (kind === 'rate') return `${round1(value * 100)}%`;
  return String(value);
}

/** The change: `+1h 12m`, `-12.5 pts`, `+1`; `–` when either side has no value. */
export function formatChange(delta: MetricDelta): string {
  if (delta.before === null || delta.after === null) return '–';
  const diff = delta.after - delta.before;
  const sign = diff > 0 ? '+' : diff < 0 ? '-' : '±';
  if (delta.kind === 'minutes') return `${sign}${formatMinutes(Math.abs(diff))}`;
  if (delta.kind === 'rate') return `${sign}${round1(Math.abs(diff) * 100)} pts`;
  return `${sign}${Math.abs(diff)}`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** One record file that differs between two revisions. */
export interface RecordChange {
  file: string;
  id: string;
  title: string;
  change: 'added' | 'removed' | 'changed';
  fields: { field: string; before?: string; after?: string }[];
}

const WATCHED = [
  'status',
  'type',
  'priority',
  'category',
  'service',
  'team',
  'started_at',
  'detected_at',
  'acknowledged_at',
  'resolved_at',
  'closed_at',
  'problem',
  'postmortem',
];

/** The records whose metric-relevant fields differ between `base` and `head`. */
export async function changedRecords(
  repo: IncidentRepository,
  base: string,
  head: string,
): Promise<RecordChange[]> {
  const diff = await repo.git.run(
    ['diff', '--name-only', '-z', '--no-renames', base, head, '--', `${repo.directory}/`],
    { read: true },
  );
  const files = diff.stdout.split('\0').filter((file) => file.endsWith('.md'));
  const changes: RecordChange[] = [];
  for (const file of files) {
    const before = await fieldsAt(repo, base, file);
    const after = await fieldsAt(repo, head, file);
    const record = after ?? before;
    if (!record) continue;
    const fields = WATCHED.flatMap((field) => {
      const a = before?.data[field];
      const b = after?.data[field];
      return show(a) === show(b) ? [] : [{ field, before: show(a), after: show(b) }];
    });
    if (fields.length === 0 && before && after) continue;
    const change = !before ? 'added' : !after ? 'removed' : 'changed';
    changes.push({ file, id: record.id, title: record.title, change, fields });
  }
  return changes;
}

async function fieldsAt(repo: IncidentRepository, rev: string, file: string) {
  const blob = await repo.git.run(['cat-file', '-p', `${rev}:${file}`], {
    read: true,
    okCodes: [128],
  });
  if (blob.code !== 0) return undefined;
  return readRecord(file, blob.stdout, repo.readOptions).incident;
}

function show(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
