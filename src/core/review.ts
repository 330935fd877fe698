/**
 * Reading a post-incident review's markdown: its sections by heading, whether each is filled
 * in or still a placeholder, and its follow-up actions with their owners. Pure text work;
 * lines are 1-based and counted from `firstLine`, so a review inside a record's body reports
 * lines of the record file.
 */

/** One `## Heading` section of a review and the lines under it. */
export interface ReviewSection {
  title: string;
  /** Line of the heading. */
  line: number;
  level: number;
  lines: { line: number; text: string }[];
}

/** One follow-up action: a list item of the follow-up section. */
export interface FollowUp {
  line: number;
  text: string;
  done: boolean;
  owner?: string;
  due?: string;
}

/** The section titles a review scaffold has, in order. */
export const REVIEW_SECTIONS = [
  'Summary',
  'Impact',
  'Timeline',
  'Root cause',
  'What went well',
  'What went badly',
  'Lessons learned',
  'Follow-up actions',
] as const;

/** The follow-up line format the scaffold shows and the owner rule expects. */
export const FOLLOW_UP_EXAMPLE = '- [ ] action — owner: @who — due: YYYY-MM-DD';

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(```|~~~)/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[([ xX])\][ \t]+)?(.*)$/;
// What a scaffold or a hurried author leaves behind instead of content.
const PLACEHOLDERS = new Set([
  ...['todo', 'tbd', 'tbc', 'fixme', 'xxx', '...', '…', '-', '*', '+', '[]', '[ ]', '_', '__'],
  FOLLOW_UP_EXAMPLE.slice('- [ ] '.length).toLowerCase(),
]);
const FOLLOW_UP_TITLES = ['follow-up actions', 'follow-ups', 'follow up actions', 'action items'];

/** Splits markdown into sections at its headings (outside code fences). */
export function reviewSections(text: string, firstLine = 1): ReviewSection[] {
  const sections: ReviewSection[] = [];
  let fence: string | undefined;
  let current: ReviewSection | undefined;
  const lines = stripComments(text).split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = firstLine + index;
    const fenceMark = raw.match(FENCE)?.[1];
    if (fenceMark && (fence === undefined || fence === fenceMark)) {
      fence = fence === undefined ? fenceMark : undefined;
    }
    const heading = fence === undefined && !fenceMark ? raw.match(HEADING) : null;
    if (heading) {
      current = { title: heading[2].trim(), line, level: heading[1].length, lines: [] };
      sections.push(current);
      return;
    }
    current?.lines.push({ line, text: raw });
  });
  return sections;
}

/** The section with this title (case, spacing and a trailing colon ignored). */
export function findSection(sections: ReviewSection[], title: string): ReviewSection | undefined {
  const want = normalTitle(title);
  return sections.find((section) => normalTitle(section.title) === want);
}

/** The lines of a section up to the next heading at its level or above (subsections kept). */
export function sectionBody(sections: ReviewSection[], section: ReviewSection): string[] {
  const out = section.lines.map((l) => l.text);
  for (const next of sections.slice(sections.indexOf(section) + 1)) {
    if (next.level <= section.level) break;
    out.push(next.title, ...next.lines.map((l) => l.text));
  }
  return out;
}

/** True when a section holds something beyond blank lines, comments and placeholders. */
export function isFilled(sections: ReviewSection[], section: ReviewSection): boolean {
  return sectionBody(sections, section).some((text) => !isPlaceholder(text));
}

/** True for a line that carries no content: blank, or a placeholder such as `TBD`. */
export function isPlaceholder(text: string): boolean {
  const bare = text
    .trim()
    .replace(/^(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]*)?/, '')
    .trim();
  const lower = bare.toLowerCase();
  return bare === '' || PLACEHOLDERS.has(lower) || PLACEHOLDERS.has(lower.replace(/[.:!]$/, ''));
}

/** The follow-up actions of a review: the list items of its follow-up section. */
export function followUps(sections: ReviewSection[]): FollowUp[] {
  const section = FOLLOW_UP_TITLES.map((t) => findSection(sections, t)).find(Boolean);
  if (!section) return [];
  const items: FollowUp[] = [];
  for (const { line, text } of section.lines) {
    const match = text.match(LIST_ITEM);
    if (!match || isPlaceholder(text)) continue;
    const body = match[2].trim();
    items.push({ line, text: body, done: /x/i.test(match[1] ?? ''), ...ownerAndDue(body) });
  }
  return items;
}

/** The owner (`owner: @sam`, or any `@mention`) and due date of a follow-up line. */
export function ownerAndDue(text: string): { owner?: string; due?: string } {
  const named = text.match(/\bowner:\s*@?([^\s—–,;|]+)/i)?.[1];
  const mention = text.match(/(?:^|[\s(])@([A-Za-z0-9][\w.-]*)/)?.[1];
  const owner = [named, mention].find((o) => o !== undefined && !/^(who|owner|tbd|\?+)$/i.test(o));
  const due = text.match(/\bdue:\s*(\d{4}-\d{2}-\d{2})\b/i)?.[1];
  return { ...(owner ? { owner } : {}), ...(due ? { due } : {}) };
}

/** HTML comments become blank lines of the same count, so line numbers stay right. */
function stripComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, (comment) => comment.replace(/[^\n]/g, ''));
}

function normalTitle(title: string): string {
  return title.trim().replace(/:$/, '').replace(/\s+/g, ' ').toLowerCase();
}
