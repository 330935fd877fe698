/** The extension's settings, read in one place with their defaults and allowed values. */
import * as vscode from 'vscode';
import type { LogLevel } from '../core/log';

/** The settings section. */
export const SECTION = 'gitIncidents';

/** How the tree groups records. */
export type GroupBy = 'status' | 'priority' | 'service' | 'team';
export const GROUP_BYS: readonly GroupBy[] = ['status', 'priority', 'service', 'team'];

/** The log level setting: a core level, or off. */
export type LogSetting = LogLevel | 'off';
const LOG_SETTINGS: readonly LogSetting[] = ['trace', 'debug', 'info', 'warn', 'error', 'off'];

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

/** `gitIncidents.groupBy`, `status` when unset or unknown. */
export function groupBySetting(): GroupBy {
  const value = settings().get<string>('groupBy');
  return GROUP_BYS.includes(value as GroupBy) ? (value as GroupBy) : 'status';
}

/** Remembers the grouping: in the workspace when one is open, else for the user. */
export async function saveGroupBy(groupBy: GroupBy): Promise<void> {
  const target = vscode.workspace.workspaceFolders
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await settings().update('groupBy', groupBy, target);
}

/** `gitIncidents.recordsFolder`: overrides `directory` of `.incidents.yml` when set. */
export function recordsFolderSetting(): string | undefined {
  const value = settings().get<string>('recordsFolder')?.trim();
  return value ? value : undefined;
}

/** `gitIncidents.logLevel`, `info` when unset or unknown. */
export function logLevelSetting(): LogSetting {
  const value = settings().get<string>('logLevel');
  return LOG_SETTINGS.includes(value as LogSetting) ? (value as LogSetting) : 'info';
}

/** True when a configuration change touches one of the named settings. */
export function affects(event: vscode.ConfigurationChangeEvent, ...names: string[]): boolean {
  return names.some((name) => event.affectsConfiguration(`${SECTION}.${name}`));
}
