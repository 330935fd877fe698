// How the extension keeps its records current without reading them all: the records cache
// between sessions, and the files a move of HEAD changed.
import * as assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../src/core/log';
import { IncidentRepository } from '../../../src/core/repository';
import { RecordCache } from '../../../src/extension/recordCache';
import { git, testing, waitFor } from './support';

/** A logger that keeps the cache's "records: …" lines. */
function collecting(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string) => {
    if (message.startsWith('records: ')) lines.push(message);
  };
  return { lines, trace: keep, debug: keep, info: keep, warn: keep, error: keep };
}

/** As JSON has it: keys whose value is undefined left out, as the cache stores them. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('records cache', function () {
  this.timeout(30_000);
  let scratch = '';

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'git-incidents-records-'));
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('serves each record from the cache only while its file is unchanged', async () => {
    // A copy of the test workspace, free to edit; the cache in its own folder.
    const repoDir = join(scratch, 'repo');
    cpSync(join(git('rev-parse', '--show-toplevel').trim()), repoDir, { recursive: true });
    const logger = collecting();
    let repo = await IncidentRepository.open(repoDir, logger);
    const cache = new RecordCache(join(scratch, 'storage'), logger);
    const n = (await repo.recordFiles()).length;

    const first = await cache.readWorkingTree(repo);
    assert.deepEqual(plain(first), plain(await repo.readWorkingTree()));
    const second = await cache.readWorkingTree(repo);
    assert.deepEqual(plain(second), plain(first));

    // One file changed: only it is parsed again.
    const vpn = join(repoDir, 'incidents/2026/03/INC-20260302-vpn.md');
    appendFileSync(vpn, '\nMore notes.\n');
    const third = await cache.readWorkingTree(repo);
    assert.deepEqual(plain(third), plain(await repo.readWorkingTree()));

    // A front matter JSON cannot carry (`.nan`) is parsed every time.
    const nan = join(repoDir, 'incidents/2026/03/INC-20260309-nan.md');
    writeFileSync(
      nan,
      readFileSync(vpn, 'utf8')
        .replace('id: INC-20260302-vpn', 'id: INC-20260309-nan')
        .replace('---\n\n', 'score: .nan\n---\n\n'),
    );
    const withNan = await cache.readWorkingTree(repo);
    await cache.readWorkingTree(repo);
    const record = withNan.find((r) => r.file.endsWith('nan.md'))?.incident;
    assert.ok(Number.isNaN(record?.data.score), JSON.stringify(record?.data));

    // Other settings (priorities are part of validation): everything is parsed again.
    const settings = join(repoDir, '.incidents.yml');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('  P4: {name: Low}\n', ''));
    repo = await IncidentRepository.open(repoDir, logger);
    await cache.readWorkingTree(repo);

    assert.deepEqual(logger.lines, [
      `records: 0 from the cache, ${n} parsed`,
      `records: ${n} from the cache, 0 parsed`,
      `records: ${n - 1} from the cache, 1 parsed`,
      `records: ${n} from the cache, 1 parsed`,
      `records: ${n} from the cache, 1 parsed`,
      `records: 0 from the cache, ${n + 1} parsed`,
    ]);
  });
});

describe('records after a move of HEAD', function () {
  this.timeout(30_000);

  it("shows the checked-out branch's version of a record, and back again", async () => {
    const api = await testing();
    const file = 'incidents/2026/03/INC-20260302-vpn.md';
    const title = async () => {
      const all = JSON.stringify(await api.tree());
      if (all.includes('VPN drops on the side branch')) return 'side';
      return all.includes('VPN drops every hour') && 'main';
    };
    const branch = git('branch', '--show-current').trim();
    git('checkout', '-q', '-b', 'bench-side');
    try {
      const path = join(git('rev-parse', '--show-toplevel').trim(), file);
      writeFileSync(
        path,
        readFileSync(path, 'utf8').replace(
          'title: VPN drops every hour',
          'title: VPN drops on the side branch',
        ),
      );
      git('commit', '-q', '-m', 'Side branch title', '--', file);
      await waitFor(async () => (await title()) === 'side', 'the side branch title');
      git('checkout', '-q', branch);
      await waitFor(async () => (await title()) === 'main', 'the title on the first branch');
    } finally {
      git('checkout', '-q', branch);
      git('branch', '-q', '-D', 'bench-side');
    }
  });
});
