/**
 * The cState importer: a status site's git repository, whose `content/issues/*.md` files
 * are replayed version by version. Each version becomes the record as it then stood, by the
 * version's own author at its author date. The input is hand-written, so every oddity (a
 * date without a zone, a malformed date, invalid YAML, a deleted file) is reported once per
 * file with its commit, and repaired where the intent is clear.
 */
import { splitFrontMatter } from '../frontMatter';
import type { Logger } from '../log';
import type { Status } from '../record';
import { parseTimestamp } from '../time';
import { parseYaml } from '../yamlText';
import { type FileVersion, readSiteHistory } from './cstateHistory';
import type { ImportMapping } from './mapping';
import { templateBody } from './recordText';
import type {
  ImportEvent,
  ImportIssue,
  ParsedSource,
  RecordState,
  SourceIncident,
  SourceListener,
} from './source';

/** Where cState keeps its incidents. */
export const ISSUES_DIR = 'content/issues';
const ANNOUNCED_MS = 15 * 60_000;

/** Reads a cState site repository at `repoPath` into source incidents. */
export async function readCstate(
  repoPath: string,
  mapping: ImportMapping['cstate'],
  zone: string,
  listener: SourceListener,
  logger: Logger,
): Promise<ParsedSource> {
  const history = await readSiteHistory(repoPath, ISSUES_DIR, logger);
  if (history.merges > 0) {
    const own = history.mergeVersions;
    listener.issue({
      where: repoPath,
      reason:
        `${history.merges} merge commit(s): issue files are replayed from the commits that ` +
        `made each version${own > 0 ? `; ${own} version(s) made by a merge itself` : ''}`,
      action: own > 0 ? 'imported' : 'skipped',
    });
  }
  const byKey = new Map<string, FileVersion[]>();
  for (const version of history.versions) {
    const list = byKey.get(version.key);
    if (list) list.push(version);
    else byKey.set(version.key, [version]);
  }
  const ids = new Set<string>();
  const incidents: SourceIncident[] = [];
  for (const [key, versions] of byKey) {
    const id = uniqueId(key, ids);
    const incident = new FileReplay(key, id, mapping, zone, listener).run(versions);
    if (incident) incidents.push(incident);
  }
  return { kind: 'cstate', incidents, issues: [], units: history.versions.length };
}

/** Replays one file's versions, remembering what was reported so each oddity shows once. */
class FileReplay {
  private readonly reported = new Set<string>();
  private state: RecordState | undefined;
  private announced = false;

  constructor(
    private readonly key: string,
    private readonly id: string,
    private readonly mapping: ImportMapping['cstate'],
    private readonly zone: string,
    private readonly listener: SourceListener,
  ) {}

  run(versions: FileVersion[]): SourceIncident | undefined {
    const events: ImportEvent[] = [];
    for (const version of versions) {
      const { commit } = version;
      const author = { name: commit.author, email: commit.email };
      const origin = `commit ${commit.hash.slice(0, 10)} ${version.path}`;
      let at = commit.at;
      const previous = events[events.length - 1];
      if (previous && at < previous.at) {
        this.report(
          origin,
          'authored before the version it follows; dated as that one',
          'repaired',
        );
        at = previous.at;
      }
      if (version.deleted) {
        if (!this.state) continue;
        this.report(origin, 'the file was deleted: the record is deleted too', 'imported');
        this.state = undefined;
        events.push({ at, author, state: null, origin });
        continue;
      }
      const state = this.read(version, origin, at);
      if (!state) continue;
      this.state = state;
      events.push({ at, author, state, origin });
    }
    if (events.length === 0) return undefined;
    return { key: this.key, id: this.id, firstAt: events[0].at, events };
  }

