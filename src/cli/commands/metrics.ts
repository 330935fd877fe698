/**
 * `metrics`: MTTD, MTTA, MTTR, SLA compliance, reopen rate and volume, from the committed
 * records and their git history, as a table, JSON, CSV or markdown.
 */
import { computeMetrics, type MetricsRequest } from '../../core/metricsReport';
import { TYPES, type RecordType } from '../../core/record';
import type { ReportFormat } from '../../core/reportFormat';
import { renderReport } from '../../core/reportFormat';
import { type CliContext, type Command, UsageError } from '../context';

const FORMATS = ['table', 'json', 'csv', 'markdown'];
const GROUPS = ['category', 'service', 'team', 'problem'];

async function request(cli: CliContext): Promise<MetricsRequest> {
  const by = cli.string('by');
  if (by && !GROUPS.includes(by)) throw new UsageError(`--by must be one of ${GROUPS}`);
  const period = cli.string('period') ?? 'month';
  if (period !== 'week' && period !== 'month') throw new UsageError('--period: week or month');
  const types = (cli.string('type') ?? 'incident').split(',').map((t) => t.trim());
  const unknown = types.filter((t) => !TYPES.includes(t as RecordType));
  if (unknown.length > 0) throw new UsageError(`--type: unknown ${unknown}; use ${TYPES}`);
  const since = await cli.time('since');
  const until = await cli.time('until');
  if (since !== undefined && until !== undefined && until <= since) {
    throw new UsageError('--until must be later than --since');
  }
  if (cli.flag('now') && cli.string('as-of')) {
    throw new UsageError('--now and --as-of both set the evaluation time; give one');
  }
  return {
    asOf: cli.string('as-of'),
    clock: cli.flag('now'),
    since,
    until,
    types: types as RecordType[],
    by: by as MetricsRequest['by'],
    period,
    requireHistory: cli.flag('require-history'),
    cache: !cli.flag('no-cache'),
  };
}

export const metricsCommand: Command = {
  name: 'metrics',
  summary: 'MTTD/MTTA/MTTR, SLA compliance per priority, reopen rate, volume by category',
  usage:
    'metrics [--format table|json|csv|markdown] [--by category|service|team|problem] ' +
    '[--since TIME] [--until TIME] [--as-of DATE|REV] [--now] [--period week|month] ' +
    '[--type incident,problem,service-request] [--require-history] [--no-cache]',
  options: {
    format: { type: 'string' },
    by: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    'as-of': { type: 'string' },
    now: { type: 'boolean' },
    period: { type: 'string' },
    type: { type: 'string' },
    'require-history': { type: 'boolean' },
    'no-cache': { type: 'boolean' },
  },
  async run(cli) {
    const format = cli.string('format') ?? 'table';
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS}`);
    const repo = await cli.repo();
    const report = await computeMetrics(repo, await request(cli));
    for (const warning of report.warnings) cli.logger.warn(warning);
    cli.out(renderReport(report, format as ReportFormat));
    return 0;
  },
};
