/**
 * The closure rules of `.incidents.yml`: which priorities need a post-incident review before
 * `close`, which of its sections must be filled, and whether every follow-up names an owner.
 * Pure: the caller reads the review (see closureCheck.ts) and hands its text in, so `close`
 * and `lint` judge the same text the same way.
 */
import type { Policy } from './policy';
import type { Incident } from './record';
import { FOLLOW_UP_EXAMPLE, findSection, followUps, isFilled, reviewSections } from './review';

/** The closure settings. */
export type ClosureRules = Policy['closure'];

/** Where a record's review is, as the caller found it. */
export type ReviewSource =
  /** Neither a `postmortem` link nor a review section in the body. */
  | { kind: 'none' }
  /** A link to elsewhere: its text cannot be checked. */
  | { kind: 'url'; url: string }
  /** The record's own body holds the review; `firstLine` is the body's first file line. */
  | { kind: 'body'; file: string; text: string; firstLine: number }
  /** A file of the repository; `text` is set when `state` is `ok` or `uncommitted`. */
  | {
      kind: 'file';
      path: string;
      state: 'ok' | 'missing' | 'outside' | 'uncommitted';
      text?: string;
    };

/** What `close` is judged on: the rules and the review read for one `postmortem` value. */
export interface ClosureReview {
  rules: ClosureRules;
  source: ReviewSource;
  /** The `postmortem` value the source was read for (undefined: none was set). */
  postmortem?: string;
}

/** One rule a record does not meet, where it is not met. */
export interface ClosureViolation {
  file: string;
  line?: number;
  field?: string;
  message: string;
  expected?: string;
  /** Worth a warning, not a refusal: no content rule needs what is missing. */
  advisory?: boolean;
}

/** Everything a record's review lacks under the rules; empty when it may be closed. */
export function closureViolations(
  incident: Pick<Incident, 'id' | 'file' | 'priority' | 'postmortem'>,
  review: ClosureReview,
  postmortem = incident.postmortem,
): ClosureViolation[] {
  const { rules, source } = review;
  if (!incident.priority || !rules.reviewRequired.includes(incident.priority)) return [];
  if (review.postmortem !== postmortem) {
    const message = 'the record changed while its review was being read; run the command again';
    return [{ file: incident.file, field: 'postmortem', message }];
  }
  switch (source.kind) {
    case 'none':
      return [
        {
          file: incident.file,
          field: 'priority',
          message:
            `a ${incident.priority} record needs a post-incident review ` +
            `(\`git incidents postmortem ${incident.id}\` scaffolds one)`,
          expected: 'a `postmortem:` link or a "## Post-incident review" section',
        },
      ];
    case 'url':
      // Limitation: a review at a URL is not read — fetching from any host a record names
      // would turn `close` and `lint` into a request to wherever that is.
      return [];
    case 'body':
      return contentViolations(source.file, source.text, source.firstLine, rules);
    case 'file':
      return fileViolations(incident.file, source, rules);
  }
}

function fileViolations(
  record: string,
  source: Extract<ReviewSource, { kind: 'file' }>,
  rules: ClosureRules,
): ClosureViolation[] {
  if (source.state === 'missing' || source.state === 'outside') {
    const why = source.state === 'missing' ? 'which does not exist' : 'outside the repository';
    // Without section or owner rules a link is all `review_required` asks for.
    const advisory = rules.reviewSections.length === 0 && !rules.followUpOwnerRequired;
    return [
      {
        file: record,
        field: 'postmortem',
        message: `the review link points to ${source.path}, ${why}`,
        expected: 'a path in the repository (from its root) or a URL',
        ...(advisory ? { advisory } : {}),
      },
    ];
  }
  const found = contentViolations(source.path, source.text ?? '', 1, rules);
  if (source.state === 'uncommitted') {
    found.unshift({
      file: source.path,
      message: 'the review has uncommitted changes: commit it before closing',
    });
  }
  return found;
}

/** The section and follow-up rules applied to a review's text. */
export function contentViolations(
  file: string,
  text: string,
  firstLine: number,
  rules: ClosureRules,
): ClosureViolation[] {
  const sections = reviewSections(text, firstLine);
  const found: ClosureViolation[] = [];
  for (const title of rules.reviewSections) {
    const section = findSection(sections, title);
    if (!section) {
      const message = `the review has no "${title}" section`;
      found.push({ file, line: firstLine, message, expected: `a "## ${title}" section` });
    } else if (!isFilled(sections, section)) {
      found.push({
        file,
        line: section.line,
        message: `"${section.title}" is empty or a placeholder`,
        expected: /follow|action/i.test(title)
          ? FOLLOW_UP_EXAMPLE
          : 'what the team found, in words',
      });
    }
  }
  if (!rules.followUpOwnerRequired) return found;
  for (const item of followUps(sections)) {
    if (item.owner) continue;
    found.push({
      file,
      line: item.line,
      message: `follow-up "${clip(item.text)}" has no owner`,
      expected: FOLLOW_UP_EXAMPLE,
    });
  }
  return found;
}

/** The message `close` refuses with: each violation on its own line, with its place. */
export function describeViolations(
  incident: Pick<Incident, 'id' | 'priority'>,
  violations: ClosureViolation[],
): string {
  const lines = violations.map((v) => `  ${v.file}${v.line ? `:${v.line}` : ''}: ${v.message}`);
  return (
    `${incident.id} cannot be closed: the closure rules for ${incident.priority} are not ` +
    `met (closure in .incidents.yml):\n${lines.join('\n')}`
  );
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
