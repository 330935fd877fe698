/**
 * The metrics the format defines, computed from records and their lifecycles: MTTD, MTTA,
 * MTTR (mean, median, p90), response and resolution SLA, reopen rate, volume by category.
 * Pure: the caller supplies the records, their history and the instant to judge open ones at.
 */
import type { BusinessCalendar } from './calendar';
import type { Policy } from './policy';
import type { Incident, TimeField } from './record';
import { slaState, type SlaState } from './sla';
import { localParts } from './time';
import type { Lifecycle } from './timeline';

/** The fields of a record that metrics read; kept small because it is cached. */
export type MetricRecord = Pick<
  Incident,
  | 'id'
  | 'file'
  | 'type'
  | 'status'
  | 'priority'
  | 'category'
  | 'services'
  | 'team'
  | 'problem'
  | 'times'
>;

/** The lifecycle facts metrics use; the full transitions are for `history`. */
export type LifecycleFacts = Pick<Lifecycle, 'reopens' | 'everResolved' | 'derived'>;

/** One record with what history says of it (undefined when history is unavailable). */
export interface MetricInput {
  record: MetricRecord;
  lifecycle?: LifecycleFacts;
  /** The front matter's times over history's, computed once by `metricInput`. */
  times: Partial<Record<TimeField, number>>;
}

/** Joins a record and its lifecycle, settling the times metrics use. */
export function metricInput(record: MetricRecord, lifecycle?: LifecycleFacts): MetricInput {
  return { record, lifecycle, times: { ...(lifecycle?.derived ?? {}), ...record.times } };
}

/** The fields metrics keep of a full record. */
export function metricRecord(incident: Incident): MetricRecord {
  const { id, file, type, status, priority, category, services, team, problem, times } = incident;
  return { id, file, type, status, priority, category, services, team, problem, times };
}

/** Mean, median and 90th percentile of a set of durations, in minutes. */
export interface Stats {
  mean: number | null;
  median: number | null;
  p90: number | null;
  n: number;
}

/** SLA outcome counts; `rate` is met / (met + breached), null when both are 0. */
export interface SlaSummary {
  target: string | null;
  met: number;
  breached: number;
  pending: number;
  rate: number | null;
}

/** The metrics of one group of records. */
export interface MetricBlock {
  count: number;
  open: number;
  resolved: number;
  mttd: Stats;
  mtta: Stats;
  mttr: Stats;
  responseSla: SlaSummary;
  resolutionSla: SlaSummary;
  reopened: number | null;
  reopenRate: number | null;
}

/** How to compute: the settings, the calendar, the instant open records are judged at. */
export interface MetricOptions {
  policy: Policy;
  calendar: BusinessCalendar;
  now: number;
  period: 'week' | 'month';
  by?: 'category' | 'service' | 'team' | 'problem';
}

/** The times a metric uses: the front matter's, else history's. */
export function effectiveTimes(input: MetricInput): Partial<Record<TimeField, number>> {
  return input.times;
}

const MINUTE = 60_000;

