/**
 * One import: read the whole source (a broken source stops here, before anything is
 * written), open or create the target, plan the events not imported yet, and write them as
 * commits in author-date order through one `git fast-import`. Every record written must pass
 * `readRecord`; an event whose record would not is reported and left out.
 */
import type { Logger } from '../log';
import { zoneForOffsetless } from '../policy';
import { isValidTimeZone } from '../time';
import { readCstate } from './cstate';
import { FastImportWriter } from './fastImport';
import { commitFor, type Planned, planImport } from './importPlan';
import { loadMapping, mappedPriorities, type ImportMapping } from './mapping';
import { readServiceNow } from './servicenow';
import {
  type ImportIssue,
  type ImportKind,
  issueList,
  type ParsedSource,
  type Person,
  type SourceIncident,
  type SourceListener,
} from './source';
import { readStatuspage } from './statuspage';
import { openTarget, refuseUncommitted, settingsText, type Target, updateWorkTree } from './target';

/** What to import, from where, into where. */
export interface ImportOptions {
  kind: ImportKind;
  source: string;
  into: string;
  /** The zone of source times written without one (ServiceNow, some cState dates). */
  timezone?: string;
  mappingFile?: string;
  /** Only incidents that first appear in the source at or after / before these instants. */
  since?: number;
  until?: number;
  /** Only incidents that first appear within this many days of the source's latest one. */
  lastDays?: number;
  logger: Logger;
  /** Called now and then on long imports; the caller decides how often to show it. */
  onProgress?: (message: string) => void;
  /** The import's own clock, for the committer date (tests pin it). */
  now?: () => number;
}

/** What an import did. */
export interface ImportResult {
  root: string;
  branch: string;
  created: boolean;
  /** Source incidents in the window. */
  incidents: number;
  added: number;
  updated: number;
  commits: number;
  units: number;
  issues: ImportIssue[];
  readMs: number;
  writeMs: number;
}

/** Runs one import; throws ImportInputError for a source that cannot be read at all. */
export async function runImport(options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const zone = options.timezone ?? 'UTC';
  if (!isValidTimeZone(zone)) {
    throw new Error(`--timezone ${zone} is not a time zone name (e.g. UTC, Europe/Lisbon)`);
  }
  const mapping = await loadMapping(options.mappingFile);
  const { issues, listener } = issueList((done, what) => options.onProgress?.(`${done} ${what}`));
  const source = await readSource(options, mapping, zone, listener);
  const incidents = inWindow(source.incidents, options);
  const readMs = Date.now() - started;
  // Issues about incidents outside the window are not this import's business.
  const inside = new Set(incidents.map((i) => i.key));
  const outside = new Set(source.incidents.map((i) => i.key).filter((k) => !inside.has(k)));
  const kept = issues.filter((issue) => !issue.key || !outside.has(issue.key));
  issues.splice(0, issues.length, ...kept, ...(source.notes?.(incidents) ?? []));

  const settings = () => settingsText(options.kind, zone, mappedPriorities(mapping, options.kind));
  const target = await openTarget(options.into, settings, options.logger);
  await refuseUncommitted(target);
  const undefinedPriorities = mappedPriorities(mapping, options.kind).filter(
    (p) => !Object.hasOwn(target.policy.priorities, p),
  );
  if (undefinedPriorities.length > 0) {
    throw new Error(
      `the mapping gives priorities ${undefinedPriorities.join(', ')} that ${target.root}/` +
        '.incidents.yml does not define: add them under `priorities`, or map to ones it has',
    );
  }
  const plan = await planImport(target, options.kind, incidents, listener);
  options.logger.debug(`import: ${plan.commits.length} event(s) to replay`);
  const written = await write(target, plan.commits, options, listener);
  return {
    root: target.root,
    branch: target.branch,
    created: target.created,
    incidents: incidents.length,
    added: written.added,
    updated: written.updated,
    commits: written.commits,
    units: source.units,
    issues,
    readMs,
    writeMs: Date.now() - started - readMs,
  };
}

async function readSource(
  options: ImportOptions,
  mapping: ImportMapping,
  zone: string,
  listener: SourceListener,
): Promise<ParsedSource> {
  switch (options.kind) {
    case 'servicenow':
      return readServiceNow(options.source, mapping.servicenow, zone, listener);
    case 'statuspage':
      return readStatuspage(options.source, mapping.statuspage, listener);
    case 'cstate':
      return readCstate(options.source, mapping.cstate, zone, listener, options.logger);
  }
}

function inWindow(incidents: SourceIncident[], options: ImportOptions): SourceIncident[] {
  let since = options.since;
  if (options.lastDays !== undefined && incidents.length > 0) {
    const latest = incidents.reduce((max, i) => Math.max(max, i.firstAt), -Infinity);
    since = Math.max(since ?? -Infinity, latest - options.lastDays * 86_400_000);
  }
  const until = options.until;
  return incidents.filter(
    (i) =>
      (since === undefined || i.firstAt >= since) && (until === undefined || i.firstAt < until),
  );
}

async function write(
  target: Target,
  planned: Planned[],
  options: ImportOptions,
  listener: SourceListener,
) {
  const now = options.now ?? Date.now;
  const committer = await identity(target);
  const stats = { added: 0, updated: 0, commits: 0 };
  if (planned.length === 0 && !target.newSettings) return stats;

  const writer = FastImportWriter.start(target.git, target.branch, target.tip);
  try {
    if (target.newSettings) {
      const message = `Import settings for ${options.kind}\n\nWritten by git-incidents import.\n`;
      const changes = [{ path: '.incidents.yml', content: target.newSettings }];
      const at = now();
      await writer.commit({
        author: committer,
        authorAt: at,
        committer,
        committerAt: at,
        message,
        changes,
      });
    }
    const rendering = { zone: target.policy.timezone, readOptions: readOptionsOf(target) };
    for (const [index, item] of planned.entries()) {
      const commit = commitFor(item, options.kind, rendering, listener);
      if (!commit) continue;
      await writer.commit({ ...commit, committer, committerAt: now() });
      if (commit.isNew) stats.added++;
      else if (commit.firstUpdate) stats.updated++;
      if ((index + 1) % 10_000 === 0) options.onProgress?.(`${index + 1}/${planned.length} events`);
    }
    stats.commits = writer.count;
    await writer.finish();
  } catch (error) {
    writer.abort();
    throw error;
  }
  if (writer.count > 0) {
    const tip = await target.git.run(['rev-parse', `refs/heads/${target.branch}`], { read: true });
    await updateWorkTree(target, tip.stdout.trim()).catch((error) => {
      throw new Error(
        `the commits are on ${target.branch}, but the working tree was not updated ` +
          `(${(error as Error).message.split('\n')[0]}): run \`git status\` and ` +
          '`git restore --staged --worktree .` in the repository',
      );
    });
  }
  return stats;
}

function readOptionsOf(target: Target) {
  return {
    timezone: zoneForOffsetless(target.policy),
    priorities: Object.keys(target.policy.priorities),
  };
}

/** The person running the import: the committer of every commit it makes. */
async function identity(target: Target): Promise<Person> {
  const ident = await target.git.run(['var', 'GIT_COMMITTER_IDENT'], { read: true });
  const match = ident.stdout.trim().match(/^(.*?) <([^>]*)>/);
  return { name: match?.[1] ?? 'git-incidents', email: match?.[2] ?? '' };
}
