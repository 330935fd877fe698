import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { commitCount, fileUri, git, root, testing } from './support';

type Outcome =
  | { ok: true; id: string; file: string; commit: string; subject: string }
  | { ok: false; reason: string; message?: string };

async function run(command: string, arg: Record<string, unknown>): Promise<Outcome> {
  return (await vscode.commands.executeCommand(command, arg)) as Outcome;
}

/** Runs a command that must make exactly one commit touching exactly `file`; returns its diff. */
async function oneCommit(command: string, arg: Record<string, unknown>, file?: string) {
  const before = commitCount();
  const outcome = await run(command, arg);
  assert.ok(outcome.ok, `${command} failed: ${JSON.stringify(outcome)}`);
  assert.equal(commitCount(), before + 1, `${command} made ${commitCount() - before} commits`);
  assert.equal(git('rev-parse', 'HEAD').trim(), outcome.commit);
  const changed = git('show', '--name-only', '--format=', 'HEAD').trim().split('\n');
  assert.deepEqual(changed, [file ?? outcome.file]);
  assert.match(git('show', '--stat', '--format=', 'HEAD'), /1 file changed/);
  assert.equal(git('status', '--porcelain', '--', outcome.file), '');
  return { outcome, diff: git('show', '--format=%s%n%b', 'HEAD') };
}

