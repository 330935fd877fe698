/**
 * The incident lifecycle: which step may follow which, and what each step changes in the
 * front matter. Pure: no files, no git. A step returns field changes and a commit subject.
 */
import { type ClosureReview, closureViolations, describeViolations } from './closure';
import type { FieldChange } from './frontMatter';
import { type Incident, type Status, TIME_FIELDS, type TimeField } from './record';
import { formatTimestamp } from './time';

const RANK: Record<Status, number> = {
  logged: 0,
  triaged: 1,
  investigating: 2,
  resolved: 3,
  closed: 4,
};

/** Status order: a higher rank is further along. */
export function statusRank(status: Status): number {
  return RANK[status];
}

/** True when the record is not yet resolved. */
export function isOpen(status: Status): boolean {
  return RANK[status] < RANK.resolved;
}

/** A lifecycle step as the user asks for it. */
export type Step =
  | { kind: 'triage'; priority: string; category?: string; team?: string; assignee?: string }
  | { kind: 'ack'; assignee?: string }
  | { kind: 'escalate'; escalation: 'functional' | 'hierarchical'; to: string; reason: string }
  | { kind: 'resolve'; resolution: string; workaround?: string; rootCause?: string }
  | { kind: 'close'; postmortem?: string; notifiedAt?: number; review?: ClosureReview }
  | { kind: 'reopen'; reason?: string };

/** What a step does to a record: the new status, the changes, and the commit subject. */
export interface StepPlan {
  from: Status;
  to: Status;
  changes: FieldChange[];
  subject: string;
  details: string[];
}

/** A step that the record's state or the rules do not allow, with what to do instead. */
export class TransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransitionError';
  }
}

/** Rules a step consults that come from the repository settings. */
export interface StepRules {
  /** Priorities that need a post-incident review (link or section) before `close`. */
  reviewRequired: string[];
  timezone: string;
}

function setTime(key: string, stamp: string): FieldChange {
  const after: string[] = TIME_FIELDS.slice(0, TIME_FIELDS.indexOf(key as TimeField));
  return { kind: 'set', key, value: stamp, after };
}

function setText(key: string, value: string, after: string[] = []): FieldChange {
  return { kind: 'set', key, value, after };
}

/** Plans a step on a record at instant `at`; throws TransitionError when it is not allowed. */
export function planStep(incident: Incident, step: Step, at: number, rules: StepRules): StepPlan {
  // Times are written in the repository's zone, as a person there would write them.
  const stamp = (t: number) => formatTimestamp(t, rules.timezone);
  const detected = incident.times.detected_at;
  if (detected !== undefined && at < detected && step.kind !== 'triage' && step.kind !== 'reopen') {
    throw new TransitionError(
      `${incident.id}: ${stamp(at)} is before the record was detected (${stamp(detected)}); ` +
        'a step cannot precede detection: give a later --at',
    );
  }
  switch (step.kind) {
    case 'triage':
      return planTriage(incident, step);
    case 'ack':
      return planAck(incident, step, stamp(at));
    case 'escalate':
      return planEscalate(incident, step, stamp(at));
    case 'resolve':
      return planResolve(incident, step, stamp(at));
    case 'close':
      return planClose(incident, step, stamp(at), stamp(step.notifiedAt ?? at), rules);
    case 'reopen':
      return planReopen(incident, step);
  }
}

function subject(incident: Incident, from: Status, to: Status): string {
  return `${incident.id}: ${from} → ${to}`;
}

function planTriage(incident: Incident, step: Extract<Step, { kind: 'triage' }>): StepPlan {
  const from = incident.status;
  if (!isOpen(from)) {
    throw new TransitionError(`${incident.id} is ${from}; reopen it before triaging again`);
  }
  const to: Status = from === 'logged' ? 'triaged' : from;
  const changes: FieldChange[] = [];
  if (to !== from) changes.push(setText('status', to));
  if (step.priority !== incident.priority) {
    changes.push(setText('priority', step.priority, ['status']));
  }
  if (step.category) changes.push(setText('category', step.category, ['priority']));
  if (step.team) changes.push(setText('team', step.team, ['priority']));
  if (step.assignee) changes.push(setText('assignee', step.assignee, ['priority']));
  if (changes.length === 0) {
    throw new TransitionError(`${incident.id} is already triaged as ${step.priority}`);
  }
  const reprioritised = incident.priority && step.priority !== incident.priority;
  const title =
    to !== from
      ? subject(incident, from, to)
      : `${incident.id}: priority ${incident.priority ?? 'none'} → ${step.priority}`;
  const details = [`Priority: ${step.priority}`];
  if (reprioritised && to !== from) details.push(`Previous priority: ${incident.priority}`);
  return { from, to, changes, subject: title, details };
}

function requirePriority(incident: Incident, action: string): void {
  if (incident.priority) return;
  throw new TransitionError(
    `${incident.id} has no priority; triage it first: git incidents triage ${incident.id} ` +
      `--priority P3, then ${action}`,
  );
}

