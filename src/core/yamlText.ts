/**
 * The one module that touches the `yaml` library. It parses front matter and settings as
 * YAML 1.2 with the core schema, so timestamps stay text and the product decides how to
 * read them; it refuses aliases and duplicate keys; and it reports where each top-level
 * entry sits in the text, so writers can change one value without re-printing the rest.
 */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  stringify,
  visit,
} from 'yaml';

/** A YAML syntax or policy error, positioned in the text that was parsed. */
export interface YamlIssue {
  message: string;
  /** 1-based line within the parsed text. */
  line: number;
  column: number;
  code: string;
}

/** Where one top-level `key: value` entry sits, as offsets into the parsed text. */
export interface TopLevelEntry {
  key: string;
  /** 1-based line of the key. */
  line: number;
  keyStart: number;
  valueStart: number;
  /** End of the value itself, before any trailing comment. */
  valueEnd: number;
  /** The value is a single-line scalar that can be replaced in place. */
  inlineScalar: boolean;
  /** The value is a block sequence (`- item` lines). */
  blockSequence: boolean;
  /** The value is a flow sequence (`[a, b]`). */
  flowSequence: boolean;
  /** End of the entry's value node, including a trailing comment. */
  nodeEnd: number;
}

export interface ParsedYaml {
  /** The plain value, or undefined when the text has errors. */
  data: unknown;
  entries: Map<string, TopLevelEntry>;
  issues: YamlIssue[];
}

/** Front matter larger than this is refused before parsing: no record needs it. */
export const MAX_YAML_BYTES = 256 * 1024;

/** Deeper `[`/`{` nesting is refused before parsing; no record needs more than a few. */
export const MAX_FLOW_DEPTH = 100;

/**
 * The deepest `[`/`{` nesting outside quotes and comments, and where it is reached. The
 * parser recurses once per level: a few KB of brackets run it out of stack, which it
 * survives, but only after ~100 ms and with "Maximum call stack size exceeded" as message.
 * Limitation: an apostrophe in plain text is taken for a quote, so this can undercount;
 * the parser's own stack guard still holds then.
 */
function flowDepth(text: string): { depth: number; at: number } {
  let depth = 0;
  let deepest = { depth: 0, at: 0 };
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth > deepest.depth) deepest = { depth, at: i };
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return deepest;
}

/** Parses YAML text into plain data, with entry positions, refusing aliases and duplicates. */
export function parseYaml(text: string): ParsedYaml {
  const entries = new Map<string, TopLevelEntry>();
  if (text.length > MAX_YAML_BYTES) {
    const message = `front matter is larger than ${MAX_YAML_BYTES / 1024} KiB`;
    return {
      data: undefined,
      entries,
      issues: [{ message, line: 1, column: 1, code: 'TOO_LARGE' }],
    };
  }

  const deepest = flowDepth(text);
  if (deepest.depth > MAX_FLOW_DEPTH) {
    const before = text.slice(0, deepest.at);
    const line = before.split('\n').length;
    const message = `front matter nested more than ${MAX_FLOW_DEPTH} levels deep in \`[\` or \`{\``;
    const column = deepest.at - before.lastIndexOf('\n');
    return { data: undefined, entries, issues: [{ message, line, column, code: 'TOO_DEEP' }] };
  }

  const lines = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    // Checked below in one pass: the library compares each key with every earlier one.
    uniqueKeys: false,
    lineCounter: lines,
    prettyErrors: false,
    keepSourceTokens: false,
    // The library otherwise prints some warnings (e.g. on `? [a, b]` keys) on stderr itself.
    logLevel: 'error',
  });
  const issues: YamlIssue[] = doc.errors.map((error) => {
    const pos = lines.linePos(error.pos[0]);
    return {
      message: describeError(error.code, error.message, text, error.pos[0]),
      line: pos.line,
      column: pos.col,
      code: error.code,
    };
  });

  // Aliases are refused outright: a few bytes of anchors can stand for 10^8 nodes.
  visit(doc, {
    Alias(_key, node) {
      const pos = lines.linePos(node.range?.[0] ?? 0);
      issues.push({
        message: `aliases are not allowed in front matter (*${node.source})`,
        line: pos.line,
        column: pos.col,
        code: 'ALIAS',
      });
      return visit.BREAK;
    },
  });
  issues.push(...duplicateKeys(doc, lines));
  if (isMap(doc.contents)) collectEntries(doc.contents.items, lines, entries);
  if (issues.length > 0) return { data: undefined, entries, issues };

  return { data: doc.toJS({ maxAliasCount: 0 }), entries, issues };
}

