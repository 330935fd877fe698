/**
 * An incident repository: its root, its settings, and the records in its working tree.
 * Loading never stops at a bad file: each one becomes problems and the rest still load.
 */
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { mapLimit } from './concurrency';
import { scanVersion } from './frontMatterScan';
import { Git, GitError } from './git';
import type { Logger } from './log';
import { loadPolicy, parsePolicy, type Policy, POLICY_FILE, zoneForOffsetless } from './policy';
import { defaultPolicy } from './policyDefaults';
import type { Problem } from './problem';
import { type Incident, type RecordResult, readRecord } from './record';

/** The records of a repository, with every problem found while reading them. */
export interface RecordSet {
  incidents: Incident[];
  problems: Problem[];
  /** Files that could not be read as records. */
  invalid: string[];
}

// Enough parallel reads to hide file-system latency, few enough to stay clear of EMFILE.
const READ_CONCURRENCY = 64;

/** A repository opened for incident work. */
export class IncidentRepository {
  readonly git: Git;

  private constructor(
    readonly root: string,
    readonly policy: Policy,
    readonly policyProblems: Problem[],
    readonly logger: Logger,
    private readonly gitDirectory: string,
    private readonly directoryOverride?: string,
  ) {
    this.git = new Git(root, logger);
  }

  /**
   * The same repository with the settings `.incidents.yml` had at `commit` (the defaults
   * where it had none): a report on a revision uses that revision's targets and calendar,
   * never the working tree's uncommitted edits.
   */
  async atRevision(commit: string): Promise<IncidentRepository> {
    const shown = await this.git.run(['cat-file', 'blob', `${commit}:${POLICY_FILE}`], {
      read: true,
      okCodes: [128],
    });
    const { policy, problems } =
      shown.code === 0 ? parsePolicy(shown.stdout) : { policy: defaultPolicy(), problems: [] };
    const directory = this.directoryOverride ?? policy.directory;
    const linked = await linkedFolder(this.root, directory);
    return new IncidentRepository(
      this.root,
      { ...policy, directory },
      [...problems, ...linked],
      this.logger,
      this.gitDirectory,
      this.directoryOverride,
    );
  }

  /**
   * Opens the repository that contains `dir`; throws GitError when there is none.
   * `overrides.directory` replaces the records folder of `.incidents.yml` (an editor setting).
   */
  static async open(
    dir: string,
    logger: Logger,
    overrides: { directory?: string } = {},
  ): Promise<IncidentRepository> {
    const probe = new Git(dir, logger);
    const top = await probe.run(['rev-parse', '--show-toplevel', '--absolute-git-dir'], {
      read: true,
    });
    const [root, gitDir] = top.stdout.trim().split('\n');
    const { policy, problems } = await loadPolicy(root);
    const directory = overrides.directory?.trim().replace(/\\/g, '/').replace(/\/+$/, '');
    const inside =
      directory && !/^([A-Za-z]:)?\//.test(directory) && !directory.split('/').includes('..');
    if (directory && !inside) {
      logger.warn(
        `records folder ${directory} is outside the repository; ${policy.directory} used`,
      );
    }
    const effective = inside ? { ...policy, directory } : policy;
    const linked = await linkedFolder(root, effective.directory);
    return new IncidentRepository(
      root,
      effective,
      [...problems, ...linked],
      logger,
      gitDir,
      inside ? directory : undefined,
    );
  }

  /** The absolute path of the git directory (`.git`, or a worktree's own). */
  async gitDir(): Promise<string> {
    return this.gitDirectory;
  }

  /** The records folder, relative to the root, with forward slashes. */
  get directory(): string {
    return this.policy.directory.replace(/\\/g, '/').replace(/\/+$/, '');
  }

  /** The options record validation needs from the settings. */
  get readOptions() {
    return {
      timezone: zoneForOffsetless(this.policy),
      priorities: Object.keys(this.policy.priorities),
    };
  }

  /** Reads every record in the working tree's records folder. */
  async loadWorkingTree(): Promise<RecordSet> {
    return collect(await this.readWorkingTree(), this.policyProblems);
  }

  /**
   * Reads each record file of the working tree on its own, before duplicate ids are looked
   * for; an editor passes these to `collect` with the text of unsaved documents swapped in.
   */
  async readWorkingTree(): Promise<RecordResult[]> {
    const files = await this.recordFiles();
    return mapLimit(files, READ_CONCURRENCY, (file) => this.readFile(file));
  }

  /** The record files of the working tree, relative to the root, with forward slashes. */
  async recordFiles(): Promise<string[]> {
    const files = await markdownFiles(join(this.root, this.directory));
    return files.map((path) => relative(this.root, path).split(sep).join('/'));
  }

  /** Reads one record file of the working tree. */
  async readFile(file: string): Promise<RecordResult> {
    try {
      const content = await readRecordText(this.root, file);
      return readRecord(file, content, this.readOptions);
    } catch (error) {
      const message = `cannot read the file: ${(error as Error).message}`;
      return { file, problems: [{ severity: 'error', file, message }] };
    }
  }

