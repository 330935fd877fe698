/**
 * The workspace's incident repository as the views see it: opened for the first workspace
 * folder, its records read from the working tree, and one change event for every view.
 * Reloads are serialised and coalesced: many events become one reload, and a burst of record
 * file events re-reads just those files (a full read of 10,000 records takes seconds). A move
 * of HEAD (commit, pull, checkout) re-reads the record files git says it changed.
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import * as vscode from 'vscode';
import { availableSteps, type StepKind } from '../core/availableSteps';
import type { Logger } from '../core/log';
import { POLICY_FILE } from '../core/policy';
import type { Incident, RecordResult } from '../core/record';
import { collect, IncidentRepository, type RecordSet } from '../core/repository';
import { recordsFolderSetting } from './config';
import { Disposable } from './disposable';
import { RecordCache } from './recordCache';

/** Where the workspace stands, for the welcome views (`gitIncidents.state`). */
export type ModelState = 'loading' | 'noFolder' | 'noRepository' | 'noRecords' | 'ready';

const EMPTY: RecordSet = { incidents: [], problems: [], invalid: [] };
const DEBOUNCE_MS = 300;

/** The repository, its records and what each record allows, refreshed on demand. */
export class IncidentModel extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires after every refresh. */
  readonly onDidChange = this.changed.event;

  state: ModelState = 'loading';
  repo: IncidentRepository | undefined;
  gitDir: string | undefined;
  /** Each record file's own result, before duplicate ids are looked for. */
  results: RecordResult[] = [];
  set: RecordSet = EMPTY;
  /** Why the repository could not be opened, for the log and the welcome view. */
  failure: string | undefined;

  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Work waiting for the next reload: everything, or these record files only. */
  private wantFull = false;
  private readonly wantFiles = new Set<string>();
  /** A git ref moved: re-read what changed between `head` and HEAD. */
  private wantGit = false;
  /** HEAD when the records were last read in full or brought up to date with git. */
  private head: string | undefined;

  private readonly cache: RecordCache;

  /** `storage`: a folder for the records cache (the workspace storage), if there is one. */
  constructor(
    private readonly logger: Logger,
    storage?: string,
  ) {
    super();
    this.cache = new RecordCache(storage, logger);
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  /** The folder the repository is looked for in. */
  get folder(): vscode.WorkspaceFolder | undefined {
    // Limitation: only the first workspace folder is used — one repository per window.
    return vscode.workspace.workspaceFolders?.[0];
  }

  /** Reloads everything now, or right after the reload in progress; resolves when fresh. */
  refresh(): Promise<void> {
    this.wantFull = true;
    return this.kick();
  }

  /** Re-reads the named record files (relative paths) only; resolves when fresh. */
  refreshFiles(files: string[]): Promise<void> {
    for (const file of files) this.wantFiles.add(file);
    return this.kick();
  }

  /**
   * Reloads a little later; bursts of events make one reload. With the URI of a record file
   * only that file is re-read; with one in the git directory (HEAD, refs), the record files
   * the move of HEAD changed; anything else (settings) reloads everything.
   */
  scheduleRefresh(changed?: vscode.Uri): void {
    const file = changed && this.isRecordFile(changed) ? this.fileOf(changed) : undefined;
    if (file) this.wantFiles.add(file);
    else if (changed && this.isGitFile(changed)) this.wantGit = true;
    else this.wantFull = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.kick(), DEBOUNCE_MS);
  }

  private kick(): Promise<void> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<void> {
    const full = this.wantFull || !this.repo;
    const files = [...this.wantFiles];
    const git = this.wantGit;
    this.wantFull = false;
    this.wantGit = false;
    this.wantFiles.clear();
    this.running = (full ? this.load() : this.sync(files, git))
      .catch((error: Error) => this.logger.error(`reload failed: ${error.stack ?? error}`))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Re-reads `files`, and with `git` the record files HEAD's move changed. */
  private async sync(files: string[], git: boolean): Promise<void> {
    const repo = this.repo;
    if (!repo) return;
    if (git) {
      const moved = await this.changedSinceHead(repo);
      if (!moved) return this.load();
      files.push(...moved);
    }
    await this.reread([...new Set(files)]);
  }

  /**
   * The record files that differ between the HEAD last seen and HEAD now, or undefined when
   * that cannot be told (no HEAD before or now, or git failed): then everything is read.
   */
  private async changedSinceHead(repo: IncidentRepository): Promise<string[] | undefined> {
    const before = this.head;
    try {
      const now = await headOf(repo);
      if (now === before) return [];
      if (!before || !now) return undefined;
      const diff = await repo.git.run(
        ['diff', '--name-only', '-z', '--no-renames', before, now, '--', repo.directory],
        { read: true },
      );
      this.head = now;
      return diff.stdout.split('\0').filter((file) => file.endsWith('.md'));
    } catch (error) {
      this.logger.debug(`diff since ${before} failed, reading everything: ${error}`);
      return undefined;
    }
  }

  private async reread(files: string[]): Promise<void> {
    const repo = this.repo;
    if (!repo || files.length === 0) return;
    const byFile = new Map(this.results.map((result) => [result.file, result]));
    for (const file of files) {
      if (existsSync(join(repo.root, file))) byFile.set(file, await repo.readFile(file));
      else byFile.delete(file);
    }
    const results = [...byFile.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
    this.update(results.length > 0 ? 'ready' : 'noRecords', repo, results);
    this.logger.debug(`re-read ${files.length} record file(s)`);
  }

  private async load(): Promise<void> {
    const started = Date.now();
    const folder = this.folder;
    if (!folder || folder.uri.scheme !== 'file') {
      this.update('noFolder', undefined, []);
      return;
    }
    let repo: IncidentRepository;
    try {
      repo = await IncidentRepository.open(folder.uri.fsPath, this.logger, {
        directory: recordsFolderSetting(),
      });
      this.gitDir = await repo.gitDir();
    } catch (error) {
      this.failure = (error as Error).message;
      this.logger.info(`no incident repository in ${folder.uri.fsPath}: ${this.failure}`);
      this.update('noRepository', undefined, []);
      return;
    }
    this.failure = undefined;
    // HEAD before the files: a commit landing while they are read is then re-read after.
    this.head = await headOf(repo).catch(() => undefined);
    const results = await this.cache.readWorkingTree(repo);
    this.update(results.length > 0 ? 'ready' : 'noRecords', repo, results);
    this.logger.debug(`loaded ${results.length} record file(s) in ${Date.now() - started} ms`);
  }

  private update(state: ModelState, repo: IncidentRepository | undefined, results: RecordResult[]) {
    if (this.isDisposed) return;
    this.state = state;
    this.repo = repo;
    this.results = results;
    this.set = repo ? collect(results, repo.policyProblems) : EMPTY;
    void vscode.commands.executeCommand('setContext', 'gitIncidents.state', state);
    const hasSettings = repo !== undefined && existsSync(join(repo.root, POLICY_FILE));
    void vscode.commands.executeCommand('setContext', 'gitIncidents.hasSettings', hasSettings);
    this.changed.fire();
  }

  /** The URI of a file given relative to the repository root. */
  uriOf(file: string): vscode.Uri {
    if (!this.repo) throw new Error('no incident repository is open');
    return vscode.Uri.file(join(this.repo.root, ...file.split('/')));
  }

  /** The path relative to the repository root of a file URI, or undefined outside it. */
  fileOf(uri: vscode.Uri): string | undefined {
    if (!this.repo || uri.scheme !== 'file') return undefined;
    const root = vscode.Uri.file(this.repo.root).fsPath;
    const path = uri.fsPath;
    if (!path.startsWith(root + sep)) return undefined;
    return path
      .slice(root.length + 1)
      .split(sep)
      .join('/');
  }

  /** True for a file inside the repository's git directory. */
  private isGitFile(uri: vscode.Uri): boolean {
    const gitDir = this.gitDir;
    if (!gitDir || uri.scheme !== 'file') return false;
    const dir = vscode.Uri.file(gitDir).fsPath;
    return uri.fsPath === dir || uri.fsPath.startsWith(dir + sep);
  }

  /** True for a markdown file inside the records folder. */
  isRecordFile(uri: vscode.Uri): boolean {
    const file = this.fileOf(uri);
    const dir = this.repo?.directory;
    if (!file || dir === undefined || !file.endsWith('.md')) return false;
    return dir === '.' || file.startsWith(`${dir}/`);
  }

  /** The valid record with this id, if any. */
  byId(id: string): Incident | undefined {
    return this.set.incidents.find((incident) => incident.id === id);
  }

  /** The valid record stored in the file at `uri`, if any. */
  byUri(uri: vscode.Uri): Incident | undefined {
    const file = this.fileOf(uri);
    return file ? this.set.incidents.find((incident) => incident.file === file) : undefined;
  }

  /** The lifecycle steps the record allows now. */
  stepsOf(incident: Incident): StepKind[] {
    const repo = this.repo;
    if (!repo) return [];
    return availableSteps(incident, Object.keys(repo.policy.priorities), {
      reviewRequired: repo.policy.closure.reviewRequired,
      timezone: repo.policy.timezone,
    });
  }
}

/** The commit HEAD names, or undefined before the first commit. */
async function headOf(repo: IncidentRepository): Promise<string | undefined> {
  const result = await repo.git.run(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], {
    read: true,
    okCodes: [1],
  });
  return result.stdout.trim() || undefined;
}
