/**
 * One pass over git history for every record at once: `git log --raw -z` lists each commit's
 * changed files under the records folder, and one `git cat-file --batch` reads the versions
 * while the log is still streaming. Records are followed by their `id`, so renames and moves
 * need no `--follow`. Times are author dates as instants (`%at`), never committer dates.
 */
import type { Git } from './git';
import { BlobReader } from './blobReader';
import { scanVersion } from './frontMatterScan';

/** One commit's view of one record. */
export interface Snapshot {
  commit: string;
  /** Author date, epoch ms. */
  at: number;
  author: string;
  email: string;
  subject: string;
  path: string;
  id: string;
  status?: string;
  assignee?: string;
  priority?: string;
  deleted: boolean;
  /** Position in git's walk, newest first; breaks ties between equal author dates. */
  seq: number;
}

/** What a walk found. */
export interface HistoryWalk {
  snapshots: Snapshot[];
  commits: number;
  /** Full text of the blobs asked for in `keepText`. */
  texts: Map<string, string>;
}

interface Change {
  commit: CommitHeader;
  path: string;
  blob: string;
  deleted: boolean;
}

interface CommitHeader {
  hash: string;
  at: number;
  author: string;
  email: string;
  subject: string;
  seq: number;
}

const ZERO = /^0+$/;
// Each field is its own NUL-ended token: git refuses NUL in names and messages, while any
// other separator (\x1f was used) can be in an author's name and shifted every field after it.
const FORMAT = '--format=%x1e%H%x00%at%x00%an%x00%ae%x00%s';
const HEADER_FIELDS = 5;

/**
 * Walks `range` (e.g. `HEAD`, or `old..HEAD`), reading every record version in `dir`, or
 * only in the files `paths` when given.
 */
export async function walkHistory(
  git: Git,
  range: string,
  dir: string,
  keepText: Set<string>,
  paths?: string[],
): Promise<HistoryWalk> {
  const reader = new BlobReader(git);
  const versions = new Map<string, Promise<string | undefined>>();
  const changes: Change[] = [];
  let commits = 0;

  const log = git.spawn([
    'log',
    '--raw',
    '-z',
    '--no-renames',
    '--no-abbrev',
    '--no-color',
    '--no-ext-diff',
    FORMAT,
    range,
    '--',
    ...(paths ?? [`${dir}/`]),
  ]);
  const stderr: Buffer[] = [];
  log.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const parser = new RawLogParser(
    (change) => {
      changes.push(change);
      if (!versions.has(change.blob)) versions.set(change.blob, reader.read(change.blob));
    },
    () => commits++,
  );

  for await (const chunk of log.stdout) parser.push(chunk as Buffer);
  const code: number = await new Promise((resolve) => {
    if (log.exitCode !== null) resolve(log.exitCode);
    else log.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    reader.close();
    throw new Error(`git log failed: ${Buffer.concat(stderr).toString().trim()}`);
  }
  for (const blob of keepText) {
    if (!versions.has(blob)) versions.set(blob, reader.read(blob));
  }
  reader.close();

  return {
    snapshots: await toSnapshots(changes, versions),
    commits,
    texts: await keptTexts(keepText, versions),
  };
}

async function toSnapshots(
  changes: Change[],
  versions: Map<string, Promise<string | undefined>>,
): Promise<Snapshot[]> {
  const scanned = new Map<string, ReturnType<typeof scanVersion>>();
  const snapshots: Snapshot[] = [];
  for (const change of changes) {
    if (!change.path.endsWith('.md')) continue;
    if (!scanned.has(change.blob)) {
      const text = await versions.get(change.blob);
      scanned.set(change.blob, text === undefined ? undefined : scanVersion(text));
    }
    const fields = scanned.get(change.blob);
    if (!fields?.id) continue;
    const { commit } = change;
    snapshots.push({
      commit: commit.hash,
      at: commit.at,
      author: commit.author,
      email: commit.email,
      subject: commit.subject,
      path: change.path,
      id: fields.id,
      status: fields.status,
      assignee: fields.assignee,
      priority: fields.priority,
      deleted: change.deleted,
      seq: commit.seq,
    });
  }
  return snapshots;
}

async function keptTexts(
  keep: Set<string>,
  versions: Map<string, Promise<string | undefined>>,
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const blob of keep) {
    const text = await versions.get(blob);
    if (text !== undefined) texts.set(blob, text);
  }
  return texts;
}

/**
 * Parses `git log --raw -z` output as it streams. Tokens are NUL-separated: a commit header
 * is five tokens, the first starting with \x1e; a raw entry is a `:modes shas status` token
 * followed by a path token.
 */
export class RawLogParser {
  private rest: Buffer = Buffer.alloc(0);
  private header: CommitHeader | undefined;
  private pending: string[] | undefined;
  /** The fields of a commit header read so far, until all of them have arrived. */
  private fields: string[] | undefined;
  private seq = 0;

  constructor(
    private readonly onChange: (change: Change) => void,
    private readonly onCommit: () => void,
  ) {}

  push(chunk: Buffer): void {
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (let nul = data.indexOf(0, start); nul >= 0; nul = data.indexOf(0, start)) {
      this.token(data.toString('utf8', start, nul));
      start = nul + 1;
    }
    this.rest = data.subarray(start);
  }

  private token(raw: string): void {
    if (this.fields) {
      // A header field, whatever it holds (a subject may start with `:` or \x1e).
      this.fields.push(raw);
      if (this.fields.length === HEADER_FIELDS) this.commitHeader(this.fields);
      return;
    }
    if (this.pending) {
      this.entry(this.pending, raw);
      this.pending = undefined;
      return;
    }
    const token = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (token.startsWith('\x1e')) this.fields = [token.slice(1)];
    else if (token.startsWith(':')) this.pending = token.slice(1).split(' ');
  }

  private commitHeader(parts: string[]): void {
    this.fields = undefined;
    this.header = {
      hash: parts[0],
      at: Number(parts[1]) * 1000,
      author: parts[2],
      email: parts[3],
      subject: parts[4],
      seq: this.seq++,
    };
    this.onCommit();
  }

  private entry(meta: string[], path: string): void {
    if (!this.header) return;
    const [, , oldBlob, newBlob, status] = meta;
    const deleted = status === 'D' || ZERO.test(newBlob ?? '');
    const blob = deleted ? oldBlob : newBlob;
    if (!blob || ZERO.test(blob)) return;
    this.onChange({ commit: this.header, path, blob, deleted });
  }
}
