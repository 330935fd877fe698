// Runs last (files load in name order): it adds twenty records that the suites counting the
// fixture's records by hand must not see.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, git, root } from './support';

const COUNT = 20;

function recordText(id: string): string {
  return [
    '---',
    `id: ${id}`,
    `title: Parallel ${id}`,
    'status: triaged',
    'priority: P3',
    'category: load',
    'detected_at: 2026-05-04T09:00:00Z',
    '---',
    '',
    '## Summary',
    '',
  ].join('\n');
}

/** Runs the built CLI in the workspace; resolves with its exit code and stderr. */
function cliAck(id: string): Promise<{ code: number; stderr: string }> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  const cli = join(extension.extensionPath, 'dist', 'cli.js');
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, 'ack', id, '--assignee', 'cli-user'], {
      cwd: root(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => done({ code: code ?? 1, stderr }));
  });
}

describe('extension commands and CLI processes at once', () => {
  it('twenty acks at once, half CLI and half extension: twenty commits, each its own', async () => {
    const ids = Array.from(
      { length: COUNT },
      (_, i) => `INC-20260504-par${String(i).padStart(3, '0')}`,
    );
    const fileOf = (id: string) => `incidents/2026/05/${id}.md`;
    mkdirSync(join(root(), 'incidents/2026/05'), { recursive: true });
    for (const id of ids) writeFileSync(join(root(), fileOf(id)), recordText(id));
    git('add', '--', 'incidents/2026/05');
    git('commit', '-q', '-m', 'Twenty records for the parallel test');
    const base = git('rev-parse', 'HEAD').trim();

    const runs = ids.map((id, i) =>
      i % 2 === 0
        ? cliAck(id).then((r) => ({ ok: r.code === 0, detail: r.stderr }))
        : Promise.resolve(
            vscode.commands.executeCommand('gitIncidents.acknowledge', {
              id,
              assignee: 'ext-user',
            }),
          ).then((r) => ({ ok: (r as { ok: boolean }).ok, detail: JSON.stringify(r) })),
    );
    const outcomes = await Promise.all(runs);
    outcomes.forEach((o, i) => assert.ok(o.ok, `${ids[i]}: ${o.detail}`));

    const made = git('rev-list', `${base}..HEAD`).trim().split('\n');
    assert.equal(made.length, COUNT);
    for (const commit of made) {
      const files = git('show', '--name-only', '--format=', commit).trim().split('\n');
      assert.equal(files.length, 1, `${commit} touches ${files.join(', ')}`);
      const id = files[0].match(/(INC-[^/]+)\.md$/)?.[1] ?? '';
      assert.match(
        git('log', '-1', '--format=%s', commit),
        new RegExp(`^${id}: triaged → investigating`),
      );
    }
    ids.forEach((id, i) => {
      const text = readFileSync(join(root(), fileOf(id)), 'utf8');
      assert.match(text, /^status: investigating$/m);
      assert.match(text, new RegExp(`^assignee: ${i % 2 === 0 ? 'cli-user' : 'ext-user'}$`, 'm'));
    });
    assert.equal(git('status', '--porcelain', '--', 'incidents'), '');
  });
});
