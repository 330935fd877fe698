/**
 * Splitting a record file into front matter and body, and changing front-matter fields as
 * text splices: a changed field changes one line, an added field adds lines, and comments,
 * key order, quoting, a byte-order mark, CRLF line endings and the body stay as they were.
 */
import type { Problem } from './problem';
import {
  parseYaml,
  type ParsedYaml,
  renderMappingItems,
  renderScalar,
  type TopLevelEntry,
} from './yamlText';

const BOM = '\uFEFF';

/** A record file cut at its front-matter fences. Offsets are into `text` (BOM removed). */
export interface FrontMatterSplit {
  bom: boolean;
  eol: '\n' | '\r\n';
  text: string;
  yamlStart: number;
  yamlEnd: number;
  yaml: string;
  body: string;
}

/** Lines that git leaves in a file when a merge stops on a conflict. */
const CONFLICT_MARKER = /^(<{7}|={7}|>{7}|\|{7})(\s|$)/;

/**
 * Finds merge-conflict markers; each is a problem on its own line. A `=======` line alone is
 * also markdown (the underline of a seven-letter heading such as "Summary") and `>>>>>>>` a
 * nested quote, so markers count only in a file that has an opening `<<<<<<<` line.
 */
export function conflictMarkers(content: string, file: string): Problem[] {
  const problems: Problem[] = [];
  const lines = content.split('\n');
  if (!lines.some((line) => line.startsWith('<<<<<<<') && CONFLICT_MARKER.test(line))) {
    return problems;
  }
  lines.forEach((line, index) => {
    if (!CONFLICT_MARKER.test(line)) return;
    problems.push({
      severity: 'error',
      file,
      line: index + 1,
      message: `merge-conflict marker \`${line.trimEnd().slice(0, 20)}\``,
      expected: 'a file without conflict markers: resolve the merge, keep one side, commit',
    });
  });
  return problems;
}

/** Cuts a file at the `---` fences, or explains why it cannot. */
export function splitFrontMatter(
  content: string,
  file: string,
): { ok: true; split: FrontMatterSplit } | { ok: false; problem: Problem } {
  const bom = content.startsWith(BOM);
  const text = bom ? content.slice(1) : content;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const example = '---\nid: INC-20260304-k7qz\ntitle: Checkout returns 502\n…\n---';

  const first = text.match(/^---[ \t]*\r?\n/);
  if (!first) {
    const message = 'the file does not start with a `---` front-matter fence';
    return { ok: false, problem: { severity: 'error', file, line: 1, message, example } };
  }
  const yamlStart = first[0].length;
  const fence = /^---[ \t]*(\r?\n|$)/gm;
  fence.lastIndex = yamlStart;
  const close = fence.exec(text);
  if (!close) {
    const message = 'the front matter has no closing `---` line (the file may be truncated)';
    return { ok: false, problem: { severity: 'error', file, line: 1, message, example } };
  }
  const yamlEnd = close.index;
  const body = text.slice(close.index + close[0].length);
  return {
    ok: true,
    split: { bom, eol, text, yamlStart, yamlEnd, yaml: text.slice(yamlStart, yamlEnd), body },
  };
}

/** Parses the front matter of a split file; YAML issue lines are turned into file lines. */
export function parseFrontMatter(split: FrontMatterSplit, file: string) {
  const parsed = parseYaml(split.yaml);
  const problems: Problem[] = parsed.issues.map((issue) => ({
    severity: 'error' as const,
    file,
    line: issue.line + 1,
    column: issue.column,
    message: issue.message,
    expected: 'valid YAML 1.2 front matter, one `key: value` per line',
  }));
  return { parsed, problems };
}

/** One change to the front matter. */
export type FieldChange =
  | { kind: 'set'; key: string; value: string; after?: string[] }
  | { kind: 'remove'; key: string }
  | { kind: 'append'; key: string; item: Record<string, string> };

/** Applies changes to a record's text, one splice each; throws when one cannot be made. */
export function applyChanges(content: string, changes: FieldChange[], file: string): string {
  let current = content;
  for (const change of changes) current = applyChange(current, change, file);
  return current;
}

function applyChange(content: string, change: FieldChange, file: string): string {
  const cut = splitFrontMatter(content, file);
  if (!cut.ok) throw new Error(cut.problem.message);
  const { split } = cut;
  const parsed = parseYaml(split.yaml);
  if (parsed.issues.length > 0) throw new Error(`${file}: ${parsed.issues[0].message}`);

  const edited = editYaml(split.yaml, parsed, change, split.eol);
  const text = split.text.slice(0, split.yamlStart) + edited + split.text.slice(split.yamlEnd);
  return (split.bom ? BOM : '') + text;
}

