/**
 * The pull-request run: the metrics at the base and at the head, both judged at the same
 * instant (so only the pull request's changes show), what moved per priority with deltas,
 * and the records whose times or priorities changed to explain why.
 */
import { escapeMarkdown } from '../core/markupText';
import {
  changedRecords,
  diffMetrics,
  formatChange,
  formatValue,
  type MetricDelta,
  type RecordChange,
} from '../core/metricsDiff';
import { computeMetrics, type MetricsReport } from '../core/metricsReport';
import type { IncidentRepository } from '../core/repository';

/** The marker that finds this Action's comment again on the next push. */
export const COMMENT_MARKER = '<!-- git-incidents:metrics-diff -->';

/** What the comparison found. */
export interface Comparison {
  base: MetricsReport;
  head: MetricsReport;
  deltas: MetricDelta[];
  records: RecordChange[];
}

/** Computes the metrics of `base` and `head` and what differs between them. */
export async function compareRevisions(
  repo: IncidentRepository,
  base: string,
  head: string,
): Promise<Comparison> {
  const baseCommit = await commitOf(repo, base, 'base');
  const headCommit = await commitOf(repo, head, 'head');
  // `clock`: both sides judged now; judged at each commit's own time, an open record could
  // flip from pending to breached between them and look like the pull request's doing.
  const request = { clock: true, cache: false, requireHistory: true };
  const baseReport = await computeMetrics(repo, { ...request, asOf: baseCommit });
  const headReport = await computeMetrics(repo, { ...request, asOf: headCommit });
  return {
    base: baseReport,
    head: headReport,
    deltas: diffMetrics(baseReport, headReport),
    records: await changedRecords(repo, baseCommit, headCommit),
  };
}

async function commitOf(repo: IncidentRepository, rev: string, role: string): Promise<string> {
  if (rev.startsWith('-')) throw new Error(`${role} ${rev} is not a revision`);
  const found = await repo.git.run(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], {
    read: true,
    okCodes: [1, 128],
  });
  const commit = found.stdout.trim();
  if (!commit) {
    throw new Error(
      `the ${role} revision ${rev} is not in this clone: check out with fetch-depth: 0 ` +
        '(actions/checkout), or pass the base input',
    );
  }
  return commit;
}

/** The markdown summary: the deltas per priority, then the records that explain them. */
export function renderComparison(comparison: Comparison): string {
  const { base, head, deltas, records } = comparison;
  const short = (rev: string | null) => (rev ? rev.slice(0, 7) : 'none');
  const lines = [
    '## Incident metrics: what this pull request changes',
    '',
    `Base \`${short(base.revision)}\` → head \`${short(head.revision)}\`; open records ` +
      `judged at ${head.evaluatedAt} on both sides.`,
    '',
  ];
  if (deltas.length === 0) lines.push('No metric changes.');
  else {
    lines.push('| scope | metric | base | head | change |', '| --- | --- | --- | --- | --- |');
    for (const d of deltas) {
      const scope = d.scope === 'all' ? 'all' : `${d.scope}${d.scopeName ? ` ${d.scopeName}` : ''}`;
      lines.push(
        `| ${escapeMarkdown(scope)} | ${d.metric} | ${formatValue(d.kind, d.before)} | ` +
          `${formatValue(d.kind, d.after)} | ${formatChange(d)} |`,
      );
    }
  }
  if (records.length > 0) {
    lines.push('', `### Records changed (${records.length})`, '');
    for (const record of records) lines.push(recordLine(record));
  }
  for (const warning of new Set([...base.warnings, ...head.warnings])) {
    lines.push('', `> warning: ${escapeMarkdown(warning)}`);
  }
  return `${lines.join('\n')}\n`;
}

function recordLine(record: RecordChange): string {
  const what =
    record.change === 'changed'
      ? record.fields.map((f) => `${f.field} ${value(f.before)} → ${value(f.after)}`).join('; ')
      : record.change;
  return `- ${escapeMarkdown(record.id)} (${escapeMarkdown(record.title)}): ${what}`;
}

function value(text: string | undefined): string {
  return text === undefined ? '(none)' : escapeMarkdown(text);
}
