/**
 * The Atlassian Statuspage importer (e.g. GitHub's public incidents): JSON lines or one
 * array of `incident` objects. The API lists updates newest first; they are replayed oldest
 * first, each a commit whose body's Timeline gains that update's text.
 */
import { readFile } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import type { Status } from '../record';
import { formatTimestamp, parseTimestamp } from '../time';
import type { ImportMapping } from './mapping';
import { listItem, templateBody } from './recordText';
import {
  type ImportEvent,
  ImportInputError,
  type ParsedSource,
  type RecordState,
  type SourceIncident,
  type SourceListener,
} from './source';

/** Larger files are refused: they are not one status page's incidents. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;
const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Statuspage back-filled older incidents with one `resolved` update and no duration. */
const BACKFILL_BEFORE = Date.UTC(2019, 0, 1);
const AUTHOR = { name: 'Status page', email: 'statuspage@statuspage.invalid' };

interface Update {
  status: string;
  body: string;
  at: number;
}

/** Reads a Statuspage export (JSON lines, or a JSON array) into source incidents. */
export async function readStatuspage(
  path: string,
  mapping: ImportMapping['statuspage'],
  listener: SourceListener,
): Promise<ParsedSource> {
  const objects = await readObjects(path, listener);
  const incidents: SourceIncident[] = [];
  for (const { where, value } of objects) {
    const incident = toIncident(where, value, mapping, listener);
    if (incident) incidents.push(incident);
  }
  const notes = (imported: SourceIncident[]) => {
    const backfilled = imported.filter(isBackfilled).length;
    if (backfilled === 0) return [];
    const reason =
      `${backfilled} incident(s) before 2019 are back-filled (one \`resolved\` update, ` +
      'zero duration); their time metrics mean nothing: use `metrics --since 2019-10-01`';
    return [{ where: path, reason, action: 'imported' as const }];
  };
  return { kind: 'statuspage', incidents, issues: [], units: objects.length, notes };
}

function isBackfilled(incident: SourceIncident): boolean {
  const [only, ...rest] = incident.events;
  return (
    rest.length === 0 && only?.state?.status === 'resolved' && incident.firstAt < BACKFILL_BEFORE
  );
}

