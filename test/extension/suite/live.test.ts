import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, root, testing, waitFor } from './support';

describe('live updates', () => {
  it("shows a teammate's pulled record without a refresh", async () => {
    const api = await testing();
    const clone = mkdtempSync(join(tmpdir(), 'git-incidents-teammate-'));
    try {
      const teammate = (...args: string[]) =>
        execFileSync('git', args, { cwd: clone, encoding: 'utf8' });
      execFileSync('git', ['clone', '-q', root(), clone]);
      teammate('config', 'user.name', 'Teammate');
      teammate('config', 'user.email', 'teammate@git-incidents.invalid');
      teammate('config', 'commit.gpgsign', 'false');
      const source = readFileSync(join(clone, 'incidents/2026/03/INC-20260302-vpn.md'), 'utf8');
      const record = source
        .replace('id: INC-20260302-vpn', 'id: INC-20261204-pulled')
        .replace('title: VPN drops every hour', 'title: Pulled from a teammate')
        // Detected today: the metrics suite counts the fixture's months only.
        .replace('detected_at: 2026-03-02T10:00:00Z', `detected_at: ${new Date().toISOString()}`);
      writeFileSync(join(clone, 'incidents/2026/03/INC-20261204-pulled.md'), record);
      teammate('add', '--', 'incidents/2026/03/INC-20261204-pulled.md');
      teammate('commit', '-q', '-m', 'INC-20261204-pulled: logged as P3');

      git('pull', '-q', '--ff-only', clone, 'HEAD');
      const item = await waitFor(async () => {
        const all = JSON.stringify(await api.tree());
        return all.includes('Pulled from a teammate') && all;
      }, 'the pulled record in the tree');
      assert.ok(item.includes('incident/status/triaged/INC-20261204-pulled'));
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});