function planAck(incident: Incident, step: Extract<Step, { kind: 'ack' }>, at: string): StepPlan {
  const from = incident.status;
  if (from !== 'logged' && from !== 'triaged') {
    throw new TransitionError(
      `${incident.id} is ${from}; only a logged or triaged record ` + 'can be acknowledged',
    );
  }
  requirePriority(incident, 'acknowledge it');
  const changes: FieldChange[] = [setText('status', 'investigating')];
  if (incident.times.acknowledged_at === undefined) changes.push(setTime('acknowledged_at', at));
  if (step.assignee && step.assignee !== incident.assignee) {
    changes.push(setText('assignee', step.assignee, ['status', 'priority']));
  }
  const details = step.assignee ? [`Assignee: ${step.assignee}`] : [];
  return {
    from,
    to: 'investigating',
    changes,
    subject: subject(incident, from, 'investigating'),
    details,
  };
}

function planEscalate(
  incident: Incident,
  step: Extract<Step, { kind: 'escalate' }>,
  at: string,
): StepPlan {
  const from = incident.status;
  if (!isOpen(from)) {
    throw new TransitionError(`${incident.id} is ${from}; reopen it before escalating`);
  }
  if (!step.to.trim()) throw new TransitionError('an escalation needs --to (a team or person)');
  const item = { at, kind: step.escalation, to: step.to, reason: step.reason };
  const changes: FieldChange[] = [{ kind: 'append', key: 'escalations', item }];
  // A functional escalation hands the incident to another team.
  if (step.escalation === 'functional' && step.to !== incident.team) {
    changes.push(setText('team', step.to, ['status', 'priority']));
  }
  return {
    from,
    to: from,
    changes,
    subject: `${incident.id}: escalated (${step.escalation}) to ${step.to}`,
    details: [`Reason: ${step.reason}`],
  };
}

function planResolve(
  incident: Incident,
  step: Extract<Step, { kind: 'resolve' }>,
  at: string,
): StepPlan {
  const from = incident.status;
  if (!isOpen(from)) throw new TransitionError(`${incident.id} is already ${from}`);
  requirePriority(incident, 'resolve it');
  if (!step.resolution.trim()) {
    throw new TransitionError('resolving needs --resolution: what was done and why it worked');
  }
  const changes: FieldChange[] = [
    setText('status', 'resolved'),
    setTime('resolved_at', at),
    setText('resolution', step.resolution, ['resolved_at']),
  ];
  if (step.workaround) changes.push(setText('workaround', step.workaround, ['resolution']));
  if (step.rootCause) changes.push(setText('root_cause', step.rootCause, ['resolution']));
  return {
    from,
    to: 'resolved',
    changes,
    subject: subject(incident, from, 'resolved'),
    details: [`Resolution: ${step.resolution}`],
  };
}

/** True when the record links a review or its body holds a review section. */
export function hasReview(incident: Incident): boolean {
  if (incident.postmortem) return true;
  return /^#{1,3}\s*(post[- ]?incident review|post[- ]?mortem)\b/im.test(incident.body);
}

function planClose(
  incident: Incident,
  step: Extract<Step, { kind: 'close' }>,
  at: string,
  notified: string,
  rules: StepRules,
): StepPlan {
  const from = incident.status;
  if (from !== 'resolved') {
    throw new TransitionError(`${incident.id} is ${from}; only a resolved record can be closed`);
  }
  const needsReview =
    incident.priority !== undefined && rules.reviewRequired.includes(incident.priority);
  if (needsReview && !step.postmortem && !hasReview(incident)) {
    throw new TransitionError(
      `${incident.id} is ${incident.priority}: closing it needs a ` +
        'post-incident review. Pass --postmortem <path or URL>, or add a ' +
        '"## Post-incident review" section to the record',
    );
  }
  // The review's text is read by the caller (`prepareClose`); judging it stays pure.
  const linked = step.postmortem ?? incident.postmortem;
  const violations =
    needsReview && step.review ? closureViolations(incident, step.review, linked) : [];
  const blocking = violations.filter((v) => !v.advisory);
  if (blocking.length > 0) throw new TransitionError(describeViolations(incident, blocking));
  const changes: FieldChange[] = [
    setText('status', 'closed'),
    setTime('closed_at', at),
    setTime('reporter_notified_at', notified),
  ];
  if (step.postmortem) changes.push(setText('postmortem', step.postmortem, ['closed_at']));
  return {
    from,
    to: 'closed',
    changes,
    subject: subject(incident, from, 'closed'),
    details: ['Reporter notified of the resolution'],
  };
}

function planReopen(incident: Incident, step: Extract<Step, { kind: 'reopen' }>): StepPlan {
  const from = incident.status;
  if (isOpen(from)) throw new TransitionError(`${incident.id} is ${from}, not resolved`);
  if (from === 'closed' && !step.reason?.trim()) {
    throw new TransitionError(`${incident.id} is closed; reopening it needs --reason`);
  }
  // The latest resolution is gone; history keeps the earlier one and counts the reopen.
  const changes: FieldChange[] = [
    setText('status', 'investigating'),
    { kind: 'remove', key: 'resolved_at' },
    { kind: 'remove', key: 'closed_at' },
    { kind: 'remove', key: 'reporter_notified_at' },
  ];
  const details = step.reason ? [`Reason: ${step.reason}`] : [];
  return {
    from,
    to: 'investigating',
    changes,
    subject: `${subject(incident, from, 'investigating')} (reopened)`,
    details,
  };
}
