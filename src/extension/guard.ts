/**
 * Unsaved editor changes are the user's: a step never writes under them. A dirty record is
 * saved and its edits committed on their own only when the user says so in a modal; a
 * programmatic call stops instead, with a message saying what to do. Saved edits not yet
 * committed get the same offer, since the core refuses to step over them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { commitFile, uncommittedState } from '../core/commit';
import { readRecord } from '../core/record';
import type { IncidentRepository } from '../core/repository';
import { noticeText } from './notice';

/** What the guard decided. */
export type GuardResult = 'clear' | 'cancelled' | 'dirty';

const SAVE = 'Save and Continue';
const COMMIT = 'Commit and Continue';

/**
 * Checks the editor buffer of `file` before `action` writes it. With `ask`, a modal offers
 * to save; the saved edits are then committed as their own commit, so the step's commit
 * carries the step alone (the core refuses a record with uncommitted changes).
 */
export async function guardUnsaved(
  repo: IncidentRepository,
  uri: vscode.Uri,
  file: string,
  action: string,
  ask: boolean,
): Promise<GuardResult> {
  const document = vscode.workspace.textDocuments.find(
    (doc) => doc.uri.toString() === uri.toString(),
  );
  if (!document?.isDirty) return ask ? offerToCommitSaved(repo, file, action) : 'clear';

  if (!ask) {
    void vscode.window.showWarningMessage(
      noticeText(
        `${file} has unsaved changes, so ${action} was not done. Save or revert the file, ` +
          'then run it again.',
      ),
    );
    return 'dirty';
  }
  const choice = await vscode.window.showWarningMessage(
    noticeText(`${file} has unsaved changes.`),
    {
      modal: true,
      detail:
        `Save them before ${action}? The saved edits are committed first, on their own, ` +
        'then the step is committed.',
    },
    SAVE,
  );
  if (choice !== SAVE) return 'cancelled';

  const text = document.getText();
  const check = readRecord(file, text, repo.readOptions);
  if (!check.incident) {
    void vscode.window.showErrorMessage(
      noticeText(`${file} has problems (see the Problems panel); fix them before ${action}.`),
    );
    return 'cancelled';
  }
  if (!(await document.save())) return 'cancelled';
  if (await uncommittedState(repo.git, file)) {
    await commitFile(repo.git, file, `${check.incident.id}: edited\n`, false);
  }
  return 'clear';
}

/**
 * Saved but uncommitted edits (auto save does this) would make the core refuse the step;
 * offer to commit them on their own first. Declining leaves the core to explain.
 */
async function offerToCommitSaved(
  repo: IncidentRepository,
  file: string,
  action: string,
): Promise<GuardResult> {
  if (!(await uncommittedState(repo.git, file))) return 'clear';
  const check = readRecord(file, await readFile(join(repo.root, file), 'utf8'), repo.readOptions);
  if (!check.incident) return 'clear';
  const choice = await vscode.window.showWarningMessage(
    noticeText(`${file} has saved changes that are not committed.`),
    {
      modal: true,
      detail: `Commit them first, on their own, then ${action}?`,
    },
    COMMIT,
  );
  if (choice !== COMMIT) return 'cancelled';
  await commitFile(repo.git, file, `${check.incident.id}: edited\n`, false);
  return 'clear';
}
