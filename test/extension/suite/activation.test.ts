import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, root, testing, waitFor } from './support';

const COMMANDS = [
  'gitIncidents.newIncident',
  'gitIncidents.triage',
  'gitIncidents.acknowledge',
  'gitIncidents.escalate',
  'gitIncidents.resolve',
  'gitIncidents.close',
  'gitIncidents.reopen',
  'gitIncidents.showHistory',
  'gitIncidents.openMetrics',
  'gitIncidents.groupBy',
  'gitIncidents.refresh',
  'gitIncidents.init',
];

describe('activation', () => {
  it('opens the fixture workspace, a git repository with incidents', () => {
    assert.ok(existsSync(join(root(), '.incidents.yml')), `no .incidents.yml in ${root()}`);
    assert.ok(existsSync(join(root(), '.git')), `${root()} is not a git repository`);
  });

  it('activates from the workspace contents alone', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in the host`);
    // workspaceContains:.incidents.yml should activate it without anyone asking.
    await waitFor(() => extension.isActive, 'activation on a workspace with .incidents.yml');
  });

  it('registers every command', async () => {
    const commands = await vscode.commands.getCommands(true);
    const missing = COMMANDS.filter((command) => !commands.includes(command));
    assert.deepEqual(missing, []);
  });

  it('shows open P1/P2 records and breached deadlines in the status bar', async () => {
    const api = await testing();
    // Fixture: no open P1; one open P2 (INC-20260210-sso) long past its 24h target.
    assert.equal(api.statusBarText(), '$(flame) 0 P1 · 1 P2  $(error) 1 breached');
  });
});
