/**
 * Live updates: file-system watchers on the records folder, `.incidents.yml`, and the git
 * directory's HEAD and refs, so a teammate's pulled commit or a branch switch refreshes
 * every view. The watchers follow the records folder when the settings move it.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { POLICY_FILE } from '../core/policy';
import { Disposable } from './disposable';
import type { IncidentModel } from './model';

/** Watches what the model is read from; recreates its watchers when the paths change. */
export class RepositoryWatcher extends Disposable {
  private watchers: vscode.Disposable[] = [];
  private watching = '';

  constructor(
    private readonly model: IncidentModel,
    private readonly logger: Logger,
  ) {
    super();
    this.register(model.onDidChange(() => this.follow()));
    this.register({ dispose: () => this.clear() });
    this.follow();
  }

  private follow(): void {
    const folder = this.model.folder;
    if (!folder) return;
    const repo = this.model.repo;
    const gitDir = this.model.gitDir;
    const key = `${folder.uri.toString()}|${repo?.root}|${repo?.directory}|${gitDir}`;
    if (key === this.watching) return;
    this.watching = key;
    this.clear();

    // Without a repository, watch the folder for the first records and settings to appear.
    const root = repo ? vscode.Uri.file(repo.root) : folder.uri;
    const directory = repo?.directory ?? 'incidents';
    const records = directory === '.' ? '**/*.md' : `${directory}/**/*.md`;
    this.watch(new vscode.RelativePattern(root, records), 'records');
    this.watch(new vscode.RelativePattern(root, POLICY_FILE), 'settings');
    if (gitDir) {
      // HEAD moves on checkout and commit; refs on pull, fetch and merge; packed-refs on gc.
      const refs = '{HEAD,packed-refs,refs/heads/**,refs/remotes/**,refs/tags/**}';
      this.watch(new vscode.RelativePattern(vscode.Uri.file(gitDir), refs), 'git');
    } else if (!repo) {
      this.watch(new vscode.RelativePattern(folder.uri, '.git/HEAD'), 'git');
    }
    this.logger.debug(`watching ${root.fsPath}: ${records}, ${POLICY_FILE}, git refs`);
  }

  private watch(pattern: vscode.RelativePattern, what: string): void {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const changed = (uri: vscode.Uri) => {
      this.logger.trace(`${what} changed: ${uri.fsPath}`);
      this.model.scheduleRefresh(uri);
    };
    watcher.onDidCreate(changed);
    watcher.onDidChange(changed);
    watcher.onDidDelete(changed);
    this.watchers.push(watcher);
  }

  private clear(): void {
    for (const watcher of this.watchers.splice(0)) watcher.dispose();
  }
}
