/**
 * The ServiceNow audit-log importer (UCI "Incident management process enriched event log",
 * doi:10.24432/C57S4H): one CSV row per update of a ticket. Rows are grouped by `number` and
 * ordered by `sys_mod_count`; the first row and every change of state or priority becomes an
 * event at `sys_updated_at`, so reopens replay as real `resolved → investigating` commits.
 */
import type { Status } from '../record';
import { localToInstant } from '../time';
import { readCsvRows } from './csvRows';
import { SKIP, type ImportMapping } from './mapping';
import { listItem, templateBody } from './recordText';
import {
  type ImportEvent,
  ImportInputError,
  type ParsedSource,
  type RecordState,
  type SourceIncident,
  type SourceListener,
} from './source';

/** The columns the importer reads; the rest of the 36 are left out. */
const COLUMNS = [
  'number',
  'incident_state',
  'sys_mod_count',
  'caller_id',
  'opened_at',
  'sys_updated_by',
  'sys_updated_at',
  'contact_type',
  'location',
  'category',
  'subcategory',
  'u_symptom',
  'cmdb_ci',
  'impact',
  'urgency',
  'priority',
  'assignment_group',
  'assigned_to',
  'problem_id',
  'resolved_at',
  'closed_at',
  'made_sla',
  'reopen_count',
  'reassignment_count',
  'closed_code',
  'resolved_by',
] as const;
type Column = (typeof COLUMNS)[number];
const POSITION = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<Column, number>;

/** One source row: the wanted columns (`?` already turned into undefined). */
interface Row {
  line: number;
  mod: number;
  at: number;
  get(column: Column): string | undefined;
}

/** Reads a ServiceNow event-log CSV (plain or .gz); times without zone are read in `zone`. */
export async function readServiceNow(
  path: string,
  mapping: ImportMapping['servicenow'],
  zone: string,
  listener: SourceListener,
): Promise<ParsedSource> {
  const byNumber = new Map<string, Row[]>();
  let header: number[] | undefined;
  let width = 0;
  let units = 0;
  for await (const { line, fields, unterminated } of readCsvRows(path)) {
    if (!header) {
      width = fields.length;
      header = columnIndexes(fields);
      continue;
    }
    units++;
    if (units % 20_000 === 0) listener.progress?.(units, 'rows read');
    if (fields.length !== width) {
      const counted = `${fields.length} fields, the header has ${width}`;
      if (unterminated) {
        throw new ImportInputError(`line ${line}`, `the last row is cut short (${counted})`);
      }
      listener.issue({ where: `line ${line}`, reason: `has ${counted}`, action: 'skipped' });
      continue;
    }
    const row = toRow(line, fields, header, zone, listener);
    if (!row) continue;
    const number = row.get('number') as string;
    const rows = byNumber.get(number);
    if (rows) rows.push(row);
    else byNumber.set(number, [row]);
  }
  if (!header) throw new ImportInputError('line 1', 'the file is empty');

  const incidents: SourceIncident[] = [];
  for (const [number, rows] of byNumber) {
    const incident = toIncident(number, ordered(number, rows, listener), mapping, zone, listener);
    if (incident) incidents.push(incident);
  }
  return { kind: 'servicenow', incidents, issues: [], units };
}

function columnIndexes(fields: string[]): number[] {
  const names = fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
  const missing = COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    const reason = `is not a ServiceNow event log: no column ${missing.join(', ')}`;
    throw new ImportInputError('line 1', reason);
  }
  return COLUMNS.map((c) => names.indexOf(c));
}

function toRow(
  line: number,
  fields: string[],
  header: number[],
  zone: string,
  listener: SourceListener,
): Row | undefined {
  // Only the wanted columns are kept: 141,712 rows of all 36 would double the memory.
  const values = header.map((index) => {
    const value = fields[index]?.trim();
    return value === undefined || value === '' || value === '?' ? undefined : value;
  });
  const get = (column: Column) => values[POSITION[column]];
  const where = `line ${line}`;
  const number = get('number');
  const mod = Number(get('sys_mod_count'));
  const at = serviceNowTime(get('sys_updated_at'), zone);
  let reason: string | undefined;
  if (!number) reason = 'has no `number`';
  else if (!Number.isInteger(mod)) reason = `has sys_mod_count "${get('sys_mod_count')}"`;
  else if (at === undefined) reason = `has sys_updated_at "${get('sys_updated_at')}"`;
  if (reason) {
    listener.issue({ where, reason: `${reason}, not a ticket update`, action: 'skipped' });
    return undefined;
  }
  return { line, mod, at: at as number, get };
}

/**
 * Rows in `sys_mod_count` order. A few tickets repeat a count; a repeated row dated before
 * the row it follows is out of place (it would replay a step backwards) and is skipped.
 */
function ordered(number: string, rows: Row[], listener: SourceListener): Row[] {
  const sorted = [...rows].sort((a, b) => a.mod - b.mod || a.at - b.at);
  const counts = new Map<number, number>();
  for (const row of sorted) counts.set(row.mod, (counts.get(row.mod) ?? 0) + 1);
  const kept: Row[] = [];
  for (const row of sorted) {
    const before = kept[kept.length - 1];
    if (before && row.at < before.at && (counts.get(row.mod) ?? 0) > 1) {
      listener.issue({
        where: `line ${row.line}`,
        key: number,
        reason:
          `${number}: sys_mod_count ${row.mod} appears twice and this row is dated ` +
          `before the update it follows (line ${before.line})`,
        action: 'skipped',
      });
      continue;
    }
    kept.push(row);
  }
  return kept;
}

