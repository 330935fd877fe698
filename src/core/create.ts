/**
 * Logging a new record: a fresh id, a file in the records folder (by month unless the
 * settings say flat), front matter in the format's field order and the review template.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkIdentity } from './commit';
import { newId } from './ids';
import type { RecordType } from './record';
import { readRecord } from './record';
import type { IncidentRepository } from './repository';
import { ProblemError } from './problem';
import { refuseUnsafePath, type StepTime, writeAndCommit } from './steps';
import { formatTimestamp } from './time';
import { renderScalar } from './yamlText';

/** What the person logging an incident says about it. */
export interface NewRecord {
  title: string;
  type?: RecordType;
  priority?: string;
  category?: string;
  service?: string;
  reporter?: string;
  team?: string;
  startedAt?: number;
}

/** The sections a record's body starts with. */
export const BODY_TEMPLATE = [
  '## Summary',
  '',
  '## Impact',
  '',
  '## Timeline',
  '',
  '## Investigation',
  '',
  '## Resolution',
  '',
  '## Root cause',
  '',
  '## Lessons learned',
  '',
  '## Follow-up actions',
  '',
];

/** Logs a new record and commits it; returns its id, file and commit. */
export async function createRecord(repo: IncidentRepository, input: NewRecord, time: StepTime) {
  if (!input.title.trim()) throw new Error('a new record needs a title (--title)');
  if (input.startedAt !== undefined && input.startedAt > time.at) {
    throw new Error(
      'the impact cannot start after it was detected: --started-at is later than --at',
    );
  }
  await checkIdentity(repo.git);
  const ids = await repo.knownIds();
  const prefix =
    input.type === 'problem'
      ? 'PRB'
      : input.type === 'service-request'
        ? 'REQ'
        : repo.policy.idPrefix;
  const id = newId(prefix, time.at, (candidate) => ids.has(candidate));
  const file = recordPath(repo, id, time.at);

  const content = renderRecord(id, input, time.at, repo.policy.timezone);
  const check = readRecord(file, content, repo.readOptions);
  if (!check.incident) throw new ProblemError('the new record would not be valid', check.problems);
  if (await exists(join(repo.root, file))) throw new Error(`${file} already exists`);

  await refuseUnsafePath(repo, file);
  await mkdir(dirname(join(repo.root, file)), { recursive: true });
  const status = input.priority ? 'triaged' : 'logged';
  const trailer = `Incident-Id: ${id}\nIncident-Transition: none -> ${status}\n`;
  const backdated = time.backdated ? `Back-dated: ${formatTimestamp(time.at)}\n\n` : '';
  const message =
    `${id}: logged${input.priority ? ` as ${input.priority}` : ''}\n\n` +
    `Title: ${input.title.replace(/\r\n|[\r\n]/g, ' ')}\n${backdated}\n${trailer}`;
  const commit = await writeAndCommit(
    repo,
    file,
    undefined,
    content,
    message,
    true,
    time.backdated ? time.at : undefined,
  );
  repo.logger.debug(`${id}: logged in ${file} (${commit.slice(0, 10)})`);
  return { id, file, commit };
}

/** Where a new record goes: `<dir>/YYYY/MM/<id>.md`, or `<dir>/<id>.md` when flat. */
export function recordPath(repo: IncidentRepository, id: string, at: number): string {
  if (repo.policy.layout === 'flat') return `${repo.directory}/${id}.md`;
  const month = new Date(at).toISOString().slice(0, 7).replace('-', '/');
  return `${repo.directory}/${month}/${id}.md`;
}

/** The text of a new record: front matter in the format's order, then the template. */
export function renderRecord(id: string, input: NewRecord, at: number, zone = 'UTC'): string {
  const fields: [string, string | undefined][] = [
    ['id', id],
    ['title', input.title.replace(/\r?\n/g, ' ').trim()],
    ['type', input.type && input.type !== 'incident' ? input.type : undefined],
    ['status', input.priority ? 'triaged' : 'logged'],
    ['priority', input.priority],
    ['category', input.category],
    ['service', input.service],
    ['team', input.team],
    ['reporter', input.reporter],
    [
      'started_at',
      input.startedAt === undefined ? undefined : formatTimestamp(input.startedAt, zone),
    ],
    ['detected_at', formatTimestamp(at, zone)],
  ];
  const lines = fields
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([key, value]) => `${key}: ${renderScalar(value as string)}`);
  return ['---', ...lines, '---', '', ...BODY_TEMPLATE].join('\n');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
