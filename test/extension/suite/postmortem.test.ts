import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { commitCount, git, root } from './support';

describe('post-incident review command', () => {
  it('scaffolds the review and links it from the record, in one commit of both files', async () => {
    const before = commitCount();
    const outcome = (await vscode.commands.executeCommand('gitIncidents.postmortem', {
      id: 'INC-20260210-sso',
    })) as { ok: boolean; review?: string; commit?: string; message?: string };
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(commitCount(), before + 1);

    const changed = git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort();
    assert.deepEqual(changed, [outcome.review, 'incidents/2026/02/INC-20260210-sso.md'].sort());
    const record = readFileSync(join(root(), 'incidents/2026/02/INC-20260210-sso.md'), 'utf8');
    assert.match(record, new RegExp(`^postmortem: ${outcome.review}$`, 'm'));
    const review = readFileSync(join(root(), outcome.review ?? ''), 'utf8');
    assert.match(review, /## Timeline/);
    assert.match(review, /## Follow-up actions/);
  });
});
