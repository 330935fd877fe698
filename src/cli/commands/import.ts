/**
 * `import`: replays a real incident source into a repository of records, one commit per
 * event at the event's own time. Results go to stdout; issues met in the source and
 * progress go to stderr, progress only when stderr is a terminal or, otherwise, throttled.
 */
import { writeFile } from 'node:fs/promises';
import { type ImportResult, runImport } from '../../core/import/importRun';
import { IMPORT_KINDS, type ImportIssue, type ImportKind } from '../../core/import/source';
import { parseTimestamp } from '../../core/time';
import { type CliContext, type Command, UsageError } from '../context';

/** Issues listed on stderr one by one; the rest are counted (and all go to --report). */
const SHOWN_ISSUES = 40;

export const importCommand: Command = {
  name: 'import',
  summary: 'replay ServiceNow, Statuspage or cState incidents as records and commits',
  usage:
    'import servicenow|statuspage|cstate <source> --into DIR [--timezone ZONE] ' +
    '[--mapping FILE.yml] [--since TIME] [--until TIME] [--last-days N] [--report FILE.json]',
  options: {
    into: { type: 'string' },
    timezone: { type: 'string' },
    mapping: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    'last-days': { type: 'string' },
    report: { type: 'string' },
  },
  async run(cli) {
    const [kind, source, ...extra] = cli.positionals;
    if (!IMPORT_KINDS.includes(kind as ImportKind) || !source || extra.length > 0) {
      throw new UsageError(`give the kind (${IMPORT_KINDS.join(', ')}) and one source`);
    }
    if (kind !== 'statuspage' && !cli.string('timezone')) {
      cli.logger.info('source times without a zone are read in UTC; --timezone ZONE if local');
    }
    const progress = progressWriter(cli);
    const result = await runImport({
      kind: kind as ImportKind,
      source,
      into: cli.required('into'),
      timezone: cli.string('timezone'),
      mappingFile: cli.string('mapping'),
      since: time(cli, 'since'),
      until: time(cli, 'until'),
      lastDays: days(cli),
      logger: cli.logger,
      onProgress: progress.update,
    }).finally(progress.done);
    reportIssues(cli, result.issues);
    const report = cli.string('report');
    if (report) await writeFile(report, `${JSON.stringify(result, null, 2)}\n`);
    cli.out(`${summary(kind, result)}\n`);
    return 0;
  },
};

/** The summary line: what was read, what was written, how long each took. */
export function summary(kind: string, r: ImportResult): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const counts = { skipped: 0, repaired: 0, imported: 0 };
  for (const issue of r.issues) counts[issue.action]++;
  return [
    `imported ${kind} into ${r.root} (branch ${r.branch}${r.created ? ', new repository' : ''})`,
    `  source: ${r.units} unit(s) read, ${r.incidents} incident(s) in the window`,
    `  records: ${r.added} added, ${r.updated} updated; ${r.commits} commit(s)`,
    `  issues: ${counts.skipped} skipped, ${counts.repaired} repaired, ${counts.imported} noted`,
    `  time: ${seconds(r.readMs + r.writeMs)} (read ${seconds(r.readMs)}, ` +
      `write ${seconds(r.writeMs)})`,
  ].join('\n');
}

function reportIssues(cli: CliContext, issues: ImportIssue[]): void {
  for (const issue of issues.slice(0, SHOWN_ISSUES)) {
    cli.err(`${issue.where}: ${issue.reason} (${issue.action})\n`);
  }
  if (issues.length > SHOWN_ISSUES) {
    const more = issues.length - SHOWN_ISSUES;
    cli.err(`… and ${more} more issue(s); --report FILE.json lists every one\n`);
  }
}

/** On a terminal, one line redrawn in place; elsewhere, a line at most every 15 s. */
function progressWriter(cli: CliContext) {
  const tty = process.stderr.isTTY === true && !cli.flag('quiet');
  let last = Date.now();
  let drawn = false;
  const update = (message: string) => {
    if (tty) {
      cli.err(`\r\x1b[2K${message}`);
      drawn = true;
    } else if (Date.now() - last >= 15_000) {
      last = Date.now();
      cli.logger.info(`import: ${message}`);
    }
  };
  const done = () => {
    if (drawn) cli.err('\r\x1b[2K');
  };
  return { update, done };
}

function time(cli: CliContext, name: string): number | undefined {
  const text = cli.string(name);
  if (text === undefined) return undefined;
  const parsed = parseTimestamp(text, 'UTC');
  if (!parsed.ok) throw new UsageError(`--${name}: ${parsed.reason}`);
  return parsed.at;
}

function days(cli: CliContext): number | undefined {
  const text = cli.string('last-days');
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError('--last-days: a number of days');
  return value;
}