/** Keys that appear twice in a mapping, in document order, each found with a set. */
function duplicateKeys(doc: Document.Parsed, lines: LineCounter): YamlIssue[] {
  const found: { at: number; key: string }[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        // As plain data `1` and "1" (or `null` and "null") are one key: both are refused.
        const key = String(pair.key.value);
        if (seen.has(key)) found.push({ at: pair.key.range?.[0] ?? 0, key });
        else seen.add(key);
      }
    },
  });
  return found
    .sort((a, b) => a.at - b.at)
    .map(({ at, key }) => {
      const pos = lines.linePos(at);
      const message = `duplicate key \`${key}\``;
      return { message, line: pos.line, column: pos.col, code: 'DUPLICATE_KEY' };
    });
}

function collectEntries(
  items: { key: unknown; value: unknown }[],
  lines: LineCounter,
  entries: Map<string, TopLevelEntry>,
): void {
  for (const pair of items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const key = String(pair.key.value);
    if (entries.has(key)) continue;
    const keyStart = pair.key.range[0];
    const value = pair.value;
    const range =
      isScalar(value) || isSeq(value) || isMap(value) || isAlias(value) ? value.range : undefined;
    const scalarType = isScalar(value) ? value.type : undefined;
    entries.set(key, {
      key,
      line: lines.linePos(keyStart).line,
      keyStart,
      valueStart: range ? range[0] : pair.key.range[2],
      valueEnd: range ? range[1] : pair.key.range[2],
      nodeEnd: range ? range[2] : pair.key.range[2],
      inlineScalar:
        scalarType !== undefined && scalarType !== 'BLOCK_LITERAL' && scalarType !== 'BLOCK_FOLDED',
      blockSequence: isSeq(value) && !value.flow,
      flowSequence: isSeq(value) && value.flow === true,
    });
  }
}

function describeError(code: string, message: string, text: string, pos: number): string {
  if (code !== 'DUPLICATE_KEY') return message.split('\n')[0];
  const key =
    text
      .slice(pos)
      .match(/^[^:\n]*/)?.[0]
      .trim() ?? '';
  return `duplicate key \`${key}\``;
}

/**
 * Renders a scalar the way a person would write it: plain when YAML reads it back the same.
 * Always one line: text with a line break is double-quoted with escapes, never a `|` block,
 * whose lines would need the indentation of wherever the value is spliced in.
 */
export function renderScalar(value: string | number | boolean | null): string {
  const written = stringify(value, { version: '1.2', schema: 'core', lineWidth: 0 }).trimEnd();
  if (typeof value !== 'string') return written;
  // The library's own choice can lose characters: a U+FEFF inside plain text is dropped on
  // reading. Whatever does not read back exactly, on one line, is double-quoted instead.
  const oneLine = !written.includes('\n');
  if (oneLine && parseDocument(`x: ${written}`, { version: '1.2' }).toJS()?.x === value) {
    return written;
  }
  return doubleQuoted(value);
}

/**
 * Text as a YAML double-quoted scalar: JSON's escapes (line breaks, C0 controls, lone
 * surrogates) are YAML's too, and the characters YAML may not hold raw are escaped as well.
 */
function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u0084\u0086-\u009f\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Renders a list of flat mappings as block-sequence lines at the given indent, e.g.
 * `  - at: …` / `    kind: …`, one key per line in the mapping's own order.
 */
export function renderMappingItems(items: Record<string, string>[], indent: string): string[] {
  const out: string[] = [];
  for (const item of items) {
    Object.entries(item).forEach(([key, value], index) => {
      const lead = index === 0 ? `${indent}- ` : `${indent}  `;
      out.push(`${lead}${key}: ${renderScalar(value)}`);
    });
  }
  return out;
}
