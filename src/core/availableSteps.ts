/**
 * Which lifecycle steps a record allows now, asked of `planStep` itself so that menus and
 * other front ends never restate the lifecycle's rules: each step is planned with
 * representative arguments, and a TransitionError means "not offered".
 */
import { planStep, type Step, type StepRules, TransitionError } from './lifecycle';
import type { Incident } from './record';

/** The kinds of lifecycle step. */
export type StepKind = Step['kind'];

/** Every step kind, in lifecycle order. */
export const STEP_KINDS: readonly StepKind[] = [
  'triage',
  'ack',
  'escalate',
  'resolve',
  'close',
  'reopen',
];

/**
 * The steps `incident` allows. Arguments the user supplies later (a reason, a postmortem)
 * are assumed given, so `close` is offered on a resolved P1 even before its review exists;
 * `triage` is offered while a different priority from `priorities` could still be set.
 */
export function availableSteps(
  incident: Incident,
  priorities: string[],
  rules: StepRules,
): StepKind[] {
  const other = priorities.find((p) => p !== incident.priority) ?? incident.priority ?? 'P3';
  const probes: Record<StepKind, Step> = {
    triage: { kind: 'triage', priority: other },
    ack: { kind: 'ack' },
    escalate: { kind: 'escalate', escalation: 'functional', to: 'someone', reason: 'probe' },
    resolve: { kind: 'resolve', resolution: 'probe' },
    close: { kind: 'close', postmortem: 'probe' },
    reopen: { kind: 'reopen', reason: 'probe' },
  };
  return STEP_KINDS.filter((kind) => allows(incident, probes[kind], rules));
}

function allows(incident: Incident, step: Step, rules: StepRules): boolean {
  try {
    // The instant only fills timestamps; any value gives the same yes or no.
    planStep(incident, step, Date.now(), rules);
    return true;
  } catch (error) {
    if (error instanceof TransitionError) return false;
    throw error;
  }
}
