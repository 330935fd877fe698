/**
 * The Scaffold Post-incident Review command: the same core step as `git incidents
 * postmortem` (review file and `postmortem:` link in one commit), then the review opens in
 * an editor. A record that already links a review file in the repository opens that file.
 * Not wired yet: extension.ts calls `registerPostmortemCommand(context, { model, logger })`
 * and package.json contributes `gitIncidents.postmortem`.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isReviewUrl, resolveReviewPath } from '../core/closureCheck';
import type { Logger } from '../core/log';
import { createPostmortem } from '../core/postmortem';
import { formatProblem, ProblemError } from '../core/problem';
import { RecordNotUsable } from '../core/repository';
import { guardUnsaved } from './guard';
import type { IncidentModel } from './model';
import { noticeText } from './notice';
import { isAnswers, resolveTarget } from './target';

/** The command's id. */
export const POSTMORTEM_COMMAND = 'gitIncidents.postmortem';

/** What the command needs from the extension. */
export interface PostmortemDeps {
  model: IncidentModel;
  logger: Logger;
}

/** What the command did, for programmatic callers and tests. */
export type PostmortemOutcome =
  | { ok: true; id: string; review: string; commit?: string; existing: boolean }
  | { ok: false; reason: 'cancelled' | 'dirty' | 'failed'; message?: string };

/**
 * Registers the command; its disposable goes into `context.subscriptions`. It takes a tree
 * item, a record URI, `{ id, out? }` (programmatic: never prompts), or nothing (the active
 * record, or a pick).
 */
export function registerPostmortemCommand(
  context: vscode.ExtensionContext,
  deps: PostmortemDeps,
): vscode.Disposable {
  const command = vscode.commands.registerCommand(POSTMORTEM_COMMAND, (arg?: unknown) =>
    scaffoldReview(deps, arg),
  );
  context.subscriptions.push(command);
  return command;
}

/** Scaffolds (or opens) the review of the record `arg` names. */
export async function scaffoldReview(
  deps: PostmortemDeps,
  arg: unknown,
): Promise<PostmortemOutcome> {
  const title = 'Post-incident Review';
  const { model, logger } = deps;
  const repo = model.repo;
  if (!repo) {
    const message = 'open a folder inside a git repository to work with incidents';
    void vscode.window.showErrorMessage(`${title}: ${message}`);
    return { ok: false, reason: 'failed', message };
  }
  try {
    const target = await resolveTarget(model, arg, undefined, title);
    if (!target) return { ok: false, reason: 'cancelled' };
    const { incident, interactive } = target;

    const linked = incident.postmortem;
    if (linked && !isReviewUrl(linked)) {
      const found = await resolveReviewPath(repo.root, incident.file, linked);
      if (found.state === 'ok') {
        await open(repo.root, found.path, interactive);
        return { ok: true, id: incident.id, review: found.path, existing: true };
      }
    }
    const action = `scaffolding the review of ${incident.id}`;
    const guard = await guardUnsaved(
      repo,
      model.uriOf(incident.file),
      incident.file,
      action,
      interactive,
    );
    if (guard !== 'clear') return { ok: false, reason: guard };

    const out = isAnswers(arg) && typeof arg.out === 'string' ? arg.out : undefined;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Review of ${incident.id}…` },
      () => createPostmortem(repo, incident.id, { out }),
    );
    await model.refreshFiles([result.record]);
    logger.info(`${result.id}: review ${result.review} (${result.commit.slice(0, 10)})`);
    await open(repo.root, result.review, interactive);
    const short = result.commit.slice(0, 10);
    void vscode.window.showInformationMessage(
      noticeText(`${result.id}: review ${result.review} — committed ${short}`),
    );
    return {
      ok: true,
      id: result.id,
      review: result.review,
      commit: result.commit,
      existing: false,
    };
  } catch (error) {
    const err = error as Error;
    const problems =
      err instanceof ProblemError || err instanceof RecordNotUsable ? err.problems : [];
    const detail = problems.map(formatProblem).join('\n');
    logger.warn(`${title} failed: ${err.message}${detail ? `\n${detail}` : ''}`);
    void vscode.window.showErrorMessage(noticeText(`${title}: ${err.message}`));
    return { ok: false, reason: 'failed', message: err.message };
  }
}

async function open(root: string, path: string, interactive: boolean): Promise<void> {
  if (!interactive) return;
  await vscode.window.showTextDocument(vscode.Uri.file(join(root, path)), { preview: false });
}
