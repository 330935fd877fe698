/**
 * The metrics report as text: a terminal table, CSV, markdown, or stable JSON. Durations
 * are shown as `2h 05m` in tables and as minutes in CSV and JSON.
 */
import { formatMinutes } from './duration';
import type { MetricBlock, SlaSummary, Stats } from './metrics';
import type { MetricsReport } from './metricsReport';

export type ReportFormat = 'table' | 'json' | 'csv' | 'markdown';

/** Renders a report in one of the formats. */
export function renderReport(report: MetricsReport, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return renderCsv(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'table':
      return renderTable(report);
  }
}

const HEADERS = [
  '',
  'count',
  'open',
  'MTTD mean / median / p90',
  'MTTA mean / median / p90',
  'MTTR mean / median / p90',
  'response SLA',
  'resolution SLA',
  'reopen rate',
];

function rows(report: MetricsReport): string[][] {
  const out: string[][] = [];
  for (const [key, block] of Object.entries(report.byPriority)) {
    if (block.count === 0 && !block.responseSla.target && !block.resolutionSla.target) continue;
    out.push(blockRow(block.name ? `${key} ${block.name}` : key, block));
  }
  out.push(blockRow('all', report.overall));
  return out;
}

function groupRows(report: MetricsReport): string[][] {
  if (!report.by) return [];
  return Object.entries(report.by.groups).map(([key, block]) => blockRow(key, block));
}

function blockRow(label: string, block: MetricBlock): string[] {
  return [
    label,
    String(block.count),
    String(block.open),
    statsCell(block.mttd),
    statsCell(block.mtta),
    statsCell(block.mttr),
    slaCell(block.responseSla),
    slaCell(block.resolutionSla),
    percent(block.reopenRate),
  ];
}

function statsCell(stats: Stats): string {
  if (stats.n === 0) return '–';
  const show = (v: number | null) => (v === null ? '–' : formatMinutes(v));
  return `${show(stats.mean)} / ${show(stats.median)} / ${show(stats.p90)}`;
}

function slaCell(sla: SlaSummary): string {
  const judged = sla.met + sla.breached;
  if (judged === 0 && sla.pending === 0) return sla.target === null ? '–' : 'no records';
  const pending = sla.pending > 0 ? `, ${sla.pending} pending` : '';
  return `${percent(sla.rate)} (${sla.met}/${judged})${pending}`;
}

function percent(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`;
}

function title(report: MetricsReport): string {
  const at = report.revision ? report.revision.slice(0, 10) : 'no commit';
  return (
    `Incident metrics at ${at}, open records judged at ${report.evaluatedAt} ` +
    `(${report.timezone}; ${report.filters.types.join(', ')})`
  );
}

function targetsLine(report: MetricsReport): string {
  const parts = Object.entries(report.byPriority).map(([key, block]) => {
    const respond = block.responseSla.target ?? 'no target';
    const resolve = block.resolutionSla.target ?? 'no target';
    return `${key}: respond ${respond}, resolve ${resolve}`;
  });
  return `Targets: ${parts.join('; ')}`;
}

function renderTable(report: MetricsReport): string {
  const lines = [title(report), targetsLine(report), '', ...table(HEADERS, rows(report))];
  if (report.by) {
    lines.push('', `By ${report.by.field}:`, ...table(HEADERS, groupRows(report)));
  }
  lines.push('', ...volumeTable(report));
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function volumeTable(report: MetricsReport): string[] {
  const volume = report.volume.byCategory;
  const categories = Object.keys(volume);
  if (categories.length === 0) return ['Volume: no records'];
  const periods = [...new Set(categories.flatMap((c) => Object.keys(volume[c])))].sort();
  const shown = periods.slice(-12);

  // The busiest categories of the shown periods; a terminal table of hundreds helps no one.
  const total = (c: string) => shown.reduce((sum, p) => sum + (volume[c][p] ?? 0), 0);
  const active = categories.filter((c) => total(c) > 0);
  const top = [...active].sort((a, b) => total(b) - total(a) || (a < b ? -1 : 1)).slice(0, 15);
  const rows = active.filter((c) => top.includes(c));
  const body = rows.map((c) => [c, ...shown.map((p) => String(volume[c][p] ?? 0))]);

  const notes = [];
  if (periods.length > shown.length) notes.push(`last ${shown.length} of ${periods.length}`);
  if (active.length > rows.length) notes.push(`busiest ${rows.length} of ${active.length}`);
  const note = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  return [
    `Volume by category per ${report.volume.period}${note}:`,
    ...table(['category', ...shown], body),
  ];
}

function table(headers: string[], rawBody: string[][]): string[] {
  // Record text (a category, a team) may hold line breaks or escape sequences: in a terminal
  // they would split a row or act on the screen.
  const body = rawBody.map((row) =>
    row.map((cell) => cell.replace(/[\u0000-\u001f\u007f]+/g, ' ')),
  );
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

function renderMarkdown(report: MetricsReport): string {
  const md = (headers: string[], body: string[][]) => [
    `| ${headers.map(escapeCell).join(' | ')} |`,
    `|${headers.map(() => ' --- ').join('|')}|`,
    ...body.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ];
  const lines = [`### ${title(report)}`, '', targetsLine(report), '', ...md(HEADERS, rows(report))];
  if (report.by)
    lines.push('', `#### By ${report.by.field}`, '', ...md(HEADERS, groupRows(report)));
  for (const warning of report.warnings) lines.push('', `> warning: ${escapeCell(warning)}`);
  return `${lines.join('\n')}\n`;
}

/** Record text can hold `|`, `<` and newlines; none may break or inject into the table. */
function escapeCell(text: string): string {
  // A lone carriage return ends a markdown line as well as a newline does.
  return text.replace(/[\\|`*_<>[\]]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

const CSV_HEADERS = [
  'scope',
  'key',
  'count',
  'open',
  'resolved',
  ...['mttd', 'mtta', 'mttr'].flatMap((m) => [`${m}_mean`, `${m}_median`, `${m}_p90`, `${m}_n`]),
  ...['response', 'resolution'].flatMap((s) => [
    `${s}_target`,
    `${s}_met`,
    `${s}_breached`,
    `${s}_pending`,
    `${s}_rate`,
  ]),
  'reopened',
  'reopen_rate',
];

function renderCsv(report: MetricsReport): string {
  const lines = [CSV_HEADERS.join(',')];
  const add = (scope: string, key: string, b: MetricBlock) =>
    lines.push(
      [
        scope,
        key,
        b.count,
        b.open,
        b.resolved,
        ...[b.mttd, b.mtta, b.mttr].flatMap((s) => [s.mean, s.median, s.p90, s.n]),
        ...[b.responseSla, b.resolutionSla].flatMap((s) => [
          s.target,
          s.met,
          s.breached,
          s.pending,
          s.rate,
        ]),
        b.reopened,
        b.reopenRate,
      ]
        .map(csvCell)
        .join(','),
    );
  add('overall', 'all', report.overall);
  for (const [key, block] of Object.entries(report.byPriority)) add('priority', key, block);
  for (const [key, block] of Object.entries(report.by?.groups ?? {})) {
    add(report.by?.field ?? 'group', key, block);
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // A leading = + - @ (or a tab or carriage return before one) would run as a formula in
  // a spreadsheet; a carriage return ends a row as well as a newline does.
  const safe = /^[=+\-@\t\r]/.test(text) && Number.isNaN(Number(text)) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
