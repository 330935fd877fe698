/**
 * The questions each command asks, and the same answers taken from an argument object: a
 * field present in the arguments is never asked for; with `prompt` false (a programmatic
 * call) a missing required field is an error instead of a question, so no call can hang.
 */
import * as vscode from 'vscode';
import type { NewRecord } from '../core/create';
import { hasReview, type Step } from '../core/lifecycle';
import type { Policy } from '../core/policy';
import type { Incident } from '../core/record';

/** Arguments a command may be given instead of asking. */
export type Answers = Record<string, unknown>;

/** Raised when a programmatic call leaves out a required field. */
export class MissingArgument extends Error {}

/** Asks or takes one text field; undefined means the user cancelled. */
export class Questions {
  cancelled = false;

  constructor(
    private readonly given: Answers,
    private readonly prompt: boolean,
    private readonly what: string,
  ) {}

  /** A text answer; `required` refuses an empty one. */
  async text(
    key: string,
    options: { prompt: string; required?: boolean; value?: string; placeHolder?: string },
  ): Promise<string | undefined> {
    const given = this.given[key];
    if (typeof given === 'string' && given.trim()) return given.trim();
    if (this.cancelled) return undefined;
    if (!this.prompt) {
      if (options.required) throw new MissingArgument(`${this.what} needs \`${key}\``);
      return options.value;
    }
    const answer = await vscode.window.showInputBox({
      title: this.what,
      prompt: options.prompt,
      value: options.value,
      placeHolder: options.placeHolder,
      ignoreFocusOut: true,
      validateInput: (text) =>
        options.required && !text.trim() ? `${options.prompt}: required` : undefined,
    });
    if (answer === undefined) this.cancelled = true;
    return answer?.trim() || undefined;
  }

  /** One of `items`; `optional` adds a "none" choice that answers undefined. */
  async pick(
    key: string,
    items: vscode.QuickPickItem[],
    options: { placeHolder: string; required?: boolean },
  ): Promise<string | undefined> {
    const given = this.given[key];
    if (typeof given === 'string' && given.trim()) return given.trim();
    if (this.cancelled) return undefined;
    if (!this.prompt) {
      if (options.required) throw new MissingArgument(`${this.what} needs \`${key}\``);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: this.what,
      placeHolder: options.placeHolder,
      ignoreFocusOut: true,
    });
    if (picked === undefined) this.cancelled = true;
    return picked?.label === NONE ? undefined : picked?.label;
  }

  /** Picks one of the names in use or takes a new one typed in the filter box. */
  async pickOrType(key: string, known: string[], placeHolder: string): Promise<string | undefined> {
    const given = this.given[key];
    if (typeof given === 'string' && given.trim()) return given.trim();
    if (this.cancelled || !this.prompt) return undefined;
    const quickPick = vscode.window.createQuickPick();
    quickPick.title = this.what;
    quickPick.placeholder = placeHolder;
    quickPick.ignoreFocusOut = true;
    const base = [{ label: NONE }, ...known.map((label) => ({ label }))];
    quickPick.items = base;
    quickPick.onDidChangeValue((value) => {
      const typed = value.trim();
      const fresh = typed && !known.includes(typed) ? [{ label: typed, description: 'new' }] : [];
      quickPick.items = [...fresh, ...base];
    });
    const answer = await new Promise<string | undefined | null>((done) => {
      quickPick.onDidAccept(() => done(quickPick.selectedItems[0]?.label ?? null));
      quickPick.onDidHide(() => done(null));
      quickPick.show();
    });
    quickPick.dispose();
    if (answer === null) this.cancelled = true;
    return answer && answer !== NONE ? answer : undefined;
  }
}

const NONE = '(none)';

/** Priority choices, each with its response and resolution targets. */
export function priorityItems(policy: Policy): vscode.QuickPickItem[] {
  return Object.entries(policy.priorities).map(([label, spec]) => ({
    label,
    description: spec.name,
    detail: [
      spec.respond ? `respond within ${spec.respond.text}` : 'no response target',
      spec.resolve ? `resolve within ${spec.resolve.text}` : 'no resolution target',
    ].join(' · '),
  }));
}

