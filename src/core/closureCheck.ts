/**
 * Finding and reading a record's post-incident review for the closure rules: `close` reads
 * it before the step (`prepareClose`), `lint` reads it for every resolved and closed record
 * (`closureProblems`). The judging itself is pure, in closure.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { type ClosureReview, closureViolations, type ReviewSource } from './closure';
import { uncommittedState } from './commit';
import { splitFrontMatter } from './frontMatter';
import { hasReview, type Step } from './lifecycle';
import type { Problem } from './problem';
import type { Incident } from './record';
import type { IncidentRepository } from './repository';
import { parseYaml } from './yamlText';

type CloseStep = Extract<Step, { kind: 'close' }>;

/** True for a `postmortem` value that is a URL (`https://…`, `mailto:…`), not a path. */
export function isReviewUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value);
}

/**
 * Where a `postmortem` path points: from the repository root first (what `postmortem`
 * writes), else from the record's folder (what a hand-written relative link means).
 */
export async function resolveReviewPath(
  root: string,
  recordFile: string,
  value: string,
): Promise<{ path: string; state: 'ok' | 'missing' | 'outside' }> {
  const clean = value.trim().replace(/\\/g, '/').replace(/#.*$/, '');
  const candidates = [posix.normalize(clean), posix.join(posix.dirname(recordFile), clean)]
    .map((path) => path.replace(/^\.\//, ''))
    .filter((path) => !path.startsWith('/') && path !== '..' && !path.startsWith('../'));
  if (candidates.length === 0) return { path: clean, state: 'outside' };
  for (const path of candidates) {
    const found = await stat(join(root, path)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (found) return { path, state: 'ok' };
  }
  return { path: candidates[0], state: 'missing' };
}

/** Reads the review a record links (or holds in its body) as the closure rules see it. */
export async function readReviewSource(
  repo: IncidentRepository,
  incident: Incident,
  postmortem: string | undefined,
  options: { checkCommitted: boolean },
): Promise<ReviewSource> {
  if (postmortem === undefined || postmortem.trim() === '') {
    if (!hasReview(incident)) return { kind: 'none' };
    const text = await readFile(join(repo.root, incident.file), 'utf8');
    return { kind: 'body', file: incident.file, text: incident.body, firstLine: bodyLine(text) };
  }
  if (isReviewUrl(postmortem)) return { kind: 'url', url: postmortem };

  const { path, state } = await resolveReviewPath(repo.root, incident.file, postmortem);
  if (state !== 'ok') return { kind: 'file', path, state };
  const text = await readFile(join(repo.root, path), 'utf8');
  const dirty = options.checkCommitted && (await uncommittedState(repo.git, path)) !== '';
  return { kind: 'file', path, state: dirty ? 'uncommitted' : 'ok', text };
}

/** The close step with the review read, for `planStep` to judge under the closure rules. */
export async function prepareClose(
  repo: IncidentRepository,
  idOrPath: string,
  step: CloseStep,
): Promise<CloseStep> {
  const { incident } = await repo.find(idOrPath);
  const postmortem = step.postmortem ?? incident.postmortem;
  const source = await readReviewSource(repo, incident, postmortem, { checkCommitted: true });
  if (source.kind === 'url') {
    repo.logger.info(`${incident.id}: the review at ${postmortem} is a link; not checked`);
  }
  const review: ClosureReview = { rules: repo.policy.closure, source, postmortem };
  for (const v of closureViolations(incident, review, postmortem)) {
    if (v.advisory) repo.logger.warn(`${incident.id}: ${v.message}`);
  }
  return { ...step, review };
}

/**
 * The closure rules applied to records as they are: errors on closed records (closed
 * without meeting them, or changed since), warnings on resolved ones (what `close` will ask).
 */
export async function closureProblems(
  repo: IncidentRepository,
  incidents: Incident[],
): Promise<Problem[]> {
  const rules = repo.policy.closure;
  const problems: Problem[] = [];
  for (const incident of incidents) {
    const judged = incident.status === 'closed' || incident.status === 'resolved';
    if (!judged || !incident.priority || !rules.reviewRequired.includes(incident.priority)) {
      continue;
    }
    const { postmortem } = incident;
    const source = await readReviewSource(repo, incident, postmortem, { checkCommitted: false });
    const violations = closureViolations(incident, { rules, source, postmortem }, postmortem);
    if (violations.length === 0) continue;

    const text = await readFile(join(repo.root, incident.file), 'utf8').catch(() => '');
    const closed = incident.status === 'closed';
    for (const v of violations) {
      const line = v.line ?? (v.field ? fieldLine(text, v.field) : undefined);
      problems.push({
        severity: closed && !v.advisory ? 'error' : 'warning',
        file: v.file,
        line,
        field: v.field,
        message:
          closed || v.advisory ? v.message : `${incident.id} cannot be closed yet: ${v.message}`,
        expected: v.expected,
      });
    }
  }
  return problems;
}

/** Every problem `lint` reports: the records', the settings' and the closure rules'. */
export async function lintProblems(repo: IncidentRepository) {
  const set = await repo.loadWorkingTree();
  const problems = [...set.problems, ...(await closureProblems(repo, set.incidents))];
  return { set, problems };
}

/** The file line the body starts on. */
function bodyLine(text: string): number {
  const cut = splitFrontMatter(text, '');
  if (!cut.ok) return 1;
  const head = cut.split.text.slice(0, cut.split.text.length - cut.split.body.length);
  return head.split('\n').length;
}

/** The file line of a front-matter field, when it is there. */
export function fieldLine(text: string, field: string): number | undefined {
  const cut = splitFrontMatter(text, '');
  if (!cut.ok) return undefined;
  const entry = parseYaml(cut.split.yaml).entries.get(field);
  return entry ? entry.line + 1 : undefined;
}
