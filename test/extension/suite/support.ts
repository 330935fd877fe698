// Shared by the extension's integration suites: the extension's test hooks, git in the test
// workspace, and polling. Not a test file (only *.test.js are loaded as tests).
import { execFileSync } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** `publisher.name` from package.json. */
export const EXTENSION_ID = 'git-incidents.git-incidents';

/** The hooks `activate` returns in test mode (see src/extension/testing.ts). */
export interface ItemSnapshot {
  id?: string;
  label: string;
  description?: string;
  contextValue?: string;
  tooltip?: string;
  children?: ItemSnapshot[];
}
export interface TestingApi {
  refresh(): Promise<void>;
  tree(): Promise<ItemSnapshot[]>;
  statusBarText(): string;
  diagnostics(uri: vscode.Uri): Promise<readonly vscode.Diagnostic[]>;
  lastMetricsMessage(): { type: string; report?: Report; requestId?: number } | undefined;
  lastMetricsRendered(): { revision: string | null; figures: Record<string, string> } | undefined;
  metricsHtml(): string | undefined;
  metricsRequest(
    requestId: number,
    params: { since?: string; until?: string; asOf?: string },
  ): Promise<
    | { type: 'reply'; requestId: number; ok: true; report: Report }
    | { type: 'reply'; requestId: number; ok: false; error: string }
    | undefined
  >;
}

/** The part of the metrics report the tests read. */
export interface Block {
  count: number;
  open: number;
  resolved: number;
  mttr: { mean: number | null; median: number | null; p90: number | null; n: number };
  mtta: { mean: number | null; n: number };
  mttd: { mean: number | null; n: number };
  responseSla: { met: number; breached: number; pending: number; rate: number | null };
  resolutionSla: { met: number; breached: number; pending: number; rate: number | null };
  reopened: number | null;
  reopenRate: number | null;
}
export interface Report {
  revision: string | null;
  overall: Block;
  byPriority: Record<string, Block>;
  volume: { period: string; byCategory: Record<string, Record<string, number>> };
  problems: { file: string; line?: number; message: string }[];
}

/** The activated extension's test hooks. */
export async function testing(): Promise<TestingApi> {
  const extension = vscode.extensions.getExtension<{ testing?: TestingApi }>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in the host`);
  const api = await extension.activate();
  assert.ok(api.testing, 'the extension returned no test hooks: is it in test mode?');
  return api.testing;
}

/** The test workspace's folder. */
export function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}

/** The URI of a file given relative to the workspace. */
export function fileUri(file: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(root()), file);
}

/** Runs git in the workspace and returns its output. */
export function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: root(), encoding: 'utf8' });
}

/** The number of commits on HEAD. */
export function commitCount(): number {
  return Number(git('rev-list', '--count', 'HEAD').trim());
}

/** Waits until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  what: string | (() => string),
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

/** Every item under `items`, depth first. */
export function flatten(items: ItemSnapshot[]): ItemSnapshot[] {
  return items.flatMap((item) => [item, ...flatten(item.children ?? [])]);
}