  private read(version: FileVersion, origin: string, at: number): RecordState | undefined {
    const cut = splitFrontMatter(version.text ?? '', version.path);
    if (!cut.ok) return this.skip(origin, cut.problem.message);
    const parsed = parseYaml(cut.split.yaml);
    const [issue] = parsed.issues;
    if (issue) return this.skip(origin, `invalid YAML on line ${issue.line + 1}: ${issue.message}`);
    const data = (parsed.data ?? {}) as Record<string, unknown>;

    const severity = String(data.severity ?? '');
    const priority = this.mapping.priority[severity] ?? this.state?.priority;
    if (!this.mapping.priority[severity]) {
      const instead = priority ? `${priority} is kept` : 'no priority';
      this.report(origin, `severity "${severity}" is not in the mapping; ${instead}`, 'repaired');
    }
    const detected = this.time(data.date, 'date', origin) ?? this.state?.times.detected_at ?? at;
    const resolved = data.resolved === true || data.resolved === 'true';
    // Announced in advance: the window has not begun when the version is written. A few
    // minutes ahead is a rounded `date`, not an announcement.
    const ahead = detected - at > ANNOUNCED_MS && !resolved;
    if (ahead && !this.announced) {
      const lead = leadTime(detected - at);
      const reason = `announced ${lead} before it starts: logged until it is resolved`;
      this.report(origin, reason, 'imported');
    }
    this.announced ||= ahead;
    const status: Status = resolved ? 'resolved' : ahead ? 'logged' : 'investigating';
    const times: RecordState['times'] = { detected_at: detected };
    const when = resolved ? this.time(data.resolvedWhen, 'resolvedWhen', origin) : undefined;
    if (when !== undefined && when < detected) {
      const reason = 'resolvedWhen is before date: left out, the resolving commit dates it';
      this.report(origin, reason, 'repaired');
    } else if (when !== undefined) times.resolved_at = when;

    const title = typeof data.title === 'string' ? data.title : undefined;
    const file = version.path.split('/').pop() ?? version.path;
    if (!title) this.report(origin, 'has no title: the file name is used', 'repaired');
    const maintenance = this.announced || /maint/i.test(`${title ?? ''} ${file}`);
    return {
      title: title ?? file.replace(/\.md$/, ''),
      status,
      priority,
      category: maintenance ? 'maintenance' : undefined,
      services: services(data.affected),
      times,
      body: templateBody({ Summary: cut.split.body }),
    };
  }

  /** Reads a cState time, repairing zero-padding slips; undefined when it cannot. */
  private time(value: unknown, field: string, origin: string): number | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    const text = String(value).trim();
    const direct = parseTimestamp(text, this.zone);
    if (direct.ok) {
      if (direct.offsetless) {
        this.report(origin, `${field} "${text}" has no zone: read in ${this.zone}`, 'repaired');
      }
      return direct.at;
    }
    const fixed = repairTime(text);
    const again = fixed ? parseTimestamp(fixed, this.zone) : undefined;
    if (fixed && again?.ok) {
      this.report(origin, `${field} "${text}" is read as ${fixed}`, 'repaired');
      return again.at;
    }
    const instead = field === 'date' ? 'the previous version or the commit dates it' : 'left out';
    this.report(origin, `${field} "${text}" is not a date: ${instead}`, 'repaired');
    return undefined;
  }

  private skip(origin: string, reason: string): undefined {
    this.report(origin, `${reason}; this version is skipped`, 'skipped');
    return undefined;
  }

  /** Reports an oddity once per file and reason (the commit of its first appearance). */
  private report(where: string, reason: string, action: ImportIssue['action']): void {
    if (this.reported.has(reason)) return;
    this.reported.add(reason);
    this.listener.issue({ where, key: this.key, reason, action });
  }
}

/**
 * Repairs slips whose intent is clear: `2023-08-1T9:00:00` → `2023-08-01T09:00:00`, a
 * three-digit hour `011` → `11`, a trailing ` UTC` → `Z`. Undefined when it is not one.
 */
export function repairTime(text: string): string | undefined {
  const match = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,3}):(\d{1,2})(:\d{1,2})?(.*)$/);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, rest] = match;
  const two = (part: string) => String(Number(part)).padStart(2, '0');
  const seconds = s ? `:${two(s.slice(1))}` : ':00';
  const zone = /^(UTC|GMT)$/i.test(rest.trim()) ? 'Z' : rest.trim();
  return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}${seconds}${zone}`;
}

function leadTime(ms: number): string {
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  const hours = Math.round(ms / 3_600_000);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

function services(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return [...new Set(list.map((item) => String(item).trim()).filter(Boolean))];
}

function uniqueId(key: string, taken: Set<string>): string {
  const stem = (key.split('/').pop() ?? key).replace(/\.md$/, '');
  const base = `CS-${stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-+$/, '')}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}
