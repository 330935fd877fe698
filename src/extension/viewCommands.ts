/**
 * Commands about views rather than records: Group By, Open Metrics, Refresh, and creating
 * `.incidents.yml`; plus the `gitIncidents.activeRecord` context key that the editor title
 * menu matches to offer a record's allowed steps.
 */
import * as vscode from 'vscode';
import { initRepository } from '../core/init';
import { type GroupBy, GROUP_BYS, groupBySetting, saveGroupBy } from './config';
import { Disposable } from './disposable';
import type { ExtensionLog } from './logger';
import { MetricsPanel } from './metricsPanel';
import type { MetricsParams } from './metricsProtocol';
import type { IncidentModel } from './model';
import { noticeText } from './notice';
import { contextValueOf } from './recordPresentation';
import type { IncidentTree, TreeNode } from './tree';

/** Registers the view commands and keeps the active-record context key current. */
export class ViewCommands extends Disposable {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly model: IncidentModel,
    private readonly tree: IncidentTree,
    private readonly view: vscode.TreeView<TreeNode>,
    private readonly log: ExtensionLog,
  ) {
    super();
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.updateActiveRecord()));
    this.register(model.onDidChange(() => this.updateActiveRecord()));
  }

  commands(): vscode.Disposable[] {
    const command = vscode.commands.registerCommand;
    return [
      command('gitIncidents.groupBy', (arg?: unknown) => this.groupBy(arg)),
      command('gitIncidents.openMetrics', (arg?: unknown) => this.openMetrics(arg)),
      command('gitIncidents.refresh', () => this.model.refresh()),
      command('gitIncidents.init', () => this.init()),
    ];
  }

  /** Group By: the argument (`status`, `priority`, `service`, `team`) or a pick. */
  private async groupBy(arg: unknown): Promise<GroupBy | undefined> {
    let choice = GROUP_BYS.find((g) => g === arg);
    if (!choice) {
      const picked = await vscode.window.showQuickPick(
        GROUP_BYS.map((label) => ({
          label,
          description: label === this.tree.groupBy ? 'current' : undefined,
        })),
        { title: 'Group Incidents By', placeHolder: 'How to group the records' },
      );
      choice = picked?.label as GroupBy | undefined;
    }
    if (!choice) return undefined;
    this.apply(choice);
    await saveGroupBy(choice);
    return choice;
  }

  /** Follows a grouping changed in the settings editor. */
  followGroupBySetting(): void {
    this.apply(groupBySetting());
  }

  private apply(groupBy: GroupBy): void {
    if (groupBy === this.tree.groupBy) return;
    this.tree.setGroupBy(groupBy);
    this.view.description = `by ${groupBy}`;
  }

  private openMetrics(arg: unknown): MetricsPanel | undefined {
    if (!this.model.repo) {
      void vscode.window.showErrorMessage('Open Metrics: no incident repository in this window.');
      return undefined;
    }
    const params = typeof arg === 'object' && arg !== null ? (arg as MetricsParams) : undefined;
    const panel = MetricsPanel.show(this.extensionUri, this.model, this.log.for('metrics'), params);
    return panel;
  }

  /** Creates and commits `.incidents.yml` with the default settings. */
  private async init(): Promise<string | undefined> {
    const repo = this.model.repo;
    if (!repo) {
      const message = 'this folder is not a git repository: initialise one first (git init)';
      void vscode.window.showErrorMessage(`Create .incidents.yml: ${message}`);
      return undefined;
    }
    try {
      const commit = await initRepository(repo);
      await this.model.refresh();
      const uri = this.model.uriOf('.incidents.yml');
      await vscode.window.showTextDocument(uri, { preview: false });
      if (!commit) void vscode.window.showInformationMessage('.incidents.yml exists already.');
      return commit;
    } catch (error) {
      void vscode.window.showErrorMessage(
        noticeText(`Create .incidents.yml: ${(error as Error).message}`),
      );
      return undefined;
    }
  }

  private updateActiveRecord(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const incident = uri ? this.model.byUri(uri) : undefined;
    const value = incident ? contextValueOf(incident, this.model.stepsOf(incident)) : '';
    void vscode.commands.executeCommand('setContext', 'gitIncidents.activeRecord', value);
  }
}
