/**
 * How source values become record values: the default tables of each importer, and a user's
 * `--mapping FILE.yml` laid over them entry by entry (docs/importers.md lists every table).
 */
import { readFile } from 'node:fs/promises';
import { type Problem, ProblemError } from '../problem';
import { STATUSES } from '../record';
import { parseYaml } from '../yamlText';

/** One lookup table: source value → record value. */
export type Table = Record<string, string>;

/** Every table of every importer. */
export interface ImportMapping {
  servicenow: { status: Table; priority: Table; level: Table };
  statuspage: { status: Table; priority: Table };
  cstate: { priority: Table };
}

/** A status table may also say `skip`: rows in that source state are reported and left out. */
export const SKIP = 'skip';

/** The tables used when no mapping file is given. */
export function defaultMapping(): ImportMapping {
  return {
    servicenow: {
      status: {
        New: 'logged',
        Active: 'investigating',
        'Awaiting User Info': 'investigating',
        'Awaiting Vendor': 'investigating',
        'Awaiting Problem': 'investigating',
        'Awaiting Evidence': 'investigating',
        Resolved: 'resolved',
        Closed: 'closed',
        '-100': SKIP,
      },
      priority: { '1 - Critical': 'P1', '2 - High': 'P2', '3 - Moderate': 'P3', '4 - Low': 'P4' },
      level: { '1 - High': 'high', '2 - Medium': 'medium', '3 - Low': 'low' },
    },
    statuspage: {
      // `monitoring`: a fix is out but not yet confirmed; the page calls the end `resolved`.
      status: {
        investigating: 'investigating',
        identified: 'investigating',
        monitoring: 'investigating',
        resolved: 'resolved',
        postmortem: 'resolved',
      },
      priority: { critical: 'P1', major: 'P2', minor: 'P3', none: 'P4' },
    },
    cstate: { priority: { down: 'P1', disrupted: 'P2', notice: 'P3' } },
  };
}

/** What the values of each kind of table may be; undefined means any name. */
const ALLOWED: Record<string, readonly string[] | undefined> = {
  status: [...STATUSES, SKIP],
  level: ['high', 'medium', 'low'],
  priority: undefined,
};

const EXAMPLE = 'statuspage:\n  priority: {minor: P4}';

/** Reads a mapping file and lays it over the defaults; throws ProblemError when it is wrong. */
export async function loadMapping(path: string | undefined): Promise<ImportMapping> {
  if (path === undefined) return defaultMapping();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`--mapping ${path}: cannot read it (${(error as Error).message})`);
  }
  return parseMapping(text, path);
}

/** Parses mapping text over the defaults. */
export function parseMapping(text: string, file: string): ImportMapping {
  const mapping = defaultMapping();
  const parsed = parseYaml(text.replace(/^\uFEFF/, ''));
  const problems: Problem[] = parsed.issues.map((issue) => ({
    severity: 'error',
    file,
    line: issue.line,
    message: issue.message,
    example: EXAMPLE,
  }));
  const report = (line: number | undefined, message: string, expected?: string) =>
    problems.push({ severity: 'error', file, line, message, expected, example: EXAMPLE });
  const data = parsed.data ?? {};
  if (problems.length === 0 && !isMap(data)) report(1, 'the mapping file is not a mapping');

  for (const [kind, tables] of isMap(data) ? Object.entries(data) : []) {
    const line = parsed.entries.get(kind)?.line;
    const known = (mapping as unknown as Record<string, Record<string, Table>>)[kind];
    if (!known) {
      report(line, `unknown importer \`${kind}\``, Object.keys(mapping).join(', '));
      continue;
    }
    if (!isMap(tables)) {
      report(line, `\`${kind}\` must map table names to tables`, Object.keys(known).join(', '));
      continue;
    }
    for (const [name, entries] of Object.entries(tables)) {
      const where = `${kind}.${name}`;
      if (!known[name]) {
        report(line, `unknown table \`${where}\``, Object.keys(known).join(', '));
        continue;
      }
      if (!isMap(entries)) {
        report(line, `\`${where}\` must map source values to record values`);
        continue;
      }
      for (const [from, to] of Object.entries(entries)) {
        const allowed = ALLOWED[name];
        const value = typeof to === 'string' || typeof to === 'number' ? String(to) : '';
        if (value === '' || (allowed && !allowed.includes(value))) {
          const message = `\`${where}\`: \`${from}\` maps to ${JSON.stringify(to)}`;
          report(line, message, allowed ? allowed.join(', ') : 'a priority name such as P2');
          continue;
        }
        known[name][from] = value;
      }
    }
  }
  if (problems.length > 0) throw new ProblemError(`${file}: the mapping cannot be used`, problems);
  return mapping;
}

/** The priorities one importer's mapping can produce, sorted. */
export function mappedPriorities(mapping: ImportMapping, kind: keyof ImportMapping): string[] {
  return [...new Set(Object.values(mapping[kind].priority))].sort();
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
