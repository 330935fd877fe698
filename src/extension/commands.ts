/**
 * The lifecycle commands. Each one commits exactly one record through the core (`runStep`,
 * `createRecord`), shows progress, guards unsaved edits, refreshes every view, and returns
 * an outcome object so programmatic callers and tests can tell what happened.
 */
import * as vscode from 'vscode';
import type { StepKind } from '../core/availableSteps';
import { createRecord } from '../core/create';
import { gitConfigTargets, notifyCommit, webhookTargets } from '../core/notify';
import type { Logger } from '../core/log';
import { formatProblem, ProblemError } from '../core/problem';
import { recordHistory } from '../core/recordHistory';
import { type IncidentRepository, RecordNotUsable } from '../core/repository';
import { runStep, type StepTime } from '../core/steps';
import { parseTimestamp } from '../core/time';
import { guardUnsaved } from './guard';
import type { HistoryDocuments } from './history';
import type { IncidentModel } from './model';
import { askNewRecord, askStep, MissingArgument, Questions } from './quickInput';
import { isAnswers, resolveTarget } from './target';
import { noticeText } from './notice';

/** What a command did: a commit, or why there is none. */
export type Outcome =
  | { ok: true; id: string; file: string; commit: string; subject: string }
  | { ok: false; reason: 'cancelled' | 'dirty' | 'failed'; message?: string };

/** Each step command: its id, its title in messages, and the step it runs. */
export const STEP_COMMANDS: [command: string, step: StepKind, title: string][] = [
  ['gitIncidents.triage', 'triage', 'Triage'],
  ['gitIncidents.acknowledge', 'ack', 'Acknowledge'],
  ['gitIncidents.escalate', 'escalate', 'Escalate'],
  ['gitIncidents.resolve', 'resolve', 'Resolve'],
  ['gitIncidents.close', 'close', 'Close'],
  ['gitIncidents.reopen', 'reopen', 'Reopen'],
];

const CANCELLED: Outcome = { ok: false, reason: 'cancelled' };

/** Runs lifecycle commands against the model's repository. */
export class LifecycleCommands {
  constructor(
    private readonly model: IncidentModel,
    private readonly logger: Logger,
    private readonly history: HistoryDocuments,
  ) {}

  /** Registers every command of this module. */
  commands(): vscode.Disposable[] {
    const steps = STEP_COMMANDS.map(([id, step, title]) =>
      vscode.commands.registerCommand(id, (arg?: unknown) => this.step(step, title, arg)),
    );
    return [
      ...steps,
      vscode.commands.registerCommand('gitIncidents.newIncident', (arg?: unknown) =>
        this.newIncident(arg),
      ),
      vscode.commands.registerCommand('gitIncidents.showHistory', (arg?: unknown) =>
        this.showHistory(arg),
      ),
    ];
  }

