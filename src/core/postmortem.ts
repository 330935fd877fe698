/**
 * `postmortem`: scaffolds a record's post-incident review and links it, in one commit that
 * holds exactly the new review and the record's new `postmortem:` line. An existing review
 * is never overwritten, and nothing of the user's is committed along.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { checkIdentity } from './commit';
import { commitFiles, refuseUnsafe } from './commitFiles';
import { applyChanges } from './frontMatter';
import { TransitionError } from './lifecycle';
import { ProblemError } from './problem';
import { readRecord } from './record';
import { lockRecord } from './recordLock';
import type { IncidentRepository } from './repository';
import { renderReview } from './reviewTemplate';
import { reviewTimeline } from './reviewTimeline';

/** What `postmortem` made. */
export interface PostmortemResult {
  id: string;
  record: string;
  review: string;
  commit: string;
}

/**
 * Where reviews go: `reviews_directory` of `.incidents.yml`, else a `reviews` folder beside
 * the records folder (`incidents/` → `reviews/`, `ops/incidents/` → `ops/reviews/`).
 */
export function reviewsDirectory(repo: IncidentRepository): string {
  if (repo.policy.reviewsDirectory) return repo.policy.reviewsDirectory;
  const parent = posix.dirname(repo.directory);
  return parent === '.' ? 'reviews' : `${parent}/reviews`;
}

/** Checks a review path given by the user: inside the repository, a markdown file. */
export function checkReviewPath(path: string): string {
  const clean = posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '');
  if (clean.startsWith('/') || clean === '..' || clean.startsWith('../')) {
    throw new TransitionError(`${path} is outside the repository; give a path inside it`);
  }
  if (!clean.endsWith('.md')) {
    throw new TransitionError(`${path}: a review is a markdown file; give a path ending in .md`);
  }
  return clean;
}

/** Scaffolds the review of `idOrPath` at `out` (from the root) or the default path. */
export async function createPostmortem(
  repo: IncidentRepository,
  idOrPath: string,
  options: { out?: string } = {},
): Promise<PostmortemResult> {
  const { incident } = await repo.find(idOrPath);
  const review = checkReviewPath(options.out ?? `${reviewsDirectory(repo)}/${incident.id}.md`);
  if (incident.postmortem && incident.postmortem !== review) {
    throw new TransitionError(
      `${incident.id} already links a review: ${incident.postmortem}; edit that one, or ` +
        'remove the `postmortem:` line first',
    );
  }
  await checkIdentity(repo.git);

  const release = await lockRecord(await repo.gitDir(), incident.id);
  try {
    const before = await readFile(join(repo.root, incident.file), 'utf8');
    const current = readRecord(incident.file, before, repo.readOptions).incident ?? incident;
    const after = current.postmortem
      ? before
      : applyChanges(
          before,
          [{ kind: 'set', key: 'postmortem', value: review, after: LINK_AFTER }],
          incident.file,
        );
    checkStillValid(repo, incident.file, after);
    const text = renderReview({
      incident: current,
      reviewPath: review,
      timeline: await reviewTimeline(repo, current),
      timezone: repo.policy.timezone,
      priorityName: current.priority ? repo.policy.priorities[current.priority]?.name : undefined,
    });
    const changes = [
      { file: review, after: text },
      { file: incident.file, before, after },
    ];
    await refuseUnsafe(repo, changes);
    const message =
      `${incident.id}: post-incident review in ${review}\n\n` +
      `Incident-Id: ${incident.id}\nIncident-Review: ${review}\n`;
    // A record that already links this path (its review was deleted) is not changed.
    const changed = changes.filter((change) => change.before !== change.after);
    const commit = await commitFiles(repo, changed, message);
    repo.logger.debug(`${incident.id}: review ${review} (${commit.slice(0, 10)})`);
    return { id: incident.id, record: incident.file, review, commit };
  } finally {
    await release();
  }
}

// Next to the other closing fields, where `close --postmortem` puts it too.
const LINK_AFTER = ['resolved_at', 'closed_at', 'problem', 'resolution', 'root_cause'];

function checkStillValid(repo: IncidentRepository, file: string, content: string): void {
  const result = readRecord(file, content, repo.readOptions);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (result.incident && errors.length === 0) return;
  throw new ProblemError(`${file}: linking the review would leave an invalid record`, errors);
}