/** Summarises durations in minutes: mean, median (middle pair averaged), p90 (nearest rank). */
export function stats(values: number[]): Stats {
  if (values.length === 0) return { mean: null, median: null, p90: null, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const p90 = sorted[Math.ceil(0.9 * n) - 1];
  return { mean: round(mean), median: round(median), p90: round(p90), n };
}

function round(value: number, places = 2): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

function minutesBetween(from: number | undefined, to: number | undefined): number | undefined {
  if (from === undefined || to === undefined || to < from) return undefined;
  return (to - from) / MINUTE;
}

/** The metrics of one group of records. */
export function metricBlock(
  inputs: MetricInput[],
  options: MetricOptions,
  target?: string,
): MetricBlock {
  const ttd: number[] = [];
  const tta: number[] = [];
  const ttr: number[] = [];
  const response = emptySla(target ? options.policy.priorities[target]?.respond?.text : null);
  const resolution = emptySla(target ? options.policy.priorities[target]?.resolve?.text : null);
  let reopened = 0;
  let everResolved = 0;
  let resolved = 0;
  let historyKnown = true;

  for (const input of inputs) {
    const t = effectiveTimes(input);
    push(ttd, minutesBetween(t.started_at, t.detected_at));
    push(tta, minutesBetween(t.detected_at, t.acknowledged_at));
    const done = t.resolved_at ?? (input.record.status === 'closed' ? t.closed_at : undefined);
    const isResolved = input.record.status === 'resolved' || input.record.status === 'closed';
    if (isResolved) {
      resolved++;
      push(ttr, minutesBetween(t.detected_at, done));
    }
    addSla(response, slaOf(input, 'respond', t.acknowledged_at ?? done, options));
    addSla(resolution, slaOf(input, 'resolve', isResolved ? done : undefined, options));

    if (!input.lifecycle) historyKnown = false;
    else if (input.lifecycle.everResolved) {
      everResolved++;
      if (input.lifecycle.reopens > 0) reopened++;
    }
  }
  finishSla(response);
  finishSla(resolution);
  return {
    count: inputs.length,
    open: inputs.length - resolved,
    resolved,
    mttd: stats(ttd),
    mtta: stats(tta),
    mttr: stats(ttr),
    responseSla: response,
    resolutionSla: resolution,
    reopened: historyKnown ? reopened : null,
    reopenRate: historyKnown && everResolved > 0 ? round(reopened / everResolved, 4) : null,
  };
}

function push(list: number[], value: number | undefined): void {
  if (value !== undefined) list.push(value);
}

function emptySla(target: string | null | undefined): SlaSummary {
  return { target: target ?? null, met: 0, breached: 0, pending: 0, rate: null };
}

function addSla(summary: SlaSummary, state: SlaState | undefined): void {
  if (state === 'met') summary.met++;
  else if (state === 'breached') summary.breached++;
  else if (state === 'pending') summary.pending++;
}

function finishSla(summary: SlaSummary): void {
  const judged = summary.met + summary.breached;
  summary.rate = judged > 0 ? round(summary.met / judged, 4) : null;
}

/** The SLA state of one record for one kind of target, judged against its own priority. */
export function slaOf(
  input: MetricInput,
  kind: 'respond' | 'resolve',
  done: number | undefined,
  options: MetricOptions,
): SlaState | undefined {
  const { priority } = input.record;
  const detected = effectiveTimes(input).detected_at;
  if (!priority || detected === undefined) return undefined;
  const target = options.policy.priorities[priority]?.[kind];
  return slaState(target, options.calendar, detected, done, options.now);
}

/** The period a record's detection falls in: `2026-03` or ISO week `2026-W09`. */
export function periodOf(at: number, period: 'week' | 'month', zone: string): string {
  const local = localParts(at, zone);
  if (period === 'month') return `${local.year}-${String(local.month).padStart(2, '0')}`;
  // ISO week: the week belongs to the year of its Thursday.
  const day = Date.UTC(local.year, local.month - 1, local.day);
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  const thursday = new Date(day - weekday * 86_400_000 + 3 * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000)) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Counts of records per category per period, both keys sorted. */
export function volume(inputs: MetricInput[], options: MetricOptions) {
  // Maps, not objects: a category named `__proto__` must count like any other.
  const counts = new Map<string, Map<string, number>>();
  for (const input of inputs) {
    const detected = effectiveTimes(input).detected_at;
    if (detected === undefined) continue;
    const category = input.record.category ?? '(none)';
    const period = periodOf(detected, options.period, options.policy.timezone);
    const periods = counts.get(category) ?? new Map<string, number>();
    counts.set(category, periods);
    periods.set(period, (periods.get(period) ?? 0) + 1);
  }
  const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));
  return Object.fromEntries(
    sorted(counts).map(([category, periods]) => [category, Object.fromEntries(sorted(periods))]),
  ) as Record<string, Record<string, number>>;
}

/** The keys a record is grouped under for `--by`; a list of services gives several. */
export function groupKeys(record: MetricRecord, by: NonNullable<MetricOptions['by']>): string[] {
  if (by === 'service') return record.services.length > 0 ? record.services : ['(none)'];
  return [record[by] ?? '(none)'];
}

/** Groups inputs by a key function, groups sorted by key. */
export function groupBy(inputs: MetricInput[], keys: (input: MetricInput) => string[]) {
  const groups = new Map<string, MetricInput[]>();
  for (const input of inputs) {
    for (const key of keys(input)) {
      const group = groups.get(key);
      if (group) group.push(input);
      else groups.set(key, [input]);
    }
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
