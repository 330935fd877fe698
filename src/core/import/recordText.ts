/**
 * The text of an imported record: front matter in the format's field order (the same order
 * `renderRecord` writes), then the body. Rendering is deterministic, so a re-run can tell an
 * imported file from one a person has since edited by comparing blob ids.
 */
import { createHash } from 'node:crypto';
import { BODY_TEMPLATE } from '../create';
import { formatTimestamp } from '../time';
import { renderScalar } from '../yamlText';
import type { RecordState } from './source';

const TIME_ORDER = [
  'started_at',
  'detected_at',
  'acknowledged_at',
  'resolved_at',
  'closed_at',
] as const;

/** Renders a record; times are written with the offset of `zone`. */
export function renderImported(id: string, state: RecordState, zone: string): string {
  const lines: string[] = [];
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') lines.push(`${key}: ${renderScalar(value)}`);
  };
  put('id', id);
  put('title', oneLine(state.title));
  put('status', state.status);
  put('priority', state.priority);
  put('impact', state.impact);
  put('urgency', state.urgency);
  put('category', state.category);
  if (state.services.length === 1) put('service', state.services[0]);
  if (state.services.length > 1) {
    lines.push('service:', ...state.services.map((name) => `  - ${renderScalar(oneLine(name))}`));
  }
  put('team', state.team);
  put('reporter', state.reporter);
  put('assignee', state.assignee);
  for (const field of TIME_ORDER) {
    const at = state.times[field];
    if (at !== undefined) put(field, formatTimestamp(at, zone));
  }
  put('problem', state.problem);
  const body = state.body.endsWith('\n') ? state.body : `${state.body}\n`;
  return ['---', ...lines, '---', '', body].join('\n');
}

/**
 * The template's sections with some of them filled: `sections` maps a heading (`Summary`,
 * `Timeline`, …) to its text. Unfilled sections stay as empty headings to be written later.
 */
export function templateBody(sections: Record<string, string>): string {
  const out: string[] = [];
  for (const line of BODY_TEMPLATE) {
    out.push(line);
    const heading = line.startsWith('## ') ? line.slice(3) : undefined;
    const text = heading ? sections[heading]?.trim() : undefined;
    if (text) out.push('', text);
  }
  return out.join('\n');
}

/** The id git gives a blob with this text, to compare with `ls-tree` without writing it. */
export function blobId(text: string, format: 'sha1' | 'sha256' = 'sha1'): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A markdown list item whose continuation lines are indented under it. */
export function listItem(head: string, text: string): string {
  const lines = text.trim().replace(/\r\n?/g, '\n').split('\n');
  const rest = lines.slice(1).map((line) => (line.trim() === '' ? '' : `  ${line}`));
  return [`- ${head}${lines[0]}`, ...rest].join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}
