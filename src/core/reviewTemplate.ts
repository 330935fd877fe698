/**
 * The text of a new post-incident review: a header linking back to the record, the sections
 * the closure rules can require, the timeline from history, and the root cause when the
 * record has one. Pure; every value from the record is escaped for markdown. Guidance is in
 * HTML comments: invisible when rendered, and read as "not filled in" by the closure rules.
 */
import { posix } from 'node:path';
import { escapeMarkdown, linkTarget } from './markupText';
import type { Incident } from './record';
import { FOLLOW_UP_EXAMPLE } from './review';
import type { ReviewTimeline } from './reviewTimeline';
import { formatLocal } from './time';

/** What a review scaffold is made from. */
export interface ReviewInput {
  incident: Incident;
  /** The review's path from the repository root. */
  reviewPath: string;
  timeline: ReviewTimeline;
  timezone: string;
  priorityName?: string;
}

const GUIDANCE: [title: string, hint: string][] = [
  ['Summary', 'What happened, in two or three sentences, for someone who was not there.'],
  ['Impact', 'Who and what was affected, how badly and for how long; the numbers if known.'],
];
const AFTER: [title: string, hint: string][] = [
  ['What went well', 'What helped: detection, tooling, people, runbooks.'],
  ['What went badly', 'What slowed the response or made the impact worse. No blame: systems.'],
  ['Lessons learned', 'What the team now knows that it did not know before.'],
];

/** Renders the review scaffold of `input.incident`. */
export function renderReview(input: ReviewInput): string {
  const { incident } = input;
  const lines = [`# Post-incident review: ${escapeMarkdown(incident.title)}`, ''];
  lines.push(...facts(input), '');
  for (const [title, hint] of GUIDANCE) lines.push(`## ${title}`, '', `<!-- ${hint} -->`, '');
  lines.push('## Timeline', '', ...timeline(input), '');
  lines.push('## Root cause', '', ...rootCause(incident), '');
  for (const [title, hint] of AFTER) lines.push(`## ${title}`, '', `<!-- ${hint} -->`, '');
  lines.push(
    '## Follow-up actions',
    '',
    '<!-- One line per action, each with an owner and a due date, for example:',
    `${FOLLOW_UP_EXAMPLE} -->`,
    '',
  );
  return lines.join('\n');
}

/** The link from the review to its record, relative to the review's folder. */
export function recordLink(reviewPath: string, recordFile: string): string {
  const relative = posix.relative(posix.dirname(reviewPath), recordFile);
  return linkTarget(relative);
}

function facts(input: ReviewInput): string[] {
  const { incident } = input;
  const md = escapeMarkdown;
  const name = input.priorityName ? ` (${md(input.priorityName)})` : '';
  const priority = incident.priority ? `${md(incident.priority)}${name}` : 'none';
  const out = [
    `- Record: [${md(incident.id)}](${recordLink(input.reviewPath, incident.file)})`,
    `- Priority: ${priority} · status: ${incident.status}`,
  ];
  const who = [
    incident.services.length > 0 ? `services: ${incident.services.map(md).join(', ')}` : '',
    incident.team ? `team: ${md(incident.team)}` : '',
    incident.assignee ? `assignee: ${md(incident.assignee)}` : '',
    incident.reporter ? `reporter: ${md(incident.reporter)}` : '',
  ].filter(Boolean);
  if (who.length > 0) out.push(`- ${who.join(' · ')}`);
  if (incident.problem) out.push(`- Problem: ${md(incident.problem)}`);
  const resolution = incident.data.resolution;
  if (typeof resolution === 'string' && resolution.trim()) {
    out.push(`- Resolution: ${md(resolution)}`);
  }
  return out;
}

function timeline(input: ReviewInput): string[] {
  const { entries, shallow } = input.timeline;
  const intro = [
    `Times in ${escapeMarkdown(input.timezone)}: the times the record states, and each ` +
      'commit of its history with its author.',
  ];
  if (shallow) {
    intro.push(
      '',
      '> This clone is shallow: steps older than its history are missing ' +
        '(`git fetch --unshallow`, then scaffold again).',
    );
  }
  if (entries.length === 0) return [...intro, '', '<!-- No times or steps found. -->'];
  const rows = entries.map((e) => {
    const commit = e.commit ? ` (${e.commit.slice(0, 7)})` : '';
    const by = e.who ? `${escapeMarkdown(e.who)}${commit}` : e.commit ? commit : 'the record';
    return `| ${formatLocal(e.at, input.timezone)} | ${escapeMarkdown(e.what)} | ${by} |`;
  });
  return [...intro, '', '| time | event | by |', '| --- | --- | --- |', ...rows];
}

function rootCause(incident: Incident): string[] {
  const text = incident.data.root_cause;
  if (typeof text !== 'string' || !text.trim()) {
    return ['<!-- The cause behind the trigger: why the system let this happen. -->'];
  }
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => escapeMarkdown(line));
}