describe('lifecycle commands', () => {
  let id = '';
  let file = '';

  it('New Incident logs a record in one commit, back-dated when given a time', async () => {
    const { outcome, diff } = await oneCommit('gitIncidents.newIncident', {
      title: 'Payments API returns 500',
      priority: 'P2',
      category: 'deployment',
      service: 'payments-api',
      at: '2026-12-01T09:00:00Z',
    });
    assert.ok(outcome.ok);
    id = outcome.id;
    file = outcome.file;
    assert.match(id, /^INC-\d{8}-[a-z2-9]{6}$/);
    assert.match(file, new RegExp(`^incidents/\\d{4}/\\d{2}/${id}\\.md$`));
    assert.match(diff, new RegExp(`^${id}: logged as P2`));
    assert.match(id, /^INC-20261201-/);
    assert.ok(diff.includes('Back-dated: 2026-12-01T09:00:00Z'), diff);
    const lines = [
      '+status: triaged',
      '+priority: P2',
      '+service: payments-api',
      '+detected_at: 2026-12-01T09:00:00Z',
    ];
    for (const line of lines) {
      assert.ok(diff.includes(line), `${line} missing from\n${diff}`);
    }
    const tree = await (await testing()).tree();
    assert.ok(JSON.stringify(tree).includes(id), 'the new record is not in the tree');
  });

  it('Triage changes the priority in one commit', async () => {
    const { diff } = await oneCommit('gitIncidents.triage', { id, priority: 'P1' });
    assert.match(diff, new RegExp(`^${id}: priority P2 → P1`));
    assert.ok(diff.includes('-priority: P2\n+priority: P1'), diff);
  });

  it('Acknowledge moves it to investigating with the responder', async () => {
    const { diff } = await oneCommit('gitIncidents.acknowledge', { id, assignee: 'robin' });
    assert.match(diff, new RegExp(`^${id}: triaged → investigating`));
    assert.ok(diff.includes('-status: triaged\n+status: investigating'), diff);
    assert.match(diff, /\+acknowledged_at: \d{4}-\d{2}-\d{2}T/);
    assert.ok(diff.includes('+assignee: robin'), diff);
  });

  it('Escalate appends an escalation', async () => {
    const { diff } = await oneCommit('gitIncidents.escalate', {
      id,
      kind: 'hierarchical',
      to: 'head-of-ops',
      reason: 'customers cannot pay',
    });
    assert.match(diff, new RegExp(`^${id}: escalated \\(hierarchical\\) to head-of-ops`));
    assert.ok(diff.includes('+escalations:'), diff);
    assert.ok(diff.includes('kind: hierarchical'), diff);
  });

  it('Resolve records the resolution', async () => {
    const { diff } = await oneCommit('gitIncidents.resolve', {
      id,
      resolution: 'Rolled back the deploy',
    });
    assert.match(diff, new RegExp(`^${id}: investigating → resolved`));
    assert.match(diff, /\+resolved_at: \d{4}-\d{2}-\d{2}T/);
    assert.ok(diff.includes('+resolution: Rolled back the deploy'), diff);
  });

  it('Close refuses a P1 without a review, then closes with one', async () => {
    const before = commitCount();
    const refused = await run('gitIncidents.close', { id });
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : (refused.message ?? ''), /needs `postmortem`/);
    assert.equal(commitCount(), before);

    const { diff } = await oneCommit('gitIncidents.close', { id, postmortem: 'reviews/pay.md' });
    assert.match(diff, new RegExp(`^${id}: resolved → closed`));
    assert.ok(diff.includes('+postmortem: reviews/pay.md'), diff);
  });

  it('Reopen needs a reason once closed, and removes the resolution times', async () => {
    const missing = await run('gitIncidents.reopen', { id });
    assert.equal(missing.ok, false);

    const { diff } = await oneCommit('gitIncidents.reopen', { id, reason: 'errors came back' });
    assert.match(diff, new RegExp(`^${id}: closed → investigating \\(reopened\\)`));
    assert.match(diff, /-resolved_at: /);
    assert.match(diff, /-closed_at: /);
    assert.ok(diff.includes('Reason: errors came back'), diff);
  });

  it('a step the state does not allow is refused with the core message, no commit', async () => {
    const before = commitCount();
    const outcome = await run('gitIncidents.acknowledge', { id });
    assert.deepEqual(outcome, {
      ok: false,
      reason: 'failed',
      message: `${id} is investigating; only a logged or triaged record can be acknowledged`,
    });
    assert.equal(commitCount(), before);
  });

  it('Show History lists the transitions from git', async () => {
    const result = (await vscode.commands.executeCommand('gitIncidents.showHistory', { id })) as {
      ok: boolean;
      reopens: number;
      events: { text: string }[];
    };
    assert.ok(result.ok);
    assert.equal(result.reopens, 1);
    assert.deepEqual(
      result.events.filter((e) => !e.text.startsWith('escalated')).map((e) => e.text),
      [
        'created → triaged',
        'triaged → investigating',
        'investigating → resolved',
        'resolved → closed',
        'closed → investigating (reopened)',
      ],
    );
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'git-incidents-history');
    assert.match(editor?.document.getText() ?? '', /closed → investigating \(reopened\)/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

describe('commands from the editor title', () => {
  it('Show History takes the URI of the open record', async () => {
    const uri = fileUri('incidents/2026/01/INC-20260112-dbloop.md');
    const result = (await vscode.commands.executeCommand('gitIncidents.showHistory', uri)) as {
      ok: boolean;
      id: string;
      events: { text: string }[];
    };
    assert.equal(result.id, 'INC-20260112-dbloop');
    assert.deepEqual(
      result.events.map((e) => e.text),
      ['created → resolved'],
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

describe('unsaved edits guard', () => {
  const file = 'incidents/2026/03/INC-20260302-vpn.md';

  it('Acknowledge on a record with unsaved edits commits nothing and keeps the edits', async () => {
    const uri = fileUri(file);
    const onDisk = readFileSync(join(root(), file), 'utf8');
    const editor = await vscode.window.showTextDocument(uri);
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(end, '\nNotes typed but not saved.\n'));
    assert.ok(editor.document.isDirty);

    const before = commitCount();
    const outcome = await run('gitIncidents.acknowledge', { id: 'INC-20260302-vpn' });
    assert.deepEqual(outcome, { ok: false, reason: 'dirty' });
    assert.equal(commitCount(), before);
    assert.ok(editor.document.isDirty, 'the edit was saved or dropped');
    assert.ok(editor.document.getText().includes('Notes typed but not saved.'));
    assert.equal(readFileSync(join(root(), file), 'utf8'), onDisk);

    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