function editYaml(yaml: string, parsed: ParsedYaml, change: FieldChange, eol: string): string {
  const entry = parsed.entries.get(change.key);
  if (change.kind === 'remove') {
    if (!entry) return yaml;
    const start = lineStart(yaml, entry.keyStart);
    return yaml.slice(0, start) + yaml.slice(entryEnd(yaml, entry));
  }
  if (change.kind === 'set') {
    const rendered = renderValue(change.value);
    if (entry?.inlineScalar) {
      return (
        yaml.slice(0, entry.valueStart) + spaced(yaml, entry, rendered) + yaml.slice(entry.valueEnd)
      );
    }
    if (entry && isBlockText(yaml, parsed, entry)) {
      // A hand-written `key: |` block: the new one-line value replaces the whole block.
      const end = lineEnd(yaml, entry.nodeEnd - 1);
      return yaml.slice(0, entry.valueStart) + rendered + eol + yaml.slice(end);
    }
    if (entry) {
      throw new Error(`\`${change.key}\` is not a one-line value; edit it by hand`);
    }
    const at = insertionPoint(yaml, parsed, change.after ?? []);
    return yaml.slice(0, at) + `${change.key}: ${rendered}${eol}` + yaml.slice(at);
  }
  return appendItem(yaml, parsed, change, eol);
}

function appendItem(
  yaml: string,
  parsed: ParsedYaml,
  change: { key: string; item: Record<string, string> },
  eol: string,
): string {
  const entry = parsed.entries.get(change.key);
  if (entry && !entry.blockSequence) {
    if (isEmptyList(yaml, parsed, entry)) return startList(yaml, entry, change.item, eol);
    throw new Error(`\`${change.key}\` is not written as a \`- item\` list; edit it by hand`);
  }
  if (!entry) {
    const lines = [`${change.key}:`, ...renderMappingItems([change.item], '  ')];
    const at = yaml.length;
    return yaml.slice(0, at) + lines.map((line) => line + eol).join('') + yaml.slice(at);
  }
  const firstItem = yaml.slice(lineStart(yaml, entry.valueStart), entry.valueStart);
  const indent = firstItem.match(/^[ \t]*/)?.[0] ?? '  ';
  const at = lineEnd(yaml, entry.nodeEnd - 1);
  const lines = renderMappingItems([change.item], indent);
  return yaml.slice(0, at) + lines.map((line) => line + eol).join('') + yaml.slice(at);
}

/** A top-level text value written as a `|` or `>` block over several lines. */
function isBlockText(yaml: string, parsed: ParsedYaml, entry: TopLevelEntry): boolean {
  const value = (parsed.data as Record<string, unknown>)[entry.key];
  const block = !entry.inlineScalar && typeof value === 'string';
  return block && lineStart(yaml, entry.keyStart) === entry.keyStart;
}

/** `key:`, `key: ~` or `key: []` on a line of its own: a list with nothing in it yet. */
function isEmptyList(yaml: string, parsed: ParsedYaml, entry: TopLevelEntry): boolean {
  const value = (parsed.data as Record<string, unknown>)[entry.key];
  const empty = value === null || (Array.isArray(value) && value.length === 0);
  return empty && lineStart(yaml, entry.keyStart) === entry.keyStart;
}

/** Replaces an empty list's value by a block list of one item; a trailing comment stays. */
function startList(
  yaml: string,
  entry: TopLevelEntry,
  item: Record<string, string>,
  eol: string,
): string {
  const start = lineStart(yaml, entry.keyStart);
  const key = yaml.slice(start, entry.valueStart).trimEnd();
  const end = entryEnd(yaml, entry);
  const comment = yaml.slice(entry.valueEnd, end).trim();
  const lines = [comment ? `${key} ${comment}` : key, ...renderMappingItems([item], '  ')];
  return yaml.slice(0, start) + lines.map((line) => line + eol).join('') + yaml.slice(end);
}

/**
 * An empty value (`key:`) starts right after the colon, or at a trailing comment: the new
 * value needs a space before it, and one before the `#`, or YAML reads neither as meant.
 */
function spaced(yaml: string, entry: TopLevelEntry, rendered: string): string {
  if (entry.valueStart !== entry.valueEnd) return rendered;
  const before = /[ \t]/.test(yaml[entry.valueStart - 1] ?? '') ? '' : ' ';
  const after = yaml[entry.valueEnd] === '#' ? ' ' : '';
  return before + rendered + after;
}

/** After the last of the preferred keys that holds a one-line value, else at the end. */
function insertionPoint(yaml: string, parsed: ParsedYaml, after: string[]): number {
  for (const key of [...after].reverse()) {
    const entry = parsed.entries.get(key);
    if (entry?.inlineScalar) return lineEnd(yaml, entry.nodeEnd - 1);
  }
  return yaml.length;
}

/** One line that reads back as exactly `value` (multi-line text double-quoted with escapes). */
function renderValue(value: string): string {
  return renderScalar(value);
}

/**
 * Just past the line where an entry's value ends. The node of an empty value (`key:`) also
 * spans the comment lines after it, which belong to what follows and must stay.
 */
function entryEnd(yaml: string, entry: TopLevelEntry): number {
  const empty = entry.valueStart === entry.valueEnd;
  return lineEnd(yaml, empty ? entry.valueStart : entry.nodeEnd - 1);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the newline that ends the line holding `offset`. */
function lineEnd(text: string, offset: number): number {
  const next = text.indexOf('\n', Math.max(offset, 0));
  return next === -1 ? text.length : next + 1;
}
