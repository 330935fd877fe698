/**
 * Every version of every cState issue file, oldest first, from one `git log --raw -M` of the
 * site's repository: each version with its commit, author and author date, renames followed
 * so a renamed file stays one incident, deletions kept as events.
 */
import { stat } from 'node:fs/promises';
import { readBlobs } from '../blobReader';
import { Git } from '../git';
import type { Logger } from '../log';
import { ImportInputError } from './source';

/** One commit that touched issue files. */
export interface SiteCommit {
  hash: string;
  at: number;
  author: string;
  email: string;
  subject: string;
  merge: boolean;
}

/** One version of one issue file (`text` undefined for a deletion). */
export interface FileVersion {
  /** The path the file was first added under: the incident's stable key. */
  key: string;
  path: string;
  commit: SiteCommit;
  text?: string;
  deleted: boolean;
}

/** What the walk found. */
export interface SiteHistory {
  versions: FileVersion[];
  merges: number;
  /** Merges whose result differs from every parent in an issue file. */
  mergeVersions: number;
}

// Header fields are NUL-separated like the rest: any other separator can occur in a name.
const FORMAT = '--format=%x1e%H%x00%at%x00%an%x00%ae%x00%P%x00%s';

/** Reads the history of `<dir>/*.md` in the repository at `repoPath`. */
export async function readSiteHistory(
  repoPath: string,
  dir: string,
  logger: Logger,
): Promise<SiteHistory> {
  const info = await stat(repoPath).catch(() => undefined);
  if (info?.isFile()) {
    const hint = repoPath.endsWith('.bundle') ? 'a git bundle: ' : 'a file: ';
    const clone = `clone it first (\`git clone ${repoPath} DIR\`) and import DIR`;
    throw new ImportInputError(repoPath, `is ${hint}${clone}`);
  }
  const git = new Git(repoPath, logger);
  await git.run(['rev-parse', '--verify', 'HEAD^{commit}'], { read: true }).catch(() => {
    throw new ImportInputError(repoPath, 'is not a git repository with commits (a cState site)');
  });
  // Default history simplification: versions only ever on a discarded branch are left out,
  // as they were never on the published page.
  const plain = await git.run(
    ['log', '--reverse', '--topo-order', '--no-merges', '-M', '--raw', '-z', '--no-abbrev'].concat([
      FORMAT,
      'HEAD',
      '--',
      `${dir}/`,
    ]),
    { read: true, timeoutMs: 600_000 },
  );
  // A merge that resolved a conflict by hand made a version no parent has: `--cc` shows it.
  const merged = await git.run(
    ['log', '--reverse', '--topo-order', '--merges', '--cc', '--raw', '-z', '--no-abbrev'].concat([
      FORMAT,
      'HEAD',
      '--',
      `${dir}/`,
    ]),
    { read: true, timeoutMs: 600_000 },
  );
  const count = await git.run(['rev-list', '--merges', '--count', 'HEAD'], { read: true });

  const own = parseRawLog(plain.stdout);
  // Each log numbers its own commits; a merge's versions go after the plain commits that
  // were authored before it.
  const fromMerges = parseRawLog(merged.stdout).map((change) => {
    const before = own.filter((c) => c.commit.at <= change.commit.at);
    return { ...change, order: Math.max(0, ...before.map((c) => c.order)) + 0.5 };
  });
  const changes = [...own, ...fromMerges]
    .filter((c) => c.path.startsWith(`${dir}/`) && c.path.endsWith('.md'))
    .sort((a, b) => a.order - b.order || a.commit.at - b.commit.at);
  const texts = await readBlobs(git, new Set(changes.flatMap((c) => (c.blob ? [c.blob] : []))));

  const keys = new Map<string, string>();
  const versions: FileVersion[] = [];
  for (const change of changes) {
    const key = (change.from && keys.get(change.from)) || keys.get(change.path) || change.path;
    if (change.from && change.from !== change.path) keys.delete(change.from);
    keys.set(change.path, key);
    versions.push({
      key,
      path: change.path,
      commit: change.commit,
      text: change.blob ? texts.get(change.blob) : undefined,
      deleted: change.blob === undefined,
    });
  }
  const mergeVersions = changes.filter((c) => c.commit.merge).length;
  return { versions, merges: Number(count.stdout.trim()), mergeVersions };
}

interface Change {
  commit: SiteCommit;
  order: number;
  path: string;
  from?: string;
  blob?: string;
}

/**
 * Parses `git log --raw -z` output, plain or combined (`--cc`). Tokens are NUL-separated: a
 * header is six tokens, the first starting with \x1e; `:modes shas status` is followed by
 * one path, or two for R and C;
 * a combined `::…` entry by one path. `order` numbers the commits in the output's order.
 */
export function parseRawLog(output: string): Change[] {
  const tokens = output.split('\0');
  const changes: Change[] = [];
  let commit: SiteCommit | undefined;
  let order = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i].replace(/^\n/, '');
    if (token.startsWith('\x1e')) {
      const hash = token.slice(1);
      const [at, author, email, parents, subject] = tokens.slice(i + 1, i + 6);
      i += 5;
      const merge = (parents ?? '').trim().split(' ').length > 1;
      commit = { hash, at: Number(at) * 1000, author, email, subject: subject ?? '', merge };
      order++;
      continue;
    }
    if (!token.startsWith(':') || !commit) continue;
    const combined = token.startsWith('::');
    const meta = token.replace(/^:+/, '').split(' ');
    const status = meta[meta.length - 1];
    const blob = meta[meta.length - 2];
    const gone = /^0+$/.test(blob ?? '') || status.startsWith('D');
    const twoPaths = !combined && /^[RC]/.test(status);
    const from = twoPaths ? tokens[++i] : undefined;
    const path = tokens[++i] ?? '';
    // A copy is a new file: it starts an incident of its own.
    const source = status.startsWith('C') ? undefined : from;
    changes.push({ commit, order, path, from: source, blob: gone ? undefined : blob });
  }
  return changes;
}