function toIncident(
  number: string,
  rows: Row[],
  mapping: ImportMapping['servicenow'],
  zone: string,
  listener: SourceListener,
): SourceIncident | undefined {
  const usable: { row: Row; status: Status }[] = [];
  for (const row of rows) {
    const state = row.get('incident_state') ?? '(empty)';
    const status = mapping.status[state];
    if (status === undefined || status === SKIP) {
      const reason =
        status === SKIP
          ? `${number}: incident_state ${state} is mapped to skip`
          : `${number}: unknown incident_state "${state}"`;
      listener.issue({ where: `line ${row.line}`, key: number, reason, action: 'skipped' });
      continue;
    }
    usable.push({ row, status: status as Status });
  }
  if (usable.length === 0) return undefined;

  const opened = serviceNowTime(usable[0].row.get('opened_at'), zone) ?? usable[0].row.at;
  const final = finalResolution(usable.map((u) => u.status));
  const events: ImportEvent[] = [];
  let last: { status: Status; priority?: string } | undefined;
  usable.forEach(({ row, status }, index) => {
    const priority = mapped(mapping.priority, row.get('priority'));
    if (last && last.status === status && last.priority === priority) return;
    last = { status, priority };
    const state = rowState(number, rows[0], row, status, index >= final, opened, mapping, zone);
    events.push({ at: row.at, author: updater(row), state, origin: origin(row) });
  });
  // Clock skew between rows would otherwise let history reorder the replayed steps.
  for (let i = 1; i < events.length; i++) {
    if (events[i].at >= events[i - 1].at) continue;
    listener.issue({
      where: events[i].origin,
      key: number,
      reason: `${number}: dated before the update it follows; dated as that update`,
      action: 'repaired',
    });
    events[i].at = events[i - 1].at;
  }
  return { key: number, id: number, firstAt: opened, events };
}

/** Index of the row that starts the last run of resolved/closed rows (length when none). */
function finalResolution(statuses: Status[]): number {
  let start = statuses.length;
  statuses.forEach((status, i) => {
    const done = status === 'resolved' || status === 'closed';
    const before = i > 0 && (statuses[i - 1] === 'resolved' || statuses[i - 1] === 'closed');
    if (done && !before) start = i;
  });
  return start;
}

function rowState(
  number: string,
  first: Row,
  row: Row,
  status: Status,
  finalRun: boolean,
  opened: number,
  mapping: ImportMapping['servicenow'],
  zone: string,
): RecordState {
  const times: RecordState['times'] = { detected_at: opened };
  // The log's resolved_at/closed_at hold the final values, so only the last resolution
  // writes them; an earlier one (before a reopen) is timed by its commit.
  const resolved = finalRun ? serviceNowTime(row.get('resolved_at'), zone) : undefined;
  if (resolved !== undefined && resolved >= opened) times.resolved_at = resolved;
  const closed = status === 'closed' ? serviceNowTime(row.get('closed_at'), zone) : undefined;
  if (closed !== undefined && closed >= (times.resolved_at ?? opened)) times.closed_at = closed;
  const symptom = first.get('u_symptom');
  const where = [first.get('category'), first.get('subcategory')].filter(Boolean).join(' / ');
  const title = [symptom, where && (symptom ? `(${where})` : where)].filter(Boolean).join(' ');
  return {
    title: title || `ServiceNow incident ${number}`,
    status,
    priority: mapped(mapping.priority, row.get('priority')),
    impact: mapped(mapping.level, row.get('impact')),
    urgency: mapped(mapping.level, row.get('urgency')),
    category: row.get('category'),
    services: row.get('cmdb_ci') ? [row.get('cmdb_ci') as string] : [],
    reporter: row.get('caller_id'),
    assignee: row.get('assigned_to'),
    team: row.get('assignment_group'),
    problem: row.get('problem_id'),
    times,
    body: templateBody({ Summary: summary(number, row) }),
  };
}

function summary(number: string, row: Row): string {
  const facts: [string, Column][] = [
    ['contact type', 'contact_type'],
    ['location', 'location'],
    ['subcategory', 'subcategory'],
    ['symptom', 'u_symptom'],
    ['reassignment count', 'reassignment_count'],
    ['reopen count', 'reopen_count'],
    ['made SLA', 'made_sla'],
    ['closed code', 'closed_code'],
    ['resolved by', 'resolved_by'],
  ];
  const lines = facts
    .filter(([, column]) => row.get(column) !== undefined)
    .map(([label, column]) => listItem(`${label}: `, row.get(column) as string));
  const source = `ServiceNow ticket ${number}, as of update ${row.mod} (${origin(row)}).`;
  return [source, '', ...lines].join('\n');
}

function mapped(table: Record<string, string>, value: string | undefined): string | undefined {
  return value === undefined ? undefined : table[value];
}

function updater(row: Row) {
  const name = row.get('sys_updated_by') ?? 'ServiceNow';
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return { name, email: `${slug || 'unknown'}@servicenow.invalid` };
}

function origin(row: Row): string {
  return `line ${row.line}, sys_mod_count ${row.mod}`;
}

/** Reads `d/m/yyyy HH:MM` (minute precision, no zone) as a wall-clock time in `zone`. */
export function serviceNowTime(text: string | undefined, zone: string): number | undefined {
  const match = text?.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/);
  if (!match) return undefined;
  const [, d, mo, y, h, mi, s] = match.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined;
  const parts = { year: y, month: mo, day: d, hour: h, minute: mi, second: s || 0 };
  return localToInstant(parts, zone);
}
