/**
 * The metrics report of a repository at a commit: filters applied, metrics overall, per
 * priority and per group, volume by category, and every problem met. The JSON form is
 * stable: the same repository at the same commit gives the same bytes.
 */
import { statSync } from 'node:fs';
import { calendarFor, POLICY_FILE } from './policy';
import {
  effectiveTimes,
  groupBy,
  groupKeys,
  type MetricBlock,
  metricBlock,
  type MetricInput,
  type MetricOptions,
  volume,
} from './metrics';
import type { Problem } from './problem';
import type { RecordType } from './record';
import { recordsAt } from './recordsAtRevision';
import type { IncidentRepository } from './repository';
import { readReport, reportKey, writeReport } from './reportCache';
import { type ReportPoint, resolvePoint } from './revision';
import { formatTimestamp } from './time';

/** What the user asks of `metrics`. */
export interface MetricsRequest {
  asOf?: string;
  /** Judge open records at the current clock rather than at the commit's time. */
  clock?: boolean;
  since?: number;
  until?: number;
  types?: RecordType[];
  by?: MetricOptions['by'];
  period?: 'week' | 'month';
  /** Fail rather than fall back to front-matter times in a shallow clone. */
  requireHistory?: boolean;
  cache?: boolean;
}

/** The report; see docs/metrics.md for the schema. */
export interface MetricsReport {
  schema: 'git-incidents/metrics@1';
  revision: string | null;
  evaluatedAt: string;
  history: 'full' | 'front-matter-only';
  filters: { types: RecordType[]; since: string | null; until: string | null };
  timezone: string;
  overall: MetricBlock;
  byPriority: Record<string, MetricBlock & { name: string | null }>;
  by?: { field: string; groups: Record<string, MetricBlock> };
  volume: { period: 'week' | 'month'; byCategory: Record<string, Record<string, number>> };
  problems: Pick<Problem, 'severity' | 'file' | 'line' | 'field' | 'message'>[];
  warnings: string[];
}

// A rebuilt product may compute differently: its reports never come from an older build's cache.
const BUILD = (() => {
  try {
    return statSync(__filename).mtimeMs;
  } catch {
    return 0;
  }
})();

/** Raised when the history a report needs is not in the clone. */
export class ShallowCloneError extends Error {}

/** Computes the metrics report for a repository. */
export async function computeMetrics(
  repo: IncidentRepository,
  request: MetricsRequest = {},
): Promise<MetricsReport> {
  const point = await resolvePoint(repo, request.asOf, request.clock ?? false);
  const warnings: string[] = [];
  if (point.shallow && request.requireHistory) {
    throw new ShallowCloneError(
      'this is a shallow clone, and these metrics need the whole ' +
        'history: run `git fetch --unshallow` (in CI: actions/checkout with fetch-depth: 0)',
    );
  }
  if (point.shallow) {
    warnings.push(
      'shallow clone: times missing from front matter and reopens are unknown; ' +
        'run `git fetch --unshallow` for complete metrics',
    );
  }
  if (!point.commit) warnings.push('no commits to report on yet');

  const cacheable = point.commit !== undefined && !point.shallow && request.cache !== false;
  // The settings of the reported revision, not the working tree's.
  const view = point.commit ? await repo.atRevision(point.commit) : repo;
  const key = reportKey([point, request, view.policy, view.policyProblems, BUILD]);
  const gitDir = await repo.gitDir();
  const cached = cacheable ? await readReport<MetricsReport>(gitDir, key) : undefined;
  if (cached) {
    repo.logger.debug('metrics: report cache hit');
    return cached;
  }
  const report = await buildReport(view, request, point, warnings);
  if (cacheable) {
    await writeReport(gitDir, key, report).catch((error) =>
      repo.logger.warn(`report cache not written: ${error.message}`),
    );
  }
  return report;
}

async function buildReport(
  repo: IncidentRepository,
  request: MetricsRequest,
  point: ReportPoint,
  warnings: string[],
): Promise<MetricsReport> {
  const loaded = point.commit
    ? await recordsAt(repo, point.commit, !point.shallow, request.cache ?? true)
    : { inputs: [], problems: [], commits: 0, cache: 'off' as const };
  repo.logger.debug(
    `metrics: ${loaded.inputs.length} records, ${loaded.commits} commits, ` +
      `cache ${loaded.cache}`,
  );
  const types = request.types ?? ['incident'];
  const inputs = loaded.inputs.filter((input) => selected(input, types, request));
  const invalid = loaded.problems.filter(
    (p) => p.severity === 'error' && p.file !== POLICY_FILE,
  ).length;
  if (invalid > 0) warnings.push(`${invalid} problem(s) in record files: those are left out`);

  const options: MetricOptions = {
    policy: repo.policy,
    calendar: calendarFor(repo.policy),
    now: point.now,
    period: request.period ?? 'month',
    by: request.by,
  };
  return {
    schema: 'git-incidents/metrics@1',
    revision: point.commit ?? null,
    evaluatedAt: formatTimestamp(point.now),
    history: point.shallow ? 'front-matter-only' : 'full',
    filters: { types, since: stamp(request.since), until: stamp(request.until) },
    timezone: repo.policy.timezone,
    overall: metricBlock(inputs, options),
    byPriority: byPriority(inputs, options),
    ...(request.by ? { by: { field: request.by, groups: byGroup(inputs, options) } } : {}),
    volume: { period: options.period, byCategory: volume(inputs, options) },
    problems: loaded.problems.map(({ severity, file, line, field, message }) => ({
      severity,
      file,
      line,
      field,
      message,
    })),
    warnings,
  };
}

function stamp(at: number | undefined): string | null {
  return at === undefined ? null : formatTimestamp(at);
}

function selected(input: MetricInput, types: RecordType[], request: MetricsRequest): boolean {
  if (!types.includes(input.record.type)) return false;
  const detected = effectiveTimes(input).detected_at;
  if (request.since !== undefined && (detected === undefined || detected < request.since)) {
    return false;
  }
  return request.until === undefined || (detected !== undefined && detected < request.until);
}

function byPriority(inputs: MetricInput[], options: MetricOptions) {
  const names = Object.keys(options.policy.priorities);
  const present = inputs.map((i) => i.record.priority).filter((p): p is string => !!p);
  const keys = [...new Set([...names, ...present])].sort();
  const blocks: MetricsReport['byPriority'] = {};
  for (const key of keys) {
    const group = inputs.filter((input) => input.record.priority === key);
    blocks[key] = {
      name: options.policy.priorities[key]?.name ?? null,
      ...metricBlock(group, options, key),
    };
  }
  return blocks;
}

function byGroup(inputs: MetricInput[], options: MetricOptions) {
  const by = options.by;
  if (!by) return {};
  const groups = groupBy(inputs, (input) => groupKeys(input.record, by));
  return Object.fromEntries([...groups].map(([key, group]) => [key, metricBlock(group, options)]));
}
