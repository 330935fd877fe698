/**
 * Which record a command acts on, from whatever it was invoked with: a tree item (context
 * menu, inline icon), a file URI (editor title), an argument object `{ id, … }` (another
 * extension, a keybinding, a test), or nothing (the palette: the active editor's record or a
 * pick). Only an argument object makes the call programmatic: it never prompts.
 */
import * as vscode from 'vscode';
import type { StepKind } from '../core/availableSteps';
import type { Incident } from '../core/record';
import { closeBidi } from './bidi';
import { literalIcons } from './icons';
import type { IncidentModel } from './model';
import type { Answers } from './quickInput';

/** The record to act on, the answers given with it, and whether questions may be asked. */
export interface Target {
  incident: Incident;
  answers: Answers;
  interactive: boolean;
}

/** True for a plain object, as opposed to a tree node or a URI. */
export function isAnswers(arg: unknown): arg is Answers {
  return (
    typeof arg === 'object' &&
    arg !== null &&
    !(arg instanceof vscode.Uri) &&
    !('kind' in arg && 'incident' in arg)
  );
}

/** Resolves the target of a command; undefined when the user cancelled the pick. */
export async function resolveTarget(
  model: IncidentModel,
  arg: unknown,
  step: StepKind | undefined,
  title: string,
): Promise<Target | undefined> {
  const repo = model.repo;
  if (!repo) throw new Error('no incident repository is open in this window');

  if (arg instanceof vscode.Uri) {
    const incident = model.byUri(arg);
    if (!incident) throw new Error(`${arg.fsPath} is not a valid incident record`);
    return { incident: (await repo.find(incident.id)).incident, answers: {}, interactive: true };
  }
  if (isTreeNode(arg)) {
    return {
      incident: (await repo.find(arg.incident.id)).incident,
      answers: {},
      interactive: true,
    };
  }
  if (isAnswers(arg) && typeof arg.id === 'string') {
    return { incident: (await repo.find(arg.id)).incident, answers: arg, interactive: false };
  }

  const active = vscode.window.activeTextEditor?.document.uri;
  const current = active ? model.byUri(active) : undefined;
  if (current && (!step || model.stepsOf(current).includes(step))) {
    return { incident: (await repo.find(current.id)).incident, answers: {}, interactive: true };
  }
  const candidates = model.set.incidents.filter(
    (incident) => !step || model.stepsOf(incident).includes(step),
  );
  if (candidates.length === 0) {
    throw new Error(`no record allows this now (${title})`);
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((incident) => ({
      label: incident.id,
      description: literalIcons(closeBidi(`${incident.priority ?? ''} ${incident.status}`.trim())),
      detail: literalIcons(closeBidi(incident.title)),
      incident,
    })),
    { title, placeHolder: 'Which record?', matchOnDetail: true, ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  return {
    incident: (await repo.find(picked.incident.id)).incident,
    answers: {},
    interactive: true,
  };
}

function isTreeNode(arg: unknown): arg is { kind: 'incident'; incident: Incident } {
  return (
    typeof arg === 'object' &&
    arg !== null &&
    (arg as { kind?: unknown }).kind === 'incident' &&
    typeof (arg as { incident?: { id?: unknown } }).incident?.id === 'string'
  );
}