  /** Finds a record by id (or by a unique id suffix) in the working tree. */
  async find(idOrPath: string): Promise<{ incident: Incident }> {
    // Only the matching file is parsed in full: a quick scan of every file finds its id.
    const scanned = await this.scanFiles();
    const wanted = idOrPath.toLowerCase();
    const exact = scanned.filter((s) => s.id === idOrPath || s.file === idOrPath);
    const matches =
      exact.length > 0 ? exact : scanned.filter((s) => s.id?.toLowerCase().endsWith(wanted));
    const ids = new Set(matches.map((m) => m.id));
    if (ids.size > 1) {
      throw new Error(`${idOrPath}: it matches ${[...ids].join(', ')}; give the whole id`);
    }
    if (matches.length > 1) {
      const set = collect(matches.map((m) => readRecord(m.file, m.text ?? '', this.readOptions)));
      throw new RecordNotUsable(
        idOrPath,
        set.problems.filter((p) => p.severity === 'error'),
      );
    }
    if (matches.length === 1) return { incident: this.usable(idOrPath, matches[0]) };

    const unreadable = scanned.filter((s) => s.id === undefined && s.file.includes(idOrPath));
    const problems = unreadable.flatMap((s) =>
      readRecord(s.file, s.text ?? '', this.readOptions).problems.filter(
        (p) => p.severity === 'error',
      ),
    );
    if (problems.length > 0) throw new RecordNotUsable(idOrPath, problems);
    throw new Error(
      `${idOrPath}: no record has that id; \`git incidents list --all\` shows the ids`,
    );
  }

  /** The ids of the working tree's records, by a quick scan (no full parse). */
  async knownIds(): Promise<Set<string>> {
    const scanned = await this.scanFiles();
    return new Set(scanned.flatMap((s) => (s.id ? [s.id] : [])));
  }

  /** Every record file with its text and the id a quick scan finds in it. */
  private async scanFiles() {
    const files = await this.recordFiles();
    const texts = await mapLimit(files, READ_CONCURRENCY, (file) =>
      readRecordText(this.root, file).catch(() => undefined),
    );
    return files.map((file, i) => ({
      file,
      text: texts[i],
      id: texts[i] === undefined ? undefined : scanVersion(texts[i] as string)?.id,
    }));
  }

  private usable(idOrPath: string, match: { file: string; text?: string }): Incident {
    if (match.text === undefined) {
      throw new RecordNotUsable(idOrPath, [
        { severity: 'error', file: match.file, message: 'cannot read the file' },
      ]);
    }
    const result = readRecord(match.file, match.text, this.readOptions);
    if (result.incident) return result.incident;
    throw new RecordNotUsable(
      idOrPath,
      result.problems.filter((p) => p.severity === 'error'),
    );
  }
}

/** The record exists but cannot be read; its problems say why. */
export class RecordNotUsable extends Error {
  constructor(
    readonly id: string,
    readonly problems: Problem[],
  ) {
    super(
      `${id} cannot be changed until its problems are fixed: ` +
        problems.map((p) => `${p.file}:${p.line ?? 1}: ${p.message}`).join('; '),
    );
    this.name = 'RecordNotUsable';
  }
}

/** Turns per-file results into a set, reporting duplicate ids on every file that has one. */
export function collect(results: RecordResult[], extra: Problem[] = []): RecordSet {
  const problems = [...extra, ...results.flatMap((r) => r.problems)];
  const byId = new Map<string, Incident[]>();
  for (const incident of results.flatMap((r) => (r.incident ? [r.incident] : []))) {
    byId.set(incident.id, [...(byId.get(incident.id) ?? []), incident]);
  }
  const incidents: Incident[] = [];
  const invalid = results.filter((r) => !r.incident).map((r) => r.file);
  for (const [id, group] of byId) {
    if (group.length === 1) {
      incidents.push(group[0]);
      continue;
    }
    // Neither copy is trusted: picking one would silently drop the other's history.
    for (const incident of group) {
      const others = group.filter((o) => o !== incident).map((o) => o.file);
      problems.push({
        severity: 'error',
        file: incident.file,
        line: 2,
        field: 'id',
        message: `duplicate id \`${id}\`, also in ${others.join(', ')}`,
        expected: 'each record with its own id: give one of them a new id',
      });
      invalid.push(incident.file);
    }
  }
  incidents.sort((a, b) => a.file.localeCompare(b.file));
  return { incidents, problems, invalid };
}

/**
 * A record file's text. A symbolic link is refused: git stores the link, not the text, and
 * the text it points to may be outside the repository.
 */
async function readRecordText(root: string, file: string): Promise<string> {
  const path = join(root, file);
  if ((await lstat(path)).isSymbolicLink()) {
    throw new Error(
      'it is a symbolic link; a record must be the file itself (git keeps only the link): ' +
        'replace the link with the record',
    );
  }
  return readFile(path, 'utf8');
}

/**
 * A records folder reached through a symbolic link, as a problem: git stores the link, not
 * the records behind it, so their history and metrics would be silently empty.
 */
async function linkedFolder(root: string, directory: string): Promise<Problem[]> {
  const parts = directory.split('/').filter((part) => part && part !== '.');
  for (let i = 1; i <= parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    const info = await lstat(join(root, folder)).catch(() => undefined);
    if (!info) return [];
    if (!info.isSymbolicLink()) continue;
    const real = await realpath(join(root, directory)).catch(() => undefined);
    const target =
      real &&
      relative(await realpath(root), real)
        .split(sep)
        .join('/');
    const inside = target && !target.startsWith('..') && !isAbsolute(target);
    const message =
      `the records folder \`${directory}\` goes through the symbolic link \`${folder}\`: ` +
      'git stores the link, not the records behind it, so their history and metrics are ' +
      'empty and steps are refused. ' +
      (inside
        ? `Set \`directory: ${target}\` in .incidents.yml, or replace the link with the folder`
        : 'Move the records into the repository and replace the link with that folder');
    return [{ severity: 'error', file: folder, message }];
  }
  return [];
}

async function markdownFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })) as string[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new Error(
        `the records folder ${dir} is a file, not a folder: move that file away, or set ` +
          '`directory:` in .incidents.yml to the folder that holds the records',
      );
    }
    throw error;
  }
  return names
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(dir, name))
    .sort();
}

export { GitError };
