import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fileUri, root, testing, waitFor } from './support';

const BROKEN = 'incidents/2026/04/INC-20260401-broken.md';
const VPN = 'incidents/2026/03/INC-20260302-vpn.md';

function describe_(diagnostic: vscode.Diagnostic): string {
  const { start, end } = diagnostic.range;
  const severity = vscode.DiagnosticSeverity[diagnostic.severity];
  const range = `${start.line}:${start.character}-${end.line}:${end.character}`;
  return `${range} ${severity} ${diagnostic.message}`;
}

async function diagnosticsOf(file: string, what: string, match: (d: string[]) => boolean) {
  const api = await testing();
  let last: string[] = [];
  return waitFor(
    async () => {
      last = (await api.diagnostics(fileUri(file))).map(describe_);
      return match(last) && last;
    },
    () => `${what}; last seen: ${JSON.stringify(last)}`,
  );
}

describe('diagnostics', () => {
  it('marks an unknown priority on its own line, from the key to the end of the line', async () => {
    // Line 5 of the file (0-based 4) is `priority: P7`.
    const found = await diagnosticsOf(BROKEN, 'the P7 diagnostic', (d) => d.length > 0);
    assert.deepEqual(found, ['4:0-4:12 Error unknown priority `P7` — expected P1, P2, P3, P4']);
    const all = vscode.languages.getDiagnostics(fileUri(BROKEN));
    assert.equal(all[0]?.source, 'git-incidents');
  });

  it('follows unsaved typing: a bad status appears on its line, and goes when undone', async () => {
    const editor = await vscode.window.showTextDocument(fileUri(VPN));
    const line = editor.document.lineAt(3);
    assert.equal(line.text, 'status: triaged');
    await editor.edit((edit) => edit.replace(line.range, 'status: triagd'));

    const found = await diagnosticsOf(VPN, 'the typed status', (d) => d.length > 0);
    assert.deepEqual(found, [
      '3:0-3:14 Error unknown status `triagd` — expected logged, triaged, investigating, ' +
        'resolved, closed',
    ]);

    await vscode.commands.executeCommand('workbench.action.files.revert');
    await diagnosticsOf(VPN, 'the diagnostic to clear', (d) => d.length === 0);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('reports merge-conflict markers on their lines when such a file appears', async () => {
    const file = 'incidents/2026/04/conflicted.md';
    const vpn = readFileSync(join(root(), VPN), 'utf8');
    assert.ok(vpn.includes('status: triaged\n'), vpn);
    const text = vpn.replace(
      'status: triaged\n',
      '<<<<<<< HEAD\nstatus: triaged\n=======\nstatus: investigating\n>>>>>>> theirs\n',
    );
    writeFileSync(join(root(), file), text);
    try {
      // No refresh asked for: the records-folder watcher has to notice the new file.
      const found = await diagnosticsOf(file, 'conflict markers', (d) => d.length === 3);
      assert.deepEqual(
        found.map((d) => d.split(' ').slice(0, 2).join(' ')),
        ['3:0-3:12 Error', '5:0-5:7 Error', '7:0-7:14 Error'],
      );
      assert.match(found[0], /merge-conflict marker `<<<<<<< HEAD`/);
    } finally {
      rmSync(join(root(), file));
    }
    await diagnosticsOf(file, 'the deleted file to lose its diagnostics', (d) => d.length === 0);
  });

  it('reports a duplicate id on the id line of both files', async () => {
    const copy = 'incidents/2026/04/copy-of-typo.md';
    const original = 'incidents/2026/03/INC-20260305-typo.md';
    writeFileSync(join(root(), copy), readFileSync(join(root(), original), 'utf8'));
    try {
      for (const file of [original, copy]) {
        const found = await diagnosticsOf(file, `duplicate id in ${file}`, (d) => d.length > 0);
        assert.equal(found.length, 1);
        assert.match(found[0], /^1:0-1:21 Error duplicate id `INC-20260305-typo`, also in /);
      }
    } finally {
      rmSync(join(root(), copy));
    }
    await diagnosticsOf(original, 'the duplicate to clear', (d) => d.length === 0);
  });
});
