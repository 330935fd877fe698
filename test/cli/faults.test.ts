import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, TEST_GIT_ENV, TempRepo } from '../support/gitRepo';

const POLICY = 'version: 1\ntimezone: UTC\n';

function recordText(id: string, status = 'triaged', extra = ''): string {
  return (
    `---\nid: ${id}\ntitle: Record ${id}\nstatus: ${status}\npriority: P3\n` +
    `detected_at: 2026-03-01T09:00:00Z\n${extra}---\n## Summary\n`
  );
}

function json(result: { code: number; stdout: string; stderr: string }) {
  try {
    return JSON.parse(result.stdout);
  } catch {
    assert.fail(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}

/** The ids `list --all --format json` shows. */
function listed(root: string, env: NodeJS.ProcessEnv = {}): string[] {
  return json(cli(['list', '--all', '--format', 'json'], root, env)).map(
    (r: { id: string }) => r.id,
  );
}

describe('CLI on damaged records and unusual repositories', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  const extra: string[] = [];
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('.incidents.yml', POLICY);
    repo.write('incidents/good-1.md', recordText('INC-GOOD-1'));
    repo.write('incidents/good-2.md', recordText('INC-GOOD-2'));
  });
  afterEach(() => {
    repo.remove();
    for (const dir of extra.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Asserts that the damaged file is reported once, clearly, and the others still work. */
  function assertRestStillWorks(file: string, message: RegExp) {
    const list = cli(['list', '--all', '--format', 'json'], repo.root);
    assert.deepEqual(
      json(list).map((r: { id: string }) => r.id),
      ['INC-GOOD-1', 'INC-GOOD-2'],
    );
    assert.match(list.stderr, new RegExp(`${file}:\\d+`));
    assert.match(list.stderr, message);
    const metrics = json(cli(['metrics', '--format', 'json', '--no-cache'], repo.root));
    assert.equal(metrics.overall.count, 2);
    assert.ok(metrics.problems.some((p: { file: string }) => p.file === file));
    assert.ok(metrics.warnings.some((w: string) => /left out/.test(w)));
    const ack = cli(['ack', 'INC-GOOD-1'], repo.root);
    assert.equal(ack.code, 0, ack.stderr);
  }

  it('a record with merge-conflict markers is reported on its lines; the rest work', () => {
    repo.write(
      'incidents/conflict.md',
      '---\nid: INC-C\ntitle: c\n<<<<<<< HEAD\nstatus: resolved\n=======\nstatus: closed\n' +
        '>>>>>>> other\npriority: P3\n---\n',
    );
    repo.commitAll('records');
    assertRestStillWorks('incidents/conflict.md', /merge-conflict marker `<<<<<<< HEAD`/);
    const ack = cli(['ack', 'INC-C'], repo.root);
    assert.equal(ack.code, 1);
    assert.match(ack.stderr, /merge-conflict marker/);
  });

  it('a record half-written by a crash (no closing ---) is reported; the rest work', () => {
    const full = recordText('INC-CUT');
    repo.write('incidents/cut.md', full.slice(0, full.indexOf('priority')));
    repo.write('incidents/empty.md', '');
    repo.commitAll('records');
    assertRestStillWorks('incidents/cut.md', /no closing `---` line \(the file may be truncated\)/);
    const ack = cli(['ack', 'INC-CUT'], repo.root);
    assert.equal(ack.code, 1);
    assert.match(ack.stderr, /cut\.md.*truncated|no record has that id/);
  });

  it('a record whose bytes are not UTF-8 is never rewritten with replacement characters', () => {
    const latin1 = Buffer.concat([
      Buffer.from(recordText('INC-LATIN')),
      Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a]), // "Café" in ISO-8859-1
    ]);
    repo.write('incidents/latin.md', latin1);
    repo.commitAll('records');
    const ack = cli(['ack', 'INC-LATIN'], repo.root);
    assert.equal(ack.code, 1, ack.stdout);
    assert.match(ack.stderr, /not valid UTF-8/);
    assert.match(ack.stderr, /latin\.md/);
    assert.deepEqual(readFileSync(join(repo.root, 'incidents/latin.md')), latin1, 'bytes kept');
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it('a commit refused by a pre-commit hook puts the record back byte for byte', () => {
    repo.commitAll('records');
    repo.write('.git/hooks/pre-commit', '#!/bin/sh\necho "policy: no commits today" >&2\nexit 1\n');
    chmodSync(join(repo.root, '.git/hooks/pre-commit'), 0o755);
    const before = readFileSync(join(repo.root, 'incidents/good-1.md'));
    const ack = cli(['ack', 'INC-GOOD-1'], repo.root);
    assert.equal(ack.code, 1);
    assert.match(ack.stderr, /policy: no commits today/);
    assert.deepEqual(readFileSync(join(repo.root, 'incidents/good-1.md')), before);
    assert.equal(repo.git('status', '--porcelain'), '');
    const created = cli(['new', '--title', 'Blocked', '--priority', 'P3'], repo.root);
    assert.equal(created.code, 1);
    assert.equal(repo.git('status', '--porcelain', '--untracked-files=all'), '', 'no stray file');
  });

  it('a git failure that explains itself on stdout is reported with that explanation', () => {
    repo.commitAll('records');
    // A commit-msg hook can make git stop after printing only to stdout.
    repo.write('.git/hooks/commit-msg', '#!/bin/sh\necho "rejected by commit-msg"\nexit 1\n');
    chmodSync(join(repo.root, '.git/hooks/commit-msg'), 0o755);
    const ack = cli(['ack', 'INC-GOOD-2'], repo.root);
    assert.equal(ack.code, 1);
    assert.match(ack.stderr, /rejected by commit-msg/);
    assert.doesNotMatch(ack.stderr, /failed \(1\): \n/);
  });

  it('a commit git declines with its reason on stdout only is reported with that reason', () => {
    // A clean filter that gives back the committed text: git sees nothing to commit and
    // says so on stdout, with an empty stderr.
    repo.write('.gitattributes', 'incidents/good-2.md filter=frozen\n');
    repo.commitAll('records');
    repo.git('config', 'filter.frozen.clean', 'git show HEAD:incidents/good-2.md');
    const before = repo.read('incidents/good-2.md');
    const ack = cli(['ack', 'INC-GOOD-2'], repo.root);
    assert.equal(ack.code, 1);
    assert.match(ack.stderr, /git commit failed \(1\): .*nothing (added )?to commit/);
    assert.equal(repo.read('incidents/good-2.md'), before, 'put back');
  });

  describe('a records folder that is a symbolic link', () => {
    beforeEach(() => {
      rmSync(join(repo.root, 'incidents'), { recursive: true });
      repo.write('ops/records/INC-LINKED.md', recordText('INC-LINKED'));
      symlinkSync('ops/records', join(repo.root, 'incidents'));
      repo.commitAll('records behind a link');
    });

    it('is reported with what to do, instead of metrics silently counting nothing', () => {
      const metrics = cli(['metrics', '--format', 'json', '--no-cache'], repo.root);
      const report = json(metrics);
      const problem = report.problems.find((p: { file: string }) => p.file === 'incidents');
      assert.ok(problem, JSON.stringify(report.problems));
      assert.match(problem.message, /symbolic link/);
      assert.match(problem.message, /directory: ops\/records/);
      const list = cli(['list', '--all'], repo.root);
      assert.match(list.stderr, /incidents.*symbolic link/);
    });

    it('a step or a new record is refused before anything is written', () => {
      const ack = cli(['ack', 'INC-LINKED'], repo.root);
      assert.equal(ack.code, 1);
      assert.match(ack.stderr, /symbolic link/);
      assert.match(repo.read('ops/records/INC-LINKED.md'), /^status: triaged$/m);
      const created = cli(['new', '--title', 'Behind the link', '--priority', 'P3'], repo.root);
      assert.equal(created.code, 1);
      assert.match(created.stderr, /symbolic link/);
      assert.equal(repo.git('status', '--porcelain', '--untracked-files=all'), '');
    });
  });

  it('a records folder that is a file: one message naming what to do; metrics still run', () => {
    rmSync(join(repo.root, 'incidents'), { recursive: true });
    repo.write('incidents', 'not a folder\n');
    repo.commitAll('a file where the folder should be');
    for (const args of [['list'], ['new', '--title', 't', '--priority', 'P3'], ['ack', 'X']]) {
      const run = cli(args, repo.root);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /records folder .*incidents is a file, not a folder/);
      assert.match(run.stderr, /set `directory:` in \.incidents\.yml/);
      assert.doesNotMatch(run.stderr, /ENOTDIR/);
    }
    assert.equal(cli(['metrics'], repo.root).code, 0);
  });

  describe('a repository without commits', () => {
    it('list, metrics and new work; show explains a record not committed yet', () => {
      const list = cli(['list'], repo.root);
      assert.equal(list.code, 0, list.stderr);
      const metrics = cli(['metrics', '--format', 'json'], repo.root);
      assert.equal(metrics.code, 0, metrics.stderr);
      assert.equal(json(metrics).revision, null);
      assert.match(metrics.stderr, /no commits to report on yet/);
      const show = cli(['show', 'INC-GOOD-1'], repo.root);
      assert.equal(show.code, 0, show.stderr);
      assert.match(show.stdout, /no commits touch this record yet/);
      const created = cli(['new', '--title', 'The very first', '--priority', 'P3'], repo.root);
      assert.equal(created.code, 0, created.stderr);
      assert.equal(repo.git('rev-list', '--count', 'HEAD').trim(), '1');
      assert.equal(
        repo.git('show', '--name-only', '--format=', 'HEAD').trim(),
        created.stdout.split(/\s+/)[1],
      );
    });
  });

  describe('a detached HEAD', () => {
    it('steps still commit, with a warning naming how to keep the commit', () => {
      repo.commitAll('records');
      repo.git('checkout', '-q', '--detach');
      const ack = cli(['ack', 'INC-GOOD-1'], repo.root);
      assert.equal(ack.code, 0, ack.stderr);
      assert.match(ack.stderr, /detached HEAD/);
      assert.match(ack.stderr, /git switch -c/);
      assert.match(repo.git('show', 'HEAD:incidents/good-1.md'), /^status: investigating$/m);
      const metrics = cli(['metrics', '--format', 'json'], repo.root);
      assert.equal(metrics.code, 0, metrics.stderr);
    });
  });

  describe('git without an identity', () => {
    it('steps and new records fail before writing, naming the fix; reading still works', () => {
      const bare = new TempRepo({ identity: false });
      extra.push(bare.root);
      bare.write('.incidents.yml', POLICY);
      bare.write('incidents/a.md', recordText('INC-A'));
      bare.gitAt('2026-03-01T00:00:00Z', 'add', '-A');
      execFileSync('git', ['commit', '-q', '-m', 'records'], {
        cwd: bare.root,
        env: {
          ...TEST_GIT_ENV,
          GIT_AUTHOR_NAME: 'x',
          GIT_AUTHOR_EMAIL: 'x@y',
          GIT_COMMITTER_NAME: 'x',
          GIT_COMMITTER_EMAIL: 'x@y',
        },
      });
      const home = mkdtempSync(join(tmpdir(), 'git-incidents-home-'));
      extra.push(home);
      const env = {
        HOME: home,
        XDG_CONFIG_HOME: home,
        GIT_CONFIG_GLOBAL: '/dev/null',
        EMAIL: undefined,
      };
      for (const args of [
        ['ack', 'INC-A'],
        ['new', '--title', 'x', '--priority', 'P3'],
      ]) {
        const run = cli(args, bare.root, env);
        assert.equal(run.code, 1, `${args[0]}: ${run.stdout}`);
        assert.match(run.stderr, /git has no identity: run `git config user\.name/);
        assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      }
      assert.equal(bare.git('status', '--porcelain', '--untracked-files=all'), '');
      assert.deepEqual(listed(bare.root, env), ['INC-A']);
      assert.equal(cli(['metrics'], bare.root, env).code, 0);
    });
  });

  describe('git missing from PATH', () => {
    it('every command says so in one line, and exits 1', () => {
      const empty = mkdtempSync(join(tmpdir(), 'git-incidents-path-'));
      extra.push(empty);
      for (const args of [['list'], ['metrics'], ['ack', 'INC-GOOD-1'], ['new', '--title', 't']]) {
        const run = cli(args, repo.root, { PATH: empty });
        assert.equal(run.code, 1, args.join(' '));
        assert.equal(
          run.stderr,
          `git-incidents ${args[0]}: git is not installed or not on PATH: install git\n`,
        );
      }
    });
  });

  describe('a repository git refuses for dubious ownership', () => {
    it('says so, naming the exact safe.directory command for this repository', () => {
      repo.commitAll('records');
      const env = { GIT_TEST_ASSUME_DIFFERENT_OWNER: '1' };
      for (const args of [['list'], ['ack', 'INC-GOOD-1'], ['metrics']]) {
        const run = cli(args, repo.root, env);
        assert.equal(run.code, 1);
        assert.match(run.stderr, /dubious ownership/);
        assert.ok(
          run.stderr.includes(`git config --global --add safe.directory ${repo.root}`),
          run.stderr,
        );
      }
      assert.match(repo.read('incidents/good-1.md'), /^status: triaged$/m);
    });
  });

  describe('commit messages and author names git stores as they came', () => {
    it('non-UTF-8 bytes and separator characters never shift or break history', () => {
      repo.commitAll('records', '2026-03-01T09:00:00Z');
      const file = 'incidents/good-1.md';
      repo.write(file, recordText('INC-GOOD-1', 'investigating'));
      repo.git('add', file);
      // Raw Latin-1 bytes (no encoding header), and the unit and record separators, in the
      // author's name and email and in the message; printf, as JS strings would be UTF-8.
      const sh = (script: string, date: string) =>
        execFileSync('sh', ['-c', script], {
          cwd: repo.root,
          env: { ...TEST_GIT_ENV, GIT_AUTHOR_DATE: date },
        });
      sh(
        'git commit -q --author="$(printf \'Ren\\351 \\037 \\036 X <a\\037b@example.invalid>\')" ' +
          '-m "$(printf \'caf\\351\\036\\037: x\')"',
        '2026-03-01T09:30:00Z',
      );
      repo.write(file, recordText('INC-GOOD-1', 'resolved', 'resolved_at: 2026-03-01T10:00:00Z\n'));
      repo.git('add', file);
      // Latin-1 with the header that says so: git log turns it into UTF-8.
      sh(
        'git -c i18n.commitEncoding=ISO-8859-1 commit -q ' +
          '--author="$(printf \'J\\374rgen <j@example.invalid>\')" -m "$(printf \'r\\351solu\')"',
        '2026-03-01T10:00:00Z',
      );

      const history = json(cli(['history', 'INC-GOOD-1', '--format', 'json'], repo.root));
      assert.deepEqual(
        history.events.map((e: { text: string; at: string }) => `${e.at} ${e.text}`),
        [
          '2026-03-01T09:00:00.000Z created → triaged',
          '2026-03-01T09:30:00.000Z triaged → investigating',
          '2026-03-01T10:00:00.000Z investigating → resolved',
        ],
      );
      const authors = history.events.map((e: { author: string }) => e.author);
      assert.equal(authors[2], 'Jürgen');
      assert.ok(authors[1].startsWith('Ren') && authors[1].endsWith('X'), authors[1]);
      const metrics = json(cli(['metrics', '--format', 'json', '--no-cache'], repo.root));
      assert.equal(metrics.overall.mtta.mean, 30);
      assert.equal(metrics.overall.resolved, 1);
    });
  });

  it('a records folder inside .git is refused rather than written to', () => {
    repo.write('.incidents.yml', `${POLICY}directory: .git/records\n`);
    repo.commitAll('records');
    const created = cli(['new', '--title', 'Hidden', '--priority', 'P3'], repo.root);
    assert.equal(created.code, 1);
    assert.match(created.stderr, /\.git/);
    assert.ok(!existsSync(join(repo.root, '.git', 'records')), 'nothing written in .git');
  });
});