  /** Triage, Acknowledge, Escalate, Resolve, Close, Reopen. */
  async step(kind: StepKind, title: string, arg: unknown): Promise<Outcome> {
    return this.guarded(title, async (repo) => {
      const target = await resolveTarget(this.model, arg, kind, title);
      if (!target) return CANCELLED;
      const { incident, answers, interactive } = target;

      const questions = new Questions(answers, interactive, `${title} ${incident.id}`);
      const step = await askStep(questions, kind, incident, repo.policy, () => gitUser(repo));
      if (!step) return CANCELLED;

      const uri = this.model.uriOf(incident.file);
      const action = `${title.toLowerCase()} ${incident.id}`;
      const guard = await guardUnsaved(repo, uri, incident.file, action, interactive);
      if (guard !== 'clear') return { ok: false, reason: guard };

      const time = stepTime(repo, answers);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `${title} ${incident.id}…` },
        () => runStep(repo, incident.id, step, time),
      );
      await this.model.refreshFiles([result.file]);
      void announce(repo, result.commit);
      const short = result.commit.slice(0, 10);
      this.logger.info(`${result.plan.subject} (${result.file}, ${short})`);
      void vscode.window.showInformationMessage(
        noticeText(`${result.plan.subject} — committed ${short}`),
      );
      return {
        ok: true,
        id: result.id,
        file: result.file,
        commit: result.commit,
        subject: result.plan.subject,
      };
    });
  }

  /** New Incident: asks title, priority (with its targets), category and service. */
  async newIncident(arg: unknown): Promise<Outcome> {
    return this.guarded('New Incident', async (repo) => {
      const answers = isAnswers(arg) ? arg : {};
      const interactive = !isAnswers(arg);
      const known = {
        categories: distinct(this.model.set.incidents.map((i) => i.category)),
        services: distinct(this.model.set.incidents.flatMap((i) => i.services)),
      };
      const questions = new Questions(answers, interactive, 'New Incident');
      const input = await askNewRecord(questions, repo.policy, known);
      if (!input) return CANCELLED;
      const priority = input.priority;
      if (priority && !(priority in repo.policy.priorities)) {
        const names = Object.keys(repo.policy.priorities).join(', ');
        throw new MissingArgument(`unknown priority ${priority}; use one of ${names}`);
      }
      const reporter =
        typeof answers.reporter === 'string' ? answers.reporter : await gitUser(repo);
      const created = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Logging the incident…' },
        () => createRecord(repo, { ...input, reporter }, stepTime(repo, answers)),
      );
      await this.model.refreshFiles([created.file]);
      void announce(repo, created.commit);
      this.logger.info(`${created.id}: logged in ${created.file} (${created.commit.slice(0, 10)})`);
      if (interactive) {
        await vscode.window.showTextDocument(this.model.uriOf(created.file), { preview: false });
      }
      void vscode.window.showInformationMessage(
        noticeText(`${created.id} logged — ${created.file}`),
      );
      const subject = `${created.id}: logged`;
      return { ok: true, ...created, subject };
    });
  }

  /** Show History: the record's transitions from git, in a read-only document. */
  async showHistory(arg: unknown) {
    const repo = this.model.repo;
    if (!repo) return CANCELLED;
    try {
      const target = await resolveTarget(this.model, arg, undefined, 'Show History');
      if (!target) return CANCELLED;
      const { lifecycle, events } = await recordHistory(repo, target.incident);
      await this.history.show(target.incident, events, lifecycle.reopens, repo.policy.timezone);
      return {
        ok: true as const,
        id: target.incident.id,
        reopens: lifecycle.reopens,
        events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      };
    } catch (error) {
      return this.failed('Show History', error as Error);
    }
  }

  private async guarded(
    title: string,
    action: (repo: IncidentRepository) => Promise<Outcome>,
  ): Promise<Outcome> {
    const repo = this.model.repo;
    if (!repo) {
      const message = 'open a folder inside a git repository to work with incidents';
      void vscode.window.showErrorMessage(`${title}: ${message}`);
      return { ok: false, reason: 'failed', message };
    }
    try {
      return await action(repo);
    } catch (error) {
      return this.failed(title, error as Error);
    }
  }

  private failed(title: string, error: Error): Outcome {
    const problems =
      error instanceof ProblemError || error instanceof RecordNotUsable ? error.problems : [];
    const detail = problems.map(formatProblem).join('\n');
    this.logger.warn(`${title} failed: ${error.message}${detail ? `\n${detail}` : ''}`);
    if (!(error instanceof MissingArgument) && !isExpected(error)) {
      this.logger.debug(error.stack ?? '');
    }
    const shown = problems[0] ? `${error.message} — ${problems[0].message}` : error.message;
    void vscode.window.showErrorMessage(noticeText(`${title}: ${shown}`));
    return { ok: false, reason: 'failed', message: error.message };
  }
}

function isExpected(error: Error): boolean {
  return ['TransitionError', 'RecordBusyError', 'GitError', 'ProblemError'].includes(error.name);
}

/** Now, or the `at` answer (ISO 8601, read in the repository's zone) as a back-dated step. */
function stepTime(repo: IncidentRepository, answers: Record<string, unknown>): StepTime {
  if (typeof answers.at !== 'string') return { at: Date.now(), backdated: false };
  const parsed = parseTimestamp(answers.at, repo.policy.timezone);
  if (!parsed.ok) throw new MissingArgument(`at: ${parsed.reason}`);
  return { at: parsed.at, backdated: true };
}

/** git's user.name, the default reporter and responder. */
async function gitUser(repo: IncidentRepository): Promise<string | undefined> {
  const result = await repo.git.run(['config', 'user.name'], { read: true, okCodes: [1] });
  return result.stdout.trim() || undefined;
}

function distinct(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort();
}

/**
 * Tells the team's webhooks about a step's commit, as the CLI does: URLs from the environment
 * or the user's git config, never from the repository. Failures are logged, never shown as
 * errors: the step is committed either way.
 */
async function announce(repo: IncidentRepository, commit: string): Promise<void> {
  const targets = webhookTargets(process.env, await gitConfigTargets(repo.git).catch(() => ({})));
  await notifyCommit(repo, commit, targets);
}
