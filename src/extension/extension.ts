/**
 * Git Incidents in VS Code: the Incidents tree, lifecycle commands that commit through the
 * core, a status bar SLA clock, diagnostics for record files, a metrics webview, and
 * watchers that keep them current. Everything created here ends in `context.subscriptions`.
 */
import * as vscode from 'vscode';
import { LifecycleCommands } from './commands';
import { registerPostmortemCommand } from './postmortemCommand';
import { affects, logLevelSetting } from './config';
import { RecordDiagnostics } from './diagnostics';
import { HISTORY_SCHEME, HistoryDocuments } from './history';
import { ExtensionLog } from './logger';
import { MetricsPanel } from './metricsPanel';
import { IncidentModel } from './model';
import { IncidentStatusBar } from './statusBar';
import { testingApi, type TestingApi } from './testing';
import { IncidentTree } from './tree';
import { ViewCommands } from './viewCommands';
import { RepositoryWatcher } from './watcher';

/** What `activate` returns: the testing hooks, only when run by an integration test. */
export interface ExtensionApi {
  testing?: TestingApi;
}

/** Activates on a workspace with records or settings, on the view, or on a command. */
export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const activatedAt = Date.now();
  const log = new ExtensionLog('Git Incidents', logLevelSetting());
  const logger = log.for('extension');
  const model = new IncidentModel(log.for('model'), context.storageUri?.fsPath);
  const tree = new IncidentTree(model);
  const view = vscode.window.createTreeView('gitIncidents.records', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  view.description = `by ${tree.groupBy}`;
  const history = new HistoryDocuments();
  const lifecycle = new LifecycleCommands(model, log.for('commands'), history);
  const statusBar = new IncidentStatusBar(model);
  const diagnostics = new RecordDiagnostics(model, log.for('diagnostics'));
  const watcher = new RepositoryWatcher(model, log.for('watcher'));
  const viewCommands = new ViewCommands(context.extensionUri, model, tree, view, log);

  context.subscriptions.push(
    log,
    model,
    tree,
    view,
    history,
    statusBar,
    diagnostics,
    watcher,
    viewCommands,
    vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, history),
    ...lifecycle.commands(),
    ...viewCommands.commands(),
    { dispose: () => MetricsPanel.instance?.dispose() },
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affects(event, 'logLevel')) log.setLevel(logLevelSetting());
      if (affects(event, 'recordsFolder')) void model.refresh();
      if (affects(event, 'groupBy')) viewCommands.followGroupBySetting();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void model.refresh()),
  );

  registerPostmortemCommand(context, { model, logger: log.for('postmortem') });

  await model.refresh();
  const readyAt = Date.now();
  logger.info(
    `activated: ${model.state}${model.repo ? ` in ${model.repo.root}` : ''}` +
      ` (${model.set.incidents.length} record(s))`,
  );
  if (context.extensionMode !== vscode.ExtensionMode.Test) return {};
  const startup = { activatedAt, readyAt };
  return { testing: testingApi({ model, tree, statusBar, diagnostics, startup }) };
}

/** Nothing to release by hand: everything lives in `context.subscriptions`. */
export function deactivate(): void {}
