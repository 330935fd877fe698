/**
 * The settings a repository gets without an `.incidents.yml`, and what each setting expects
 * with a short valid example, for the problems the settings reader reports.
 */
import { DURATION_EXPECTED, type Duration, parseDuration } from './duration';
import type { Policy } from './policy';

/** What each setting expects and a short valid example; `*` is any priority name. */
export const HINTS: Record<string, [expected: string, example: string]> = {
  '': ['a mapping of settings', 'timezone: Europe/Berlin'],
  version: ['1', 'version: 1'],
  directory: ['a relative folder inside the repository', 'directory: incidents'],
  timezone: ['an IANA time zone name or UTC', 'timezone: Europe/Berlin'],
  business_hours: ['a mapping of days, start, end', 'business_hours: {start: "09:00"}'],
  'business_hours.days': ['a list of mon, tue, wed, thu, fri, sat, sun', 'days: [mon, tue]'],
  'business_hours.start': ['HH:MM, quoted', 'start: "09:00"'],
  'business_hours.end': ['HH:MM later than start, up to "24:00"', 'end: "17:00"'],
  holidays: ['a list of YYYY-MM-DD dates', 'holidays: [2024-12-25, 2024-12-26]'],
  priorities: ['a mapping of priority names', 'priorities: {P1: {respond: 15m}}'],
  'priorities.*': ['a mapping of name, respond, resolve', 'P2: {respond: 1h, resolve: 24h}'],
  'priorities.*.respond': [DURATION_EXPECTED, 'respond: 15m'],
  'priorities.*.resolve': [DURATION_EXPECTED, 'resolve: 4h'],
  closure: ['a mapping with review_required', 'closure: {review_required: [P1, P2]}'],
  'closure.review_required': ['a list of priority names', 'review_required: [P1, P2]'],
  'closure.review_sections': ['a list of section titles', 'review_sections: [Root cause]'],
  'closure.follow_up_owner_required': ['true or false', 'follow_up_owner_required: true'],
  reviews_directory: ['a relative folder inside the repository', 'reviews_directory: reviews'],
  notifications: [
    'webhook URLs in GIT_INCIDENTS_SLACK_WEBHOOK / GIT_INCIDENTS_TEAMS_WEBHOOK or git config',
    'git config --global incidents.slackWebhook https://hooks.slack.com/…',
  ],
  id_prefix: ['a letter, then letters or digits', 'id_prefix: INC'],
  layout: ['by-month or flat', 'layout: flat'],
};

/** A fresh copy of the default settings (the spec's example `.incidents.yml`). */
export function defaultPolicy(): Policy {
  const duration = (text: string) => (parseDuration(text) as { duration: Duration }).duration;
  return {
    version: 1,
    directory: 'incidents',
    timezone: 'UTC',
    timezoneSet: false,
    businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
    holidays: [],
    priorities: {
      P1: { name: 'Critical', respond: duration('15m'), resolve: duration('4h') },
      P2: { name: 'High', respond: duration('1h'), resolve: duration('24h') },
      P3: { name: 'Medium', respond: duration('1bd'), resolve: duration('5bd') },
      P4: { name: 'Low' },
    },
    closure: { reviewRequired: ['P1', 'P2'], reviewSections: [], followUpOwnerRequired: false },
    idPrefix: 'INC',
    layout: 'by-month',
  };
}

/** Freezes a value and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
