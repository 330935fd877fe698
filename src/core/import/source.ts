/**
 * What every importer hands to the import run: each source incident as a list of events,
 * each event the whole record as it stood after that moment in the source. Whole states
 * rather than diffs, so a re-run can render any event again and compare it with the file.
 */
import type { Status, TimeField } from '../record';

/** Someone git can name as a commit's author. */
export interface Person {
  name: string;
  email: string;
}

/** A record's fields and body at one moment; times are instants (epoch ms). */
export interface RecordState {
  title: string;
  status: Status;
  priority?: string;
  impact?: string;
  urgency?: string;
  category?: string;
  services: string[];
  reporter?: string;
  assignee?: string;
  team?: string;
  problem?: string;
  times: Partial<Record<TimeField, number>>;
  body: string;
}

/** One moment in a source incident's life; `state: null` deletes the record. */
export interface ImportEvent {
  at: number;
  author: Person;
  state: RecordState | null;
  /** Where in the source this came from, for messages: `line 1234`, `commit 1a2b3c4d …`. */
  origin: string;
}

/** One incident of a source, with its events oldest first. */
export interface SourceIncident {
  /** Stable across runs: the source's own key (ticket number, incident id, first path). */
  key: string;
  /** The record id written to the front matter. */
  id: string;
  /** Decides the record's folder (`YYYY/MM`), so it must not change between runs. */
  firstAt: number;
  events: ImportEvent[];
}

/** Something in the source that was skipped, repaired, or is worth knowing. */
export interface ImportIssue {
  where: string;
  /** The source key of the incident it concerns, when there is one. */
  key?: string;
  reason: string;
  action: 'skipped' | 'repaired' | 'imported';
}

/** What an importer read from its source. */
export interface ParsedSource {
  kind: ImportKind;
  incidents: SourceIncident[];
  issues: ImportIssue[];
  /** Rows, lines or versions read, for the summary. */
  units: number;
  /** Notes about the incidents actually imported (e.g. how many are back-filled). */
  notes?: (incidents: SourceIncident[]) => ImportIssue[];
}

export const IMPORT_KINDS = ['servicenow', 'statuspage', 'cstate'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * A source that cannot be imported at all (truncated, wrong encoding, a line too long to be
 * data). Thrown before anything is written, so the target repository is left as it was.
 */
export class ImportInputError extends Error {
  constructor(
    readonly where: string,
    reason: string,
  ) {
    super(`${where}: ${reason}`);
    this.name = 'ImportInputError';
  }
}

/** Reports issues and progress while a source is read. */
export interface SourceListener {
  issue(issue: ImportIssue): void;
  progress?(done: number, what: string): void;
}

/** An issue collector that keeps issues in the order they were met. */
export function issueList(progress?: SourceListener['progress']) {
  const issues: ImportIssue[] = [];
  const listener: SourceListener = { issue: (issue) => issues.push(issue), progress };
  return { issues, listener };
}
