import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

// `publisher.name` from package.json.
const EXTENSION_ID = 'git-incidents.git-incidents';

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return true;
}

describe('activation', () => {
  it('opens the fixture workspace, a git repository with incidents', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');

    const root = folder.uri.fsPath;
    assert.ok(existsSync(join(root, '.incidents.yml')), `no .incidents.yml in ${root}`);
    assert.ok(existsSync(join(root, '.git')), `${root} is not a git repository`);
  });

  it('finds the extension and activates it from the workspace contents alone', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in the host`);

    // workspaceContains:.incidents.yml should activate it without anyone asking.
    const activated = await waitFor(() => extension.isActive, 15_000);
    assert.ok(activated, 'the extension did not activate on a workspace with .incidents.yml');
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('gitIncidents.hello'), 'command gitIncidents.hello is missing');
  });
});