/** The fields of a new record. */
export async function askNewRecord(
  q: Questions,
  policy: Policy,
  known: { categories: string[]; services: string[] },
): Promise<NewRecord | undefined> {
  const title = await q.text('title', { prompt: 'Title (one line)', required: true });
  const none = { label: NONE, detail: 'log it now, triage later' };
  const priority = await q.pick('priority', [...priorityItems(policy), none], {
    placeHolder: 'Priority',
  });
  const category = await q.pickOrType('category', known.categories, 'Category (type a new one)');
  const service = await q.pickOrType('service', known.services, 'Affected service');
  if (q.cancelled || !title) return undefined;
  return { title, priority, category, service };
}

/** The step `kind` for `incident`, from the answers or by asking. */
export async function askStep(
  q: Questions,
  kind: Step['kind'],
  incident: Incident,
  policy: Policy,
  gitUser: () => Promise<string | undefined>,
): Promise<Step | undefined> {
  const step = await ask(q, kind, incident, policy, gitUser);
  return q.cancelled ? undefined : step;
}

async function ask(
  q: Questions,
  kind: Step['kind'],
  incident: Incident,
  policy: Policy,
  gitUser: () => Promise<string | undefined>,
): Promise<Step | undefined> {
  switch (kind) {
    case 'triage': {
      const priority = await q.pick('priority', priorityItems(policy), {
        placeHolder: `Priority of ${incident.id} (now ${incident.priority ?? 'none'})`,
        required: true,
      });
      const category = await q.text('category', {
        prompt: 'Category',
        value: incident.category,
      });
      const team = await q.text('team', { prompt: 'Team', value: incident.team });
      const assignee = await q.text('assignee', { prompt: 'Assignee', value: incident.assignee });
      // A value left as it was is no change: triage must not rewrite what it did not touch.
      const changed = (value: string | undefined, now: string | undefined) =>
        value !== now ? value : undefined;
      return priority
        ? {
            kind,
            priority,
            category: changed(category, incident.category),
            team: changed(team, incident.team),
            assignee: changed(assignee, incident.assignee),
          }
        : undefined;
    }
    case 'ack': {
      const value = incident.assignee ?? (await gitUser());
      const assignee = await q.text('assignee', { prompt: 'Who responds (assignee)', value });
      return { kind, assignee };
    }
    case 'escalate': {
      const items = [
        { label: 'functional', detail: 'hand it to another team (sets the team)' },
        { label: 'hierarchical', detail: 'bring in a manager or incident commander' },
      ];
      const escalation = (await q.pick('kind', items, { placeHolder: 'Kind of escalation' })) as
        | 'functional'
        | 'hierarchical'
        | undefined;
      const to = await q.text('to', { prompt: 'Escalate to (team or person)', required: true });
      const reason = await q.text('reason', { prompt: 'Why', required: true });
      if (!to || !reason) return undefined;
      return { kind, escalation: escalation ?? 'functional', to, reason };
    }
    case 'resolve': {
      const resolution = await q.text('resolution', {
        prompt: 'Resolution: what was done, and why it worked',
        required: true,
      });
      const workaround = await q.text('workaround', { prompt: 'Workaround (optional)' });
      const rootCause = await q.text('rootCause', { prompt: 'Root cause, if known (optional)' });
      return resolution ? { kind, resolution, workaround, rootCause } : undefined;
    }
    case 'close': {
      const needsReview =
        incident.priority !== undefined &&
        policy.closure.reviewRequired.includes(incident.priority) &&
        !hasReview(incident);
      const postmortem = await q.text('postmortem', {
        prompt: `Post-incident review (path or URL)${needsReview ? '' : ', optional'}`,
        required: needsReview,
      });
      return { kind, postmortem };
    }
    case 'reopen': {
      const closed = incident.status === 'closed';
      const reason = await q.text('reason', {
        prompt: `Why reopen it${closed ? '' : ' (optional)'}`,
        required: closed,
      });
      return { kind, reason };
    }
  }
}
