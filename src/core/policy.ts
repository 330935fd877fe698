/**
 * The repository settings in `.incidents.yml`. Every setting is optional; a bad value is
 * reported as a Problem and replaced by its default, so one typo never stops a scan.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BusinessCalendar, parseClockTime } from './calendar';
import { type Duration, parseDuration } from './duration';
import { deepFreeze, defaultPolicy, HINTS } from './policyDefaults';
import type { Problem } from './problem';
import { isValidTimeZone, parseDate } from './time';
import { parseYaml, type TopLevelEntry } from './yamlText';

/** SLA targets of one priority; an absent target is reported as "no target". */
export interface PriorityPolicy {
  name?: string;
  respond?: Duration;
  resolve?: Duration;
}

/** The repository settings, with every default filled in. */
export interface Policy {
  version: number;
  /** Records folder relative to the repository root, forward slashes, no trailing slash. */
  directory: string;
  timezone: string;
  /**
   * True only when `.incidents.yml` names a valid `timezone`. Offset-less timestamps are
   * read in `timezone` only then; otherwise they are refused (see `zoneForOffsetless`).
   */
  timezoneSet: boolean;
  businessHours: { days: number[]; start: string; end: string };
  /** `YYYY-MM-DD` dates in `timezone`. */
  holidays: string[];
  priorities: Record<string, PriorityPolicy>;
  /** What `close` requires; see closure.ts. */
  closure: {
    /** Priorities needing a post-incident review before close. */
    reviewRequired: string[];
    /** Review sections that must be filled (not empty, not a placeholder). */
    reviewSections: string[];
    /** Every follow-up action of a review names an owner. */
    followUpOwnerRequired: boolean;
  };
  /** Folder for new reviews, relative to the root; unset: `reviews` beside the records. */
  reviewsDirectory?: string;
  idPrefix: string;
  /** `by-month`: new records go to `<directory>/YYYY/MM/<id>.md`; `flat`: `<directory>/`. */
  layout: 'by-month' | 'flat';
}

/** The settings file's name, at the repository root. */
export const POLICY_FILE = '.incidents.yml';

/** The settings of the spec's example `.incidents.yml`; frozen, copy before changing. */
export const DEFAULT_POLICY: Policy = deepFreeze(defaultPolicy());

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

type Extra = Partial<Pick<Problem, 'severity' | 'expected' | 'example'>> & { near?: string };
type Report = (field: string, message: string, extra?: Extra) => void;
type Reader = (value: unknown, policy: Policy, report: Report) => void;

/** Reads `.incidents.yml` text into settings, defaults for what is missing or invalid. */
export function parsePolicy(
  text: string,
  file = POLICY_FILE,
): { policy: Policy; problems: Problem[] } {
  const policy = defaultPolicy();
  const source = text.replace(/^\uFEFF/, '');
  const parsed = parseYaml(source);
  const [issue] = parsed.issues;
  if (issue) {
    const message = `not valid YAML: ${issue.message}; the default settings are used`;
    const problem = { severity: 'error' as const, file, line: issue.line, column: issue.column };
    return { policy, problems: [{ ...problem, message, example: HINTS.timezone[1] }] };
  }

  const problems: Problem[] = [];
  const report: Report = (field, message, { near, ...extra } = {}) => {
    const [expected, example] = hint(field) ?? [];
    const line = field ? lineOf(source, parsed.entries, field, near) : 1;
    const where = { file, line, field: field || undefined };
    problems.push({ severity: 'error', ...where, message, expected, example, ...extra });
  };
  if (parsed.data === null || parsed.data === undefined) return { policy, problems };
  if (!isRecord(parsed.data)) {
    report('', `settings must be a mapping, not ${show(parsed.data)}; the defaults are used`);
    return { policy, problems };
  }

  for (const [key, value] of Object.entries(parsed.data)) {
    const read = READERS[key];
    if (read && value !== null) read(value, policy, report);
    if (!read) warnUnknown(key, `one of ${Object.keys(READERS).join(', ')}`, report);
  }
  // Only a written list is checked: the default [P1, P2] is harmless under other names.
  if (parsed.data.closure != null) checkReviewPriorities(policy, report);
  return { policy, problems };
}

