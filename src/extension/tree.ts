/**
 * The Incidents tree: records grouped by status, priority, service or team, and a
 * "Problems" group for files that cannot be read as records. Item ids are stable across
 * refreshes, so expansion and selection survive a teammate's pull.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { STATUSES, type Incident } from '../core/record';
import type { Problem } from '../core/problem';
import { type GroupBy, groupBySetting } from './config';
import { Disposable } from './disposable';
import { closeBidi } from './bidi';
import type { IncidentModel } from './model';
import { contextValueOf, descriptionOf, iconOf, tooltipOf } from './recordPresentation';

/** A node of the tree; commands receive these as their argument from menus. */
export type TreeNode =
  | { kind: 'group'; by: GroupBy; key: string; incidents: Incident[] }
  | { kind: 'incident'; incident: Incident; groupKey: string }
  | { kind: 'problems'; files: string[] }
  | { kind: 'problem'; file: string; problems: Problem[] };

const NONE = '(none)';
const TICK_MS = 60_000;

/** The tree data provider; ages in descriptions are redrawn every minute. */
export class IncidentTree extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  groupBy: GroupBy = groupBySetting();

  constructor(private readonly model: IncidentModel) {
    super();
    this.register(model.onDidChange(() => this.changed.fire(undefined)));
    const tick = setInterval(() => this.changed.fire(undefined), TICK_MS);
    this.register({ dispose: () => clearInterval(tick) });
  }

  setGroupBy(groupBy: GroupBy): void {
    this.groupBy = groupBy;
    this.changed.fire(undefined);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.roots();
    if (node.kind === 'group') {
      return node.incidents.map((incident) => ({ kind: 'incident', incident, groupKey: node.key }));
    }
    if (node.kind === 'problems') {
      return node.files.map((file) => ({
        kind: 'problem',
        file,
        problems: this.model.set.problems.filter((p) => p.file === file),
      }));
    }
    return [];
  }

  private roots(): TreeNode[] {
    const groups = new Map<string, Incident[]>();
    for (const incident of this.model.set.incidents) {
      for (const key of keysOf(incident, this.groupBy)) {
        const group = groups.get(key);
        if (group) group.push(incident);
        else groups.set(key, [incident]);
      }
    }
    const order = groupOrder(this.groupBy, [...groups.keys()], this.priorities());
    const roots: TreeNode[] = order.map((key) => ({
      kind: 'group',
      by: this.groupBy,
      key,
      incidents: sortRecords(groups.get(key) ?? [], this.priorities()),
    }));
    const files = [
      ...new Set(this.model.set.problems.filter((p) => p.severity === 'error').map((p) => p.file)),
    ].sort();
    if (files.length > 0) roots.push({ kind: 'problems', files });
    return roots;
  }

  private priorities(): string[] {
    return Object.keys(this.model.repo?.policy.priorities ?? {});
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return this.groupItem(node);
      case 'incident':
        return this.incidentItem(node);
      case 'problems': {
        const item = new vscode.TreeItem('Problems', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'problems';
        item.description = `${node.files.length} file(s) cannot be read`;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.contextValue = 'problems';
        return item;
      }
      case 'problem':
        return this.problemItem(node);
    }
  }

  private groupItem(node: Extract<TreeNode, { kind: 'group' }>): vscode.TreeItem {
    const closed = node.by === 'status' && (node.key === 'resolved' || node.key === 'closed');
    const state = closed
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(closeBidi(node.key), state);
    item.id = `group/${node.by}/${node.key}`;
    item.description = String(node.incidents.length);
    item.contextValue = `group;by=${node.by}`;
    return item;
  }

  private incidentItem(node: Extract<TreeNode, { kind: 'incident' }>): vscode.TreeItem {
    const { incident } = node;
    const now = Date.now();
    const label = closeBidi(incident.title);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `incident/${this.groupBy}/${node.groupKey}/${incident.id}`;
    item.description = descriptionOf(incident, now);
    item.iconPath = iconOf(incident);
    item.contextValue = contextValueOf(incident, this.model.stepsOf(incident));
    const policy = this.model.repo?.policy;
    if (policy) item.tooltip = tooltipOf(incident, policy, now);
    item.command = {
      command: 'vscode.open',
      title: 'Open Record',
      arguments: [this.model.uriOf(incident.file)],
    };
    return item;
  }

  private problemItem(node: Extract<TreeNode, { kind: 'problem' }>): vscode.TreeItem {
    const first = node.problems.find((p) => p.severity === 'error') ?? node.problems[0];
    const name = closeBidi(basename(node.file));
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    item.id = `problem/${node.file}`;
    item.description = first ? `line ${first.line ?? 1}: ${closeBidi(first.message)}` : '';
    item.tooltip = new vscode.MarkdownString().appendText(
      node.problems.map((p) => `${p.file}:${p.line ?? 1}: ${p.message}`).join('\n'),
    );
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.contextValue = 'problem';
    const line = Math.max(0, (first?.line ?? 1) - 1);
    item.command = {
      command: 'vscode.open',
      title: 'Open File',
      arguments: [this.model.uriOf(node.file), { selection: new vscode.Range(line, 0, line, 0) }],
    };
    return item;
  }
}

function keysOf(incident: Incident, by: GroupBy): string[] {
  switch (by) {
    case 'status':
      return [incident.status];
    case 'priority':
      return [incident.priority ?? NONE];
    case 'service':
      return incident.services.length > 0 ? incident.services : [NONE];
    case 'team':
      return [incident.team ?? NONE];
  }
}

/** Lifecycle order for statuses, settings order for priorities, names for the rest. */
function groupOrder(by: GroupBy, keys: string[], priorities: string[]): string[] {
  const rank = (key: string) => {
    if (key === NONE) return Number.MAX_SAFE_INTEGER;
    if (by === 'status') return STATUSES.indexOf(key as Incident['status']);
    if (by === 'priority') {
      const at = priorities.indexOf(key);
      return at >= 0 ? at : priorities.length;
    }
    return 0;
  };
  return keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Highest priority first (settings order), then oldest detection first. */
function sortRecords(incidents: Incident[], priorities: string[]): Incident[] {
  const rank = (i: Incident) => {
    const at = priorities.indexOf(i.priority ?? '');
    return at >= 0 ? at : priorities.length;
  };
  const detected = (i: Incident) => i.times.detected_at ?? Number.MAX_SAFE_INTEGER;
  return [...incidents].sort(
    (a, b) => rank(a) - rank(b) || detected(a) - detected(b) || a.id.localeCompare(b.id),
  );
}