async function readObjects(path: string, listener: SourceListener) {
  const bytes = await readFile(path);
  if (bytes.length > MAX_FILE_BYTES) {
    throw new ImportInputError(path, `is larger than ${MAX_FILE_BYTES / 2 ** 20} MiB`);
  }
  const lines = splitLines(bytes);
  const first = lines.find((line) => line.text.trim() !== '');
  if (first?.text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(lines.map((l) => l.text).join('\n'));
    } catch (error) {
      throw new ImportInputError(path, `is not a complete JSON array: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new ImportInputError(path, 'is not a JSON array');
    return parsed.map((value, i) => ({ where: `item ${i + 1}`, value }));
  }
  const objects: { where: string; value: unknown }[] = [];
  for (const [index, { number, text, terminated }] of lines.entries()) {
    if (text.trim() === '') continue;
    try {
      objects.push({ where: `line ${number}`, value: JSON.parse(text) });
    } catch (error) {
      const last = index === lines.length - 1 && !terminated;
      const reason = `is not JSON (${(error as Error).message})`;
      if (last) throw new ImportInputError(`line ${number}`, `${reason}: the file is cut short`);
      listener.issue({ where: `line ${number}`, reason, action: 'skipped' });
    }
  }
  return objects;
}

/** Lines as UTF-8 text; an invalid byte or an absurd line stops with its line number. */
function splitLines(bytes: Buffer) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const lines: { number: number; text: string; terminated: boolean }[] = [];
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ImportInputError('line 1', 'is UTF-16; save the file as UTF-8');
  }
  for (let number = 1; start < bytes.length; number++) {
    const newline = bytes.indexOf(10, start);
    const end = newline < 0 ? bytes.length : newline;
    if (end - start > MAX_LINE_BYTES) {
      throw new ImportInputError(`line ${number}`, 'is longer than 16 MiB: not an incident');
    }
    try {
      const text = decoder.decode(bytes.subarray(start, end)).replace(/\r$/, '');
      lines.push({ number, text, terminated: newline >= 0 });
    } catch {
      throw new ImportInputError(`line ${number}`, 'is not valid UTF-8; convert the file first');
    }
    start = end + 1;
  }
  return lines;
}

function toIncident(
  where: string,
  value: unknown,
  mapping: ImportMapping['statuspage'],
  listener: SourceListener,
): SourceIncident | undefined {
  const key = isObject(value) && typeof value.id === 'string' ? value.id : undefined;
  const skip = (reason: string) => {
    listener.issue({ where, key, reason, action: 'skipped' });
    return undefined;
  };
  if (!isObject(value)) return skip('is not an incident object');
  const { id, name, impact } = value;
  const created = instant(value.created_at);
  if (typeof id !== 'string' || id === '') return skip('has no `id`');
  if (typeof name !== 'string') return skip(`${id}: has no \`name\``);
  if (created === undefined) return skip(`${id}: has no valid \`created_at\``);
  const priority = typeof impact === 'string' ? mapping.priority[impact] : undefined;
  if (!priority) return skip(`${id}: impact ${JSON.stringify(impact)} is not in the mapping`);

  const updates = readUpdates(`${where} (${id})`, id, value.incident_updates, mapping, listener);
  if (updates.length === 0) return skip(`${id}: has no usable update`);
  const services = componentNames(value);
  const started = instant(value.started_at);
  const times: RecordState['times'] = { detected_at: created };
  if (started !== undefined && started <= created) times.started_at = started;
  else if (started !== undefined) {
    const reason = `${id}: started_at is after created_at; started_at is left out`;
    listener.issue({ where, key: id, reason, action: 'repaired' });
  }
  const link = typeof value.shortlink === 'string' ? ` (${value.shortlink})` : '';
  const summary = [
    `Status page incident ${id}${link}.`,
    `Impact: ${impact}; components: ${services.join(', ') || 'none named'}.`,
  ];
  if (updates.length === 1 && created < BACKFILL_BEFORE) {
    summary.push('', 'Back-filled by the status page with one update: its duration is zero.');
  }

  const events: ImportEvent[] = [];
  const timeline: string[] = [];
  let status: Status | undefined;
  let acknowledged: number | undefined;
  let resolvedAt: number | undefined;
  for (const update of updates) {
    const next = mapping.status[update.status] as Status;
    if (update.status === 'identified') acknowledged ??= update.at;
    if (next === 'resolved' && status !== 'resolved') resolvedAt = update.at;
    if (next !== 'resolved' && next !== 'closed') resolvedAt = undefined;
    status = next;
    timeline.push(listItem(`${formatTimestamp(update.at)} ${update.status}: `, update.body));
    const state = {
      title: name,
      status,
      priority,
      category: services[0],
      services,
      times: { ...times, acknowledged_at: acknowledged, resolved_at: resolvedAt },
      body: templateBody({ Summary: summary.join('\n'), Timeline: timeline.join('\n') }),
    };
    events.push({ at: update.at, author: AUTHOR, state, origin: `${where} (${id})` });
  }
  const day = formatTimestamp(created).slice(0, 10).replaceAll('-', '');
  const safe = id.replace(/[^A-Za-z0-9]/g, '');
  return { key: id, id: `SP-${day}-${safe}`, firstAt: created, events };
}

function readUpdates(
  where: string,
  key: string,
  list: unknown,
  mapping: ImportMapping['statuspage'],
  listener: SourceListener,
): Update[] {
  const updates: (Update & { position: number })[] = [];
  for (const [position, item] of (Array.isArray(list) ? list : []).entries()) {
    // `display_at` is the time the page shows; back-filled updates were created years later.
    const at = isObject(item) ? instant(item.display_at ?? item.created_at) : undefined;
    const status = isObject(item) && typeof item.status === 'string' ? item.status : '';
    if (at === undefined || !mapping.status[status]) {
      const reason = `an update with status "${status}" or no valid time is left out`;
      listener.issue({ where, key, reason, action: 'skipped' });
      continue;
    }
    const body = isObject(item) && typeof item.body === 'string' ? item.body : '';
    updates.push({ status, body: body.trim() || '(no text)', at, position });
  }
  // The API lists newest first, so of two updates at the same instant the later-listed is older.
  return updates.sort((a, b) => a.at - b.at || b.position - a.position);
}

function componentNames(incident: Record<string, unknown>): string[] {
  const names = (list: unknown) =>
    (Array.isArray(list) ? list : [])
      .map((c) => (isObject(c) && typeof c.name === 'string' ? c.name.trim() : ''))
      .filter(Boolean);
  const own = names(incident.components);
  const updates = Array.isArray(incident.incident_updates) ? incident.incident_updates : [];
  const affected = updates.flatMap((u) => (isObject(u) ? names(u.affected_components) : []));
  return [...new Set(own.length > 0 ? own : affected)];
}

function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseTimestamp(value, 'UTC');
  return parsed.ok && !parsed.dateOnly ? parsed.at : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
