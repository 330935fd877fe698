/**
 * Lifecycle steps as commits: find the record, check that nothing of the user's would be
 * swept in or lost, plan the step, write the file, commit that file alone. When the commit
 * fails the file is put back as it was, so the working tree never holds a half-done step.
 */
import { lstat, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareClose } from './closureCheck';
import { replaceFile } from './atomicFile';
import { checkIdentity, commitFile, uncommittedState } from './commit';
import { applyChanges } from './frontMatter';
import { planStep, type Step, type StepPlan, TransitionError } from './lifecycle';
import { ProblemError } from './problem';
import { readRecord } from './record';
import { lockRecord } from './recordLock';
import type { IncidentRepository } from './repository';
import { formatTimestamp } from './time';

/** When a step happened; `backdated` is true when the user gave the time explicitly. */
export interface StepTime {
  at: number;
  backdated: boolean;
}

/** The outcome of a step: the commit made and the plan it carried out. */
export interface StepResult {
  id: string;
  file: string;
  commit: string;
  plan: StepPlan;
}

/** Runs one lifecycle step on the record `idOrPath` and commits it. */
export async function runStep(
  repo: IncidentRepository,
  idOrPath: string,
  step: Step,
  time: StepTime,
): Promise<StepResult> {
  const { incident } = await repo.find(idOrPath);
  // Closing judges the post-incident review's text under the closure rules; read it first.
  const planned =
    step.kind === 'close' && !step.review ? await prepareClose(repo, incident.id, step) : step;
  await checkIdentity(repo.git);

  const gitDir = await repo.gitDir();
  const release = await lockRecord(gitDir, incident.id);
  try {
    // Under the lock: a command still committing this record is reported as busy, not as
    // the owner of "uncommitted changes" that are its own step in progress.
    await refuseUncommitted(repo, incident.file);
    const path = join(repo.root, incident.file);
    const before = utf8Text(incident.file, await readFile(path));
    const current = readRecord(incident.file, before, repo.readOptions).incident ?? incident;
    const plan = planStep(current, planned, time.at, {
      reviewRequired: repo.policy.closure.reviewRequired,
      timezone: repo.policy.timezone,
    });
    const after = applyChanges(before, plan.changes, incident.file);
    checkStillValid(repo, incident.file, after);

    const message = commitMessage(incident.id, plan, time);
    const commit = await writeAndCommit(
      repo,
      incident.file,
      before,
      after,
      message,
      false,
      time.backdated ? time.at : undefined,
    );
    repo.logger.debug(`${plan.subject} (${commit.slice(0, 10)})`);
    return { id: incident.id, file: incident.file, commit, plan };
  } finally {
    await release();
  }
}

/** Writes `after`, commits it, and restores `before` if the commit does not happen. */
export async function writeAndCommit(
  repo: IncidentRepository,
  file: string,
  before: string | undefined,
  after: string,
  message: string,
  isNew: boolean,
  authorDate?: number,
): Promise<string> {
  await refuseUnsafePath(repo, file);
  const path = join(repo.root, file);
  await replaceFile(path, after);
  let commit: string;
  try {
    commit = await commitFile(repo.git, file, message, isNew, authorDate);
  } catch (error) {
    await restore(repo, path, file, before, error as Error);
    throw error;
  }
  await warnIfDetached(repo, commit);
  return commit;
}

/** A commit on a detached HEAD is on no branch: the next checkout can leave it behind. */
async function warnIfDetached(repo: IncidentRepository, commit: string): Promise<void> {
  const branch = await repo.git
    .run(['symbolic-ref', '--quiet', 'HEAD'], { read: true, okCodes: [1] })
    .catch(() => undefined);
  if (branch?.code !== 1) return;
  repo.logger.warn(
    `commit ${commit.slice(0, 10)} was made on a detached HEAD and is on no branch; ` +
      'keep it with `git switch -c <new-branch>` before checking anything else out',
  );
}

/**
 * Refuses, before anything is written, a path git cannot hold as a record: one inside the
 * git directory, or one reached through a symbolic link. git stores a link as a link, so a
 * write through it changes a file elsewhere (perhaps outside the repository) and commits
 * nothing, or fails with "beyond a symbolic link" after the file was written.
 */
