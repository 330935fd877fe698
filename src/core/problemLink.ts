/**
 * `problem`: opens a problem record for the root cause several incidents share and links
 * them both ways — each incident gets `problem: <PRB-id>`, the problem lists `incidents:` —
 * in one commit holding exactly the new problem and those incidents.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkIdentity } from './commit';
import { commitFiles, type FileChange, refuseUnsafe } from './commitFiles';
import { recordPath, renderRecord } from './create';
import { applyChanges } from './frontMatter';
import { newId } from './ids';
import { TransitionError } from './lifecycle';
import { ProblemError } from './problem';
import { type Incident, readRecord } from './record';
import { lockRecord } from './recordLock';
import type { IncidentRepository } from './repository';
import { renderScalar } from './yamlText';

/** What the person opening a problem says about it. */
export interface NewProblem {
  title: string;
  rootCause?: string;
  priority?: string;
  at: number;
}

/** What `problem` made. */
export interface ProblemResult {
  id: string;
  file: string;
  incidents: string[];
  commit: string;
}

/** Opens a problem for the incidents `ids` and links them both ways, in one commit. */
export async function openProblem(
  repo: IncidentRepository,
  ids: string[],
  input: NewProblem,
): Promise<ProblemResult> {
  if (!input.title.trim()) throw new TransitionError('a problem needs a title (--title)');
  if (ids.length === 0) throw new TransitionError('name the incidents the problem is behind');
  const incidents = await findIncidents(repo, ids);
  await checkIdentity(repo.git);

  const set = await repo.loadWorkingTree();
  const taken = new Set(set.incidents.map((i) => i.id));
  const id = newId('PRB', input.at, (candidate) => taken.has(candidate));
  const file = recordPath(repo, id, input.at);
  const linked = incidents.map((i) => i.id);
  const content = problemText(repo, id, linked, input);
  checkValid(repo, file, content);

  const gitDir = await repo.gitDir();
  const releases: (() => Promise<void>)[] = [];
  try {
    // Always in id order, so two commands over overlapping incidents cannot deadlock.
    for (const incident of [...incidents].sort((a, b) => a.id.localeCompare(b.id))) {
      releases.push(await lockRecord(gitDir, incident.id));
    }
    const changes: FileChange[] = [{ file, after: content }];
    for (const incident of incidents) changes.push(await linkIncident(repo, incident, id));
    await refuseUnsafe(repo, changes);

    const status = input.priority ? 'triaged' : 'logged';
    const message =
      `${id}: problem behind ${linked.join(', ')}\n\n` +
      `Title: ${input.title.replace(/\r?\n/g, ' ')}\n\n` +
      `Incident-Id: ${id}\nIncident-Transition: none -> ${status}\n` +
      `Problem-Incidents: ${linked.join(', ')}\n`;
    const commit = await commitFiles(repo, changes, message);
    return { id, file, incidents: linked, commit };
  } finally {
    for (const release of releases.reverse()) await release();
  }
}

async function findIncidents(repo: IncidentRepository, ids: string[]): Promise<Incident[]> {
  const found: Incident[] = [];
  for (const wanted of ids) {
    const { incident } = await repo.find(wanted);
    if (found.some((i) => i.id === incident.id)) continue;
    if (incident.type !== 'incident') {
      throw new TransitionError(`${incident.id} is a ${incident.type}, not an incident`);
    }
    if (incident.problem) {
      throw new TransitionError(
        `${incident.id} is already linked to problem ${incident.problem}; ` +
          'unlink it first (remove its `problem:` line) or leave it out',
      );
    }
    found.push(incident);
  }
  return found;
}

/** The problem record: the standard new-record text plus `root_cause` and `incidents`. */
function problemText(
  repo: IncidentRepository,
  id: string,
  incidents: string[],
  input: NewProblem,
): string {
  const base = renderRecord(
    id,
    { title: input.title, type: 'problem', priority: input.priority },
    input.at,
    repo.policy.timezone,
  );
  const lines = [];
  if (input.rootCause?.trim()) {
    lines.push(`root_cause: ${renderScalar(input.rootCause.replace(/\r?\n/g, ' ').trim())}`);
  }
  // Ids are validated as letters, digits, `.`, `_` and `-`: safe as plain YAML scalars.
  lines.push('incidents:', ...incidents.map((i) => `  - ${i}`));
  const close = base.indexOf('\n---\n');
  return `${base.slice(0, close + 1)}${lines.join('\n')}\n${base.slice(close + 1)}`;
}

async function linkIncident(
  repo: IncidentRepository,
  incident: Incident,
  problem: string,
): Promise<FileChange> {
  const before = await readFile(join(repo.root, incident.file), 'utf8');
  const current = readRecord(incident.file, before, repo.readOptions).incident;
  if (current?.problem && current.problem !== problem) {
    throw new TransitionError(`${incident.id} was just linked to ${current.problem}`);
  }
  const after = applyChanges(
    before,
    [{ kind: 'set', key: 'problem', value: problem, after: PROBLEM_AFTER }],
    incident.file,
  );
  checkValid(repo, incident.file, after);
  return { file: incident.file, before, after };
}

// Where the sample records keep it: after the resolution times, before closing fields.
const PROBLEM_AFTER = ['detected_at', 'acknowledged_at', 'resolved_at'];

function checkValid(repo: IncidentRepository, file: string, content: string): void {
  const result = readRecord(file, content, repo.readOptions);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (result.incident && errors.length === 0) return;
  throw new ProblemError(`${file}: the change would leave an invalid record`, errors);
}
