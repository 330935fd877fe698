/**
 * Starting incident work in a repository: a `.incidents.yml` with the format's documented
 * defaults, committed alone, so every setting is visible and editable from the first day.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { checkIdentity } from './commit';
import { POLICY_FILE } from './policy';
import type { IncidentRepository } from './repository';
import { writeAndCommit } from './steps';

/** The settings file a new repository starts with: the defaults, written out. */
export const POLICY_TEMPLATE = `# Git Incidents settings: see the record format, version 1.
version: 1
directory: incidents
timezone: UTC
business_hours: {days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}
holidays: []
priorities:
  P1: {name: Critical, respond: 15m, resolve: 4h}
  P2: {name: High, respond: 1h, resolve: 24h}
  P3: {name: Medium, respond: 1bd, resolve: 5bd}
  P4: {name: Low}
closure: {review_required: [P1, P2]}
`;

/**
 * Writes and commits `.incidents.yml` with the defaults; returns the commit, or undefined
 * when the file exists already (it is never overwritten).
 */
export async function initRepository(repo: IncidentRepository): Promise<string | undefined> {
  const path = join(repo.root, POLICY_FILE);
  const present = await access(path).then(
    () => true,
    () => false,
  );
  if (present) return undefined;

  await checkIdentity(repo.git);
  const message = 'Incident settings: .incidents.yml with the default priorities and SLAs\n';
  const commit = await writeAndCommit(repo, POLICY_FILE, undefined, POLICY_TEMPLATE, message, true);
  repo.logger.info(`${POLICY_FILE} created (${commit.slice(0, 10)})`);
  return commit;
}