export async function refuseUnsafePath(repo: IncidentRepository, file: string): Promise<void> {
  const parts = file.split('/');
  if (parts.some((part) => part.toLowerCase() === '.git')) {
    throw new TransitionError(
      `${file} is inside the git directory, where git keeps no files; nothing was written. ` +
        'Set `directory:` in .incidents.yml to a folder of the working tree',
    );
  }
  for (let i = 1; i <= parts.length; i++) {
    const part = parts.slice(0, i).join('/');
    const info = await lstat(join(repo.root, part)).catch(() => undefined);
    if (!info) return; // not there yet: this write creates it
    if (!info.isSymbolicLink()) continue;
    throw new TransitionError(
      `${part} is a symbolic link: git would store the link, not the record, so nothing was ` +
        'written. Replace the link with the real file or folder, or set `directory:` in ' +
        '.incidents.yml to the folder it points to',
    );
  }
}

async function restore(
  repo: IncidentRepository,
  path: string,
  file: string,
  before: string | undefined,
  cause: Error,
): Promise<void> {
  try {
    if (before !== undefined) {
      await replaceFile(path, before);
      repo.logger.warn(`${file}: not committed (${cause.message}); the file was put back`);
      return;
    }
    // A file this command created: nothing of the user's is in it, and left behind it would
    // be an untracked record that the next attempt duplicates under another id.
    await repo.git
      .run(['rm', '--cached', '--quiet', '--ignore-unmatch', '--', file])
      .catch(() => undefined);
    await rm(path, { force: true });
    repo.logger.warn(`${file}: not committed (${cause.message}); the new file was removed`);
  } catch {
    repo.logger.error(
      `${file}: changed but not committed, and could not be put back: ` +
        'review it with `git diff` and commit or restore it',
    );
  }
}

/**
 * The file's text, refusing bytes that are not UTF-8: read leniently they become U+FFFD, and
 * writing the step back would replace them in the body (an ISO-8859-1 `é`, say) for good.
 */
function utf8Text(file: string, bytes: Buffer): string {
  const text = bytes.toString('utf8');
  const back = Buffer.from(text, 'utf8');
  if (back.equals(bytes)) return text;
  let at = 0;
  while (at < bytes.length && bytes[at] === back[at]) at++;
  const line = bytes.subarray(0, at).toString('latin1').split('\n').length;
  throw new TransitionError(
    `${file} is not valid UTF-8 (line ${line}, byte ${at}); a step would rewrite those bytes, ` +
      'so nothing was written: save the file as UTF-8, commit it, then try again',
  );
}

/** The record must be committed as it is, or this step would carry the user's edits along. */
async function refuseUncommitted(repo: IncidentRepository, file: string): Promise<void> {
  const state = await uncommittedState(repo.git, file);
  if (!state) return;
  // A command killed inside `git commit` leaves git's own lock too; without this the person
  // learns about it only from the next git command they try.
  const lock = join(await repo.gitDir(), 'index.lock');
  const locked = await stat(lock).then(
    () => true,
    () => false,
  );
  throw new TransitionError(
    `${file} has uncommitted changes (${state.slice(0, 2).trim()}); ` +
      'commit or stash them first (`git diff -- <file>` shows them). If an earlier ' +
      'git-incidents command was interrupted, review the change and commit or restore it' +
      (locked
        ? `. ${lock} exists as well: if no git process is running, the interrupted ` +
          'command left it behind; remove it first'
        : ''),
  );
}

function checkStillValid(repo: IncidentRepository, file: string, content: string): void {
  const result = readRecord(file, content, repo.readOptions);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (result.incident && errors.length === 0) return;
  throw new ProblemError(
    `${file}: the change would leave an invalid record; nothing written`,
    errors,
  );
}

/** The commit message: the transition as subject, details, and machine-readable trailers. */
export function commitMessage(id: string, plan: StepPlan, time: StepTime): string {
  // User text (an escalation's target is in the subject) must stay on its line: a line
  // break would start a second subject line or forge `Incident-Id:` trailers.
  const oneLine = (text: string) => text.replace(/\r\n|[\r\n]/g, ' ');
  const lines = [oneLine(plan.subject), ''];
  lines.push(...plan.details.map(oneLine));
  if (time.backdated) lines.push(`Back-dated: ${formatTimestamp(time.at)} (given with --at)`);
  if (plan.details.length > 0 || time.backdated) lines.push('');
  lines.push(`Incident-Id: ${id}`, `Incident-Transition: ${plan.from} -> ${plan.to}`);
  return `${lines.join('\n')}\n`;
}
