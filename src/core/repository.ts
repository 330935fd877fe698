/**
 * An incident repository: its root, its settings, and the records in its working tree.
 * Loading never stops at a bad file: each one becomes problems and the rest still load.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Git, GitError } from './git';
import type { Logger } from './log';
import { loadPolicy, type Policy, zoneForOffsetless } from './policy';
import type { Problem } from './problem';
import { type Incident, type RecordResult, readRecord } from './record';

/** The records of a repository, with every problem found while reading them. */
export interface RecordSet {
  incidents: Incident[];
  problems: Problem[];
  /** Files that could not be read as records. */
  invalid: string[];
}

/** A repository opened for incident work. */
export class IncidentRepository {
  readonly git: Git;

  private constructor(
    readonly root: string,
    readonly policy: Policy,
    readonly policyProblems: Problem[],
    readonly logger: Logger,
    private readonly gitDirectory: string,
  ) {
    this.git = new Git(root, logger);
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
    return new IncidentRepository(root, effective, problems, logger, gitDir);
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
    const files = await markdownFiles(join(this.root, this.directory));
    const results: RecordResult[] = [];
    for (const path of files) {
      const file = relative(this.root, path).split(sep).join('/');
      results.push(await this.readFile(file));
    }
    return results;
  }

  /** Reads one record file of the working tree. */
  async readFile(file: string): Promise<RecordResult> {
    try {
      const content = await readFile(join(this.root, file), 'utf8');
      return readRecord(file, content, this.readOptions);
    } catch (error) {
      const message = `cannot read the file: ${(error as Error).message}`;
      return { file, problems: [{ severity: 'error', file, message }] };
    }
  }

  /** Finds a record by id (or by a unique id suffix) in the working tree. */
  async find(idOrPath: string): Promise<{ set: RecordSet; incident: Incident }> {
    const set = await this.loadWorkingTree();
    const exact = set.incidents.filter((i) => i.id === idOrPath || i.file === idOrPath);
    const matches =
      exact.length > 0
        ? exact
        : set.incidents.filter((i) => i.id.toLowerCase().endsWith(idOrPath.toLowerCase()));
    if (matches.length === 1) return { set, incident: matches[0] };

    const invalid = set.problems.filter((p) => p.severity === 'error' && p.file.includes(idOrPath));
    if (invalid.length > 0) {
      throw new RecordNotUsable(idOrPath, invalid);
    }
    const hint =
      matches.length > 1
        ? `it matches ${matches.map((i) => i.id).join(', ')}; give the whole id`
        : `no record has that id; \`git incidents list --all\` shows the ids`;
    throw new Error(`${idOrPath}: ${hint}`);
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

async function markdownFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })) as string[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(dir, name))
    .sort();
}

export { GitError };
