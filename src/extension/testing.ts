/**
 * Hooks for the integration tests, returned from `activate` only when the extension runs in
 * test mode (`ExtensionMode.Test`): what the tree shows, the status bar text, a file's
 * diagnostics, and the last message exchanged with the metrics page.
 */
import * as vscode from 'vscode';
import type { RecordDiagnostics } from './diagnostics';
import { MetricsPanel } from './metricsPanel';
import type { HostMessage, MetricsParams, PageMessage, PageProbe } from './metricsProtocol';
import type { IncidentModel } from './model';
import type { IncidentStatusBar } from './statusBar';
import type { IncidentTree, TreeNode } from './tree';

/** A tree item as the tests compare it. */
export interface ItemSnapshot {
  id?: string;
  label: string;
  description?: string;
  contextValue?: string;
  tooltip?: string;
  /** How VS Code may render a markdown tooltip: never trusted, no HTML, no icons here. */
  tooltipFlags?: { isTrusted: unknown; supportHtml: boolean; supportThemeIcons: boolean };
  children?: ItemSnapshot[];
}

/** The hooks. */
export interface TestingApi {
  refresh(): Promise<void>;
  tree(): Promise<ItemSnapshot[]>;
  statusBarText(): string;
  diagnostics(uri: vscode.Uri): Promise<readonly vscode.Diagnostic[]>;
  lastMetricsMessage(): HostMessage | undefined;
  lastMetricsRendered(): Extract<PageMessage, { type: 'rendered' }> | undefined;
  metricsHtml(): string | undefined;
  /** Sends a `compute` request as the page would; resolves to the reply posted for it. */
  metricsRequest(requestId: number, params: MetricsParams): Promise<HostMessage | undefined>;
  /** What the open metrics page holds, as it reports it; undefined without a page. */
  metricsProbe(): Promise<PageProbe | undefined>;
  /** When `activate` began and when its first load of the records was done (epoch ms). */
  startup(): { activatedAt: number; readyAt: number };
  /**
   * Builds what the view shows when it first opens, as VS Code asks for it: the roots and
   * the items of the groups that start expanded. Returns how many items that was.
   */
  firstPaint(): number;
  /** The tree item of one record, found without building every other item. */
  item(id: string): ItemSnapshot | undefined;
}

/** Builds the hooks over the live components. */
export function testingApi(parts: {
  model: IncidentModel;
  tree: IncidentTree;
  statusBar: IncidentStatusBar;
  diagnostics: RecordDiagnostics;
  startup: { activatedAt: number; readyAt: number };
}): TestingApi {
  MetricsPanel.probeEnabled = true;
  const snapshot = (node: TreeNode): ItemSnapshot => {
    const item = parts.tree.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const tooltip =
      typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? undefined);
    const children = parts.tree.getChildren(node);
    const markdown = typeof item.tooltip === 'object' ? item.tooltip : undefined;
    return {
      id: item.id,
      label,
      description: typeof item.description === 'string' ? item.description : undefined,
      contextValue: item.contextValue,
      tooltip,
      ...(markdown
        ? {
            tooltipFlags: {
              isTrusted: markdown.isTrusted ?? false,
              supportHtml: markdown.supportHtml ?? false,
              supportThemeIcons: markdown.supportThemeIcons ?? false,
            },
          }
        : {}),
      ...(children.length > 0 ? { children: children.map(snapshot) } : {}),
    };
  };
  return {
    refresh: () => parts.model.refresh(),
    tree: async () => parts.tree.getChildren().map(snapshot),
    statusBarText: () => parts.statusBar.text,
    diagnostics: async (uri) => parts.diagnostics.get(uri),
    lastMetricsMessage: () => MetricsPanel.instance?.lastPosted,
    lastMetricsRendered: () => MetricsPanel.instance?.lastRendered,
    metricsHtml: () => MetricsPanel.instance?.html,
    metricsRequest: async (requestId, params) => {
      const panel = MetricsPanel.instance;
      if (!panel) return undefined;
      await panel.receive({ type: 'compute', requestId, params });
      return panel.lastPosted;
    },
    metricsProbe: async () => MetricsPanel.instance?.probe(),
    startup: () => parts.startup,
    firstPaint: () => {
      let count = 0;
      for (const root of parts.tree.getChildren()) {
        const item = parts.tree.getTreeItem(root);
        count++;
        if (item.collapsibleState !== vscode.TreeItemCollapsibleState.Expanded) continue;
        for (const child of parts.tree.getChildren(root)) {
          parts.tree.getTreeItem(child);
          count++;
        }
      }
      return count;
    },
    item: (id) => {
      for (const group of parts.tree.getChildren()) {
        for (const child of parts.tree.getChildren(group)) {
          if (child.kind === 'incident' && child.incident.id === id) return snapshot(child);
        }
      }
      return undefined;
    },
  };
}
