/**
 * A fast read of the few top-level fields history needs (id, status, assignee, priority,
 * type) from each past version of a record. A full YAML parse of every version of every
 * record would dominate the history walk; this scan handles the plain one-line values
 * writers produce and hands anything unusual to the real parser.
 */
import { splitFrontMatter } from './frontMatter';
import { parseYaml } from './yamlText';

/** The fields of one past version of a record that lifecycle history is made of. */
export interface VersionFields {
  id?: string;
  status?: string;
  assignee?: string;
  priority?: string;
  type?: string;
}

const WANTED = new Set(['id', 'status', 'assignee', 'priority', 'type']);
// No blank-trimming in the pattern: `(.*?)[ \t]*$` backtracks quadratically on a long line
// of blanks and other characters, and every version of every record is scanned.
// `[^\n]`, not `.`: a dot stops at the carriage return of a CRLF line (and at U+2028).
const LINE = /^(id|status|assignee|priority|type):([^\n]*)$/;

/** Reads the history fields of a record version; undefined when it has no front matter. */
export function scanVersion(text: string): VersionFields | undefined {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith('---', start)) return undefined;
  const end = text.search(/\n---[ \t]*(\r?\n|$)/);
  if (end < 0) return undefined;

  const fields: Record<string, string> = {};
  for (const line of text.slice(start, end).split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const value = plainValue(trimBlanks(match[2]));
    if (value === undefined) return fullParse(text);
    if (value !== '') fields[match[1]] = value;
  }
  return fields;
}

/** The text without the spaces, tabs and carriage return around it, in linear time. */
function trimBlanks(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && ' \t\r'.includes(text[end - 1])) end--;
  return text.slice(start, end);
}

/** The value of a simple scalar, or undefined when only a YAML parser can say. */
function plainValue(raw: string): string | undefined {
  if (raw === '' || raw.startsWith('#')) return '';
  const first = raw[0];
  if ('[{|>&*!%@`'.includes(first)) return undefined;
  if (first === '"' || first === "'") {
    const close = raw.indexOf(first, 1);
    if (close < 0 || raw.slice(1, close).includes('\\')) return undefined;
    return raw.slice(1, close);
  }
  const comment = raw.search(/\s#/);
  return (comment < 0 ? raw : raw.slice(0, comment)).trimEnd();
}

function fullParse(text: string): VersionFields | undefined {
  const cut = splitFrontMatter(text, '');
  if (!cut.ok) return undefined;
  const data = parseYaml(cut.split.yaml).data;
  if (typeof data !== 'object' || data === null) return undefined;
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (WANTED.has(key) && (typeof value === 'string' || typeof value === 'number')) {
      fields[key] = String(value);
    }
  }
  return fields;
}
