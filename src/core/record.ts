/**
 * The incident record: its fields as the format defines them, and the validation that turns
 * a file's text into a typed record or into problems naming file, line and field.
 */
import { conflictMarkers, parseFrontMatter, splitFrontMatter } from './frontMatter';
import type { Problem } from './problem';
import { parseTimestamp } from './time';
import type { TopLevelEntry } from './yamlText';

export const STATUSES = ['logged', 'triaged', 'investigating', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const TYPES = ['incident', 'problem', 'service-request'] as const;
export type RecordType = (typeof TYPES)[number];
export const TIME_FIELDS = [
  'started_at',
  'detected_at',
  'acknowledged_at',
  'resolved_at',
  'closed_at',
  'reporter_notified_at',
] as const;
export type TimeField = (typeof TIME_FIELDS)[number];

/** One escalation event: to another team (functional) or up the hierarchy. */
export interface Escalation {
  at?: number;
  kind: 'functional' | 'hierarchical';
  to: string;
  reason?: string;
}

/** A validated record. Times are instants (epoch ms); absent fields are undefined. */
export interface Incident {
  id: string;
  title: string;
  type: RecordType;
  status: Status;
  priority?: string;
  impact?: string;
  urgency?: string;
  category?: string;
  services: string[];
  model?: string;
  reporter?: string;
  assignee?: string;
  team?: string;
  times: Partial<Record<TimeField, number>>;
  escalations: Escalation[];
  problem?: string;
  postmortem?: string;
  /** Path relative to the repository root. */
  file: string;
  /** The front matter as plain data, unknown fields included. */
  data: Record<string, unknown>;
  body: string;
}

/** What reading one file gave: a record, problems, or both (warnings only). */
export interface RecordResult {
  file: string;
  incident?: Incident;
  problems: Problem[];
}

/** What validation needs from the repository settings. */
export interface ReadOptions {
  timezone?: string;
  priorities: string[];
}

/** Reads one record file's text; never throws for bad input. */
export function readRecord(file: string, content: string, options: ReadOptions): RecordResult {
  const markers = conflictMarkers(content, file);
  if (markers.length > 0) return { file, problems: markers };

  const cut = splitFrontMatter(content, file);
  if (!cut.ok) return { file, problems: [cut.problem] };

  const { parsed, problems } = parseFrontMatter(cut.split, file);
  if (problems.length > 0) return { file, problems };
  const data = parsed.data;
  if (!isPlainObject(data)) {
    const message = 'the front matter is not a mapping of `key: value` lines';
    return {
      file,
      problems: [{ severity: 'error', file, line: 2, message, example: 'id: INC-20260304-k7qz' }],
    };
  }

  const checker = new FieldChecker(file, data, parsed.entries, options);
  const incident = checker.build(cut.split.body);
  const errors = checker.problems.some((p) => p.severity === 'error');
  return { file, incident: errors ? undefined : incident, problems: checker.problems };
}

class FieldChecker {
  readonly problems: Problem[] = [];

  constructor(
    private readonly file: string,
    private readonly data: Record<string, unknown>,
    private readonly entries: Map<string, TopLevelEntry>,
    private readonly options: ReadOptions,
  ) {}

  build(body: string): Incident {
    const status = this.oneOf('status', STATUSES, true, 'status: investigating') as Status;
    const type = (this.oneOf('type', TYPES, false, 'type: incident') ?? 'incident') as RecordType;
    const priority = this.priority(status);
    const times = this.times();
    this.checkOrder(times);

    return {
      id: this.id(),
      title: this.text('title', true, 'title: Checkout returns 502') ?? '',
      type,
      status,
      priority,
      impact: this.oneOf('impact', ['high', 'medium', 'low'], false, 'impact: high'),
      urgency: this.oneOf('urgency', ['high', 'medium', 'low'], false, 'urgency: medium'),
      category: this.text('category', false, 'category: database'),
      services: this.services(),
      model: this.oneOf('model', ['itil', 'devops', 'sre', 'security'], false, 'model: sre'),
      reporter: this.text('reporter', false, 'reporter: jane'),
      assignee: this.text('assignee', false, 'assignee: sam'),
      team: this.text('team', false, 'team: platform'),
      times,
      escalations: this.escalations(),
      problem: this.text('problem', false, 'problem: PRB-20260301-x2mq'),
      postmortem: this.text('postmortem', false, 'postmortem: reviews/INC-….md'),
      file: this.file,
      data: this.data,
      body,
    };
  }

  private line(field: string): number | undefined {
    const entry = this.entries.get(field);
    return entry ? entry.line + 1 : undefined;
  }

  private report(
    severity: Problem['severity'],
    field: string,
    message: string,
    expected?: string,
    example?: string,
  ): void {
    this.problems.push({
      severity,
      file: this.file,
      line: this.line(field) ?? 2,
      field,
      message,
      expected,
      example,
    });
  }

  private id(): string {
    const id = this.text('id', true, 'id: INC-20260304-k7qz') ?? '';
    if (id && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
      this.report(
        'error',
        'id',
        `id \`${id}\` has characters an id cannot have`,
        'letters, digits, `.`, `_` and `-`, not starting with `-`',
        'id: INC-20260304-k7qz',
      );
    }
    return id;
  }

  private text(field: string, required: boolean, example: string): string | undefined {
    const value = this.data[field];
    if (value === undefined || value === null || value === '') {
      if (required) this.report('error', field, `\`${field}\` is missing`, 'a value', example);
      return undefined;
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.report(
      'error',
      field,
      `\`${field}\` must be text, not a list or mapping`,
      'one line of text',
      example,
    );
    return undefined;
  }

  private oneOf(
    field: string,
    allowed: readonly string[],
    required: boolean,
    example: string,
  ): string | undefined {
    const value = this.text(field, required, example);
    if (value === undefined || allowed.includes(value)) return value;
    this.report('error', field, `unknown ${field} \`${value}\``, allowed.join(', '), example);
    return undefined;
  }

  private priority(status: Status | undefined): string | undefined {
    const allowed = this.options.priorities;
    const priority = this.oneOf('priority', allowed, false, 'priority: P2');
    const needs = status !== undefined && status !== 'logged';
    if (priority === undefined && needs && this.data.priority === undefined) {
      this.report(
        'error',
        'priority',
        `a ${status} record needs a priority`,
        allowed.join(', '),
        'priority: P3',
      );
    }
    return priority;
  }

  private services(): string[] {
    const value = this.data.service;
    if (value === undefined || value === null) return [];
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
    this.report(
      'error',
      'service',
      '`service` must be a name or a list of names',
      'text or a list of text',
      'service: [checkout-api, payments]',
    );
    return [];
  }

  private times(): Partial<Record<TimeField, number>> {
    const times: Partial<Record<TimeField, number>> = {};
    for (const field of TIME_FIELDS) {
      const at = this.time(field, this.data[field]);
      if (at !== undefined) times[field] = at;
    }
    if (this.data.detected_at === undefined) {
      // The spec derives a missing time from history: the commit that first shows the record.
      this.report(
        'warning',
        'detected_at',
        '`detected_at` is missing; the first commit of the record is used',
        'an ISO 8601 time',
        'detected_at: 2026-03-04T09:15:00Z',
      );
    }
    return times;
  }

  private time(field: string, value: unknown): number | undefined {
    if (value === undefined || value === null) return undefined;
    const example = `${field}: 2026-03-04T09:15:00Z`;
    const parsed = parseTimestamp(String(value), this.options.timezone);
    if (!parsed.ok) {
      this.report('error', field, parsed.reason, 'an ISO 8601 time with an offset', example);
      return undefined;
    }
    if (parsed.dateOnly) {
      this.report(
        'warning',
        field,
        `\`${field}\` is a date without a time; it is not used`,
        'a date and time',
        example,
      );
      return undefined;
    }
    if (parsed.offsetless) {
      this.report(
        'warning',
        field,
        `\`${value}\` has no UTC offset; read in ${this.options.timezone}`,
        undefined,
        example,
      );
    }
    return parsed.at;
  }

  private checkOrder(times: Partial<Record<TimeField, number>>): void {
    const order: [TimeField, TimeField][] = [
      ['started_at', 'detected_at'],
      ['detected_at', 'acknowledged_at'],
      ['detected_at', 'resolved_at'],
      ['resolved_at', 'closed_at'],
    ];
    for (const [before, after] of order) {
      const a = times[before];
      const b = times[after];
      if (a === undefined || b === undefined || a <= b) continue;
      this.report(
        'warning',
        after,
        `\`${after}\` is earlier than \`${before}\``,
        `${after} at or after ${before}`,
      );
    }
  }

  private escalations(): Escalation[] {
    const value = this.data.escalations;
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.report(
        'error',
        'escalations',
        '`escalations` must be a list',
        'a `- at: …` list',
        'escalations:\n  - {at: 2026-03-04T09:30:00Z, kind: functional, to: dba}',
      );
      return [];
    }
    return value.flatMap((item) => this.escalation(item));
  }

  private escalation(item: unknown): Escalation[] {
    if (!isPlainObject(item) || typeof item.to !== 'string') {
      this.report(
        'warning',
        'escalations',
        'an escalation without `to` is ignored',
        '{at, kind, to, reason}',
      );
      return [];
    }
    const kind = item.kind === 'hierarchical' ? 'hierarchical' : 'functional';
    const at = this.time('escalations', item.at);
    const reason = typeof item.reason === 'string' ? item.reason : undefined;
    return [{ at, kind, to: item.to, reason }];
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