/** Reads `<repoRoot>/.incidents.yml`; no file means the defaults and no problems. */
export function loadPolicy(repoRoot: string): { policy: Policy; problems: Problem[] } {
  let text: string;
  try {
    text = readFileSync(join(repoRoot, POLICY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { policy: defaultPolicy(), problems: [] };
    }
    const message = `cannot read: ${(error as Error).message}; the default settings are used`;
    const problem: Problem = { severity: 'error', file: POLICY_FILE, message };
    return { policy: defaultPolicy(), problems: [problem] };
  }
  return parsePolicy(text);
}

/** The business calendar of the settings' hours, days, holidays and zone. */
export function calendarFor(policy: Policy): BusinessCalendar {
  const { timezone: zone, holidays } = policy;
  return new BusinessCalendar({ zone, ...policy.businessHours, holidays });
}

/** The zone to read offset-less timestamps in, or undefined to refuse them. */
export function zoneForOffsetless(policy: Policy): string | undefined {
  return policy.timezoneSet ? policy.timezone : undefined;
}

const READERS: Record<string, Reader> = {
  version(value, _policy, report) {
    if (value !== 1) report('version', `version ${show(value)} is not supported; 1 is used`);
  },
  directory(value, policy, report) {
    const dir = typeof value === 'string' ? value.trim().replace(/\\/g, '/') : '';
    const inside = dir !== '' && !/^([A-Za-z]:)?\//.test(dir) && !dir.split('/').includes('..');
    if (inside) policy.directory = dir.replace(/\/+$/, '') || '.';
    else report('directory', `${show(value)} is outside the repository; incidents is used`);
  },
  timezone(value, policy, report) {
    if (typeof value === 'string' && isValidTimeZone(value)) {
      policy.timezone = value;
      policy.timezoneSet = true;
      return;
    }
    const effect = 'UTC is used for business hours and offset-less timestamps are refused';
    report('timezone', `unknown time zone ${show(value)}; ${effect}`);
  },
  business_hours(value, policy, report) {
    if (!isMapping(value, 'business_hours', report)) return;
    const hours = policy.businessHours;
    warnExtra(value, ['days', 'start', 'end'], 'business_hours', report);
    if (value.days != null) hours.days = readDays(value.days, hours.days, report);

    const start = readClock(value.start, 'start', hours.start, report);
    const end = readClock(value.end, 'end', hours.end, report);
    const reversed = `${start}–${end} ends before it starts; 09:00–17:00 is used`;
    if (start !== '24:00' && end > start) Object.assign(hours, { start, end });
    else report('business_hours.end', reversed);
  },
  holidays(value, policy, report) {
    if (!Array.isArray(value)) return report('holidays', `${show(value)} is not a list`);
    for (const item of value) {
      if (typeof item === 'string' && parseDate(item)) policy.holidays.push(item);
      else report('holidays', `${show(item)} is not a date; skipped`, { near: String(item) });
    }
    policy.holidays = [...new Set(policy.holidays)];
  },
  priorities(value, policy, report) {
    if (!isMapping(value, 'priorities', report)) return;
    policy.priorities = {};
    for (const [name, spec] of Object.entries(value)) {
      policy.priorities[name] = readPriority(name, spec, report);
    }
  },
  closure(value, policy, report) {
    if (!isMapping(value, 'closure', report)) return;
    const known = ['review_required', 'review_sections', 'follow_up_owner_required'];
    warnExtra(value, known, 'closure', report);
    const list = value.review_required ?? [];
    if (isTextList(list)) policy.closure.reviewRequired = list;
    else report('closure.review_required', `${show(list)} is not a list of priorities`);
    const sections = value.review_sections ?? [];
    if (isTextList(sections)) policy.closure.reviewSections = sections.map((s) => s.trim());
    else report('closure.review_sections', `${show(sections)} is not a list of section titles`);
    const owner = value.follow_up_owner_required ?? false;
    if (typeof owner === 'boolean') policy.closure.followUpOwnerRequired = owner;
    else report('closure.follow_up_owner_required', `${show(owner)} is not true or false`);
  },
  reviews_directory(value, policy, report) {
    const dir = typeof value === 'string' ? value.trim().replace(/\\/g, '/') : '';
    const inside = dir !== '' && !/^([A-Za-z]:)?\//.test(dir) && !dir.split('/').includes('..');
    if (inside) policy.reviewsDirectory = dir.replace(/\/+$/, '') || '.';
    else report('reviews_directory', `${show(value)} is outside the repository; not used`);
  },
  // A committed file is read by everyone with access to the repository, and its history
  // keeps a secret forever: webhook URLs are credentials, so they never come from here.
  notifications: refuseWebhooks('notifications'),
  webhooks: refuseWebhooks('webhooks'),
  slack_webhook: refuseWebhooks('slack_webhook'),
  teams_webhook: refuseWebhooks('teams_webhook'),
  id_prefix(value, policy, report) {
    if (typeof value === 'string' && /^[A-Za-z][A-Za-z0-9]{0,15}$/.test(value)) {
      policy.idPrefix = value;
    } else report('id_prefix', `${show(value)} cannot start an id; INC is used`);
  },
  layout(value, policy, report) {
    if (value === 'by-month' || value === 'flat') policy.layout = value;
    else report('layout', `unknown layout ${show(value)}; by-month is used`);
  },
};

function refuseWebhooks(key: string): Reader {
  return (_value, _policy, report) =>
    report(
      key,
      `\`${key}\` is not read from .incidents.yml: a webhook URL is a secret, and a ` +
        'committed file would publish it to everyone who can read the repository (and keep ' +
        'it in history); remove it, revoke the webhook, and set GIT_INCIDENTS_SLACK_WEBHOOK ' +
        'or GIT_INCIDENTS_TEAMS_WEBHOOK, or `git config --global incidents.slackWebhook URL`',
      { expected: HINTS.notifications[0], example: HINTS.notifications[1] },
    );
}

/**
 * A priority's targets. A written priority keeps only the targets it names; a bad target
 * falls back to the default priority of that name (P1–P4), or to no target.
 */
function readPriority(name: string, spec: unknown, report: Report): PriorityPolicy {
  const defaults = Object.hasOwn(DEFAULT_POLICY.priorities, name) ? DEFAULT_POLICY.priorities : {};
  const fallback: PriorityPolicy = structuredClone(defaults[name] ?? {});
  const field = `priorities.${name}`;
  if (spec === null) return {};
  if (!isMapping(spec, field, report)) return fallback;

  const result: PriorityPolicy = {};
  warnExtra(spec, ['name', 'respond', 'resolve'], field, report);
  if (typeof spec.name === 'string') result.name = spec.name;
  for (const key of ['respond', 'resolve'] as const) {
    const duration = readDuration(spec[key], `${field}.${key}`, fallback[key], report);
    if (duration) result[key] = duration;
  }
  return result;
}

function readDuration(
  value: unknown,
  field: string,
  fallback: Duration | undefined,
  report: Report,
): Duration | undefined {
  if (value === undefined || value === null) return undefined;

  const parsed = typeof value === 'string' ? parseDuration(value) : undefined;
  if (parsed?.ok) return parsed.duration;
  const instead = fallback ? `${fallback.text} is used` : 'no target';
  if (typeof value !== 'number') report(field, `${show(value)} is not a duration; ${instead}`);
  else {
    const example = `${field.split('.').pop()}: ${value}m`;
    report(field, `${value} has no unit; ${instead}`, { example });
  }
  return fallback;
}

function readDays(value: unknown, fallback: number[], report: Report): number[] {
  const list = Array.isArray(value) ? value : [value];
  const days = list.map((item) => {
    const name = typeof item === 'string' ? item.trim().toLowerCase() : '';
    return name.length >= 3 ? DAY_NAMES.findIndex((day) => day.startsWith(name)) : -1;
  });
  if (days.length > 0 && !days.includes(-1)) return [...new Set(days)].sort((a, b) => a - b);

  const bad = list.find((_item, i) => days[i] === -1);
  const near = bad === undefined ? undefined : String(bad);
  report('business_hours.days', `${show(value)} are not day names; Mon–Fri is used`, { near });
  return fallback;
}

function readClock(value: unknown, key: string, fallback: string, report: Report): string {
  if (value === undefined || value === null) return fallback;

  const text = typeof value === 'string' ? value.trim().replace(/^(\d):/, '0$1:') : '';
  if (parseClockTime(text) !== undefined) return text;
  report(`business_hours.${key}`, `${show(value)} is not a time of day; ${fallback} is used`);
  return fallback;
}

function checkReviewPriorities(policy: Policy, report: Report): void {
  const names = Object.keys(policy.priorities);
  for (const name of policy.closure.reviewRequired) {
    if (names.includes(name)) continue;
    report('closure.review_required', `${name} is not one of the priorities`, {
      severity: 'warning',
      near: name,
      expected: `names from ${names.join(', ')}`,
    });
  }
}

function isMapping(
  value: unknown,
  field: string,
  report: Report,
): value is Record<string, unknown> {
  if (isRecord(value)) return true;
  report(field, `${show(value)} is not a mapping; the default is used`);
  return false;
}

function warnExtra(value: object, known: string[], field: string, report: Report): void {
  const extra = Object.keys(value).filter((key) => !known.includes(key));
  for (const key of extra) warnUnknown(`${field}.${key}`, `one of ${known.join(', ')}`, report);
}

function warnUnknown(field: string, expected: string, report: Report): void {
  const key = field.split('.').pop();
  const example = (hint(field.split('.').slice(0, -1).join('.')) ?? HINTS.timezone)[1];
  report(field, `unknown setting \`${key}\` is ignored`, {
    severity: 'warning',
    expected,
    example,
  });
}

function hint(field: string): [expected: string, example: string] | undefined {
  return HINTS[field.replace(/^priorities\.[^.]+/, 'priorities.*')];
}

/**
 * The line of a field, best effort: the top-level key's line from the parser, then each
 * nested key (and `near`, a list item) searched for textually inside that entry.
 */
function lineOf(
  text: string,
  entries: Map<string, TopLevelEntry>,
  field: string,
  near?: string,
): number | undefined {
  const [top, ...rest] = field.split('.');
  const entry = entries.get(top);
  if (!entry) return undefined;

  let pos = entry.keyStart;
  const needles = rest.map((key) => new RegExp(`(^|[\\s{,])${escapeRegExp(key)}\\s*:`));
  if (near) needles.push(new RegExp(`(^|[\\s\\[,-])["']?${escapeRegExp(near)}`));
  for (const needle of needles) {
    const found = needle.exec(text.slice(pos, entry.nodeEnd));
    if (found) pos += found.index + found[1].length;
  }
  return text.slice(0, pos).split('\n').length;
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
