import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, PROJECT_ROOT, TEST_GIT_ENV, TempRepo } from '../support/gitRepo';

const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Every command a test starts, so none outlives its test (a failed assertion included).
const running: { child: ChildProcess; done: Promise<Run>; detached: boolean }[] = [];

/** Starts the CLI without waiting; `detached` puts it in its own process group. */
function start(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, detached = false) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...TEST_GIT_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? -1 : 1), stdout, stderr }),
    ),
  );
  running.push({ child, done, detached });
  return { child, done };
}

/** Waits for the commands a test started; ends (by PID) any still running after a while. */
async function settle(): Promise<void> {
  const all = running.splice(0);
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise((resolve) => {
    timer = setTimeout(resolve, 15_000);
  });
  await Promise.race([Promise.all(all.map((r) => r.done)), bound]);
  clearTimeout(timer);
  for (const { child, detached } of all) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(detached ? -child.pid : child.pid, 'SIGKILL');
    } catch {
      // It ended meanwhile.
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(path: string, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (existsSync(path)) return;
    await sleep(25);
  }
  assert.fail(`timed out waiting for ${what}`);
}

function recordText(id: string, title: string): string {
  return (
    `---\nid: ${id}\ntitle: ${title}\nstatus: triaged\npriority: P3\n` +
    'detected_at: 2026-03-01T09:00:00Z\n---\n## Summary\n'
  );
}

/** The commit id a lifecycle command printed: `… (file, commit 0123456789)`. */
function reportedCommit(stdout: string): string {
  const match = stdout.match(/commit ([0-9a-f]{10})\)/);
  assert.ok(match, `no commit in: ${stdout}`);
  return match[1];
}

/**
 * A pre-commit hook that announces itself and waits until the test lets it go (at most
 * 30 s, so a failed test never leaves it spinning).
 */
function blockingHook(repo: TempRepo): { started: string; release: string } {
  const started = join(repo.root, '.git', 'hook-started');
  const release = join(repo.root, '.git', 'hook-release');
  repo.write(
    '.git/hooks/pre-commit',
    `#!/bin/sh\ntouch '${started}'\ni=0\n` +
      `while [ ! -e '${release}' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\n`,
  );
  chmodSync(join(repo.root, '.git', 'hooks', 'pre-commit'), 0o755);
  return { started, release };
}

describe('CLI under concurrency and interruption', function () {
  this.timeout(180_000);
  let repo: TempRepo;
  const ids = Array.from({ length: 20 }, (_, i) => `INC-20260301-r${String(i).padStart(2, '0')}`);
  const fileOf = (id: string) => `incidents/2026/03/${id}.md`;

  beforeEach(() => {
    repo = new TempRepo();
    repo.write('.incidents.yml', 'version: 1\ntimezone: UTC\n');
    for (const [i, id] of ids.entries()) repo.write(fileOf(id), recordText(id, `Record ${i}`));
    repo.commitAll('records');
  });
  afterEach(async () => {
    writeFileSync(join(repo.root, '.git', 'hook-release'), '');
    await settle();
    repo.remove();
  });

  const commits = () => Number(repo.git('rev-list', '--count', 'HEAD'));

  it('twenty steps on twenty records at once: twenty commits, each its own change', async () => {
    const base = repo.git('rev-parse', 'HEAD').trim();
    const steps = ids.map((id, i) => {
      switch (i % 4) {
        case 0:
          return ['ack', id, '--assignee', `person-${i}`];
        case 1:
          return ['escalate', id, '--kind', 'functional', '--to', `team-${i}`, '--reason', 'r'];
        case 2:
          return ['resolve', id, '--resolution', `fixed ${i}`];
        default:
          return ['triage', id, '--priority', 'P1', '--assignee', `person-${i}`];
      }
    });
    const runs = await Promise.all(steps.map((args) => start(args, repo.root).done));

    for (const [i, run] of runs.entries()) assert.equal(run.code, 0, `${steps[i]}: ${run.stderr}`);
    assert.equal(commits(), 21);
    const made = repo.git('rev-list', `${base}..HEAD`).trim().split('\n');
    for (const [i, run] of runs.entries()) {
      // Each command reports its own commit, not whatever HEAD was when it looked.
      const commit = repo.git('rev-parse', reportedCommit(run.stdout)).trim();
      assert.ok(made.includes(commit), `${ids[i]}: reported ${commit} is not a new commit`);
      const files = repo.git('show', '--name-only', '--format=', commit).trim();
      assert.equal(files, fileOf(ids[i]), `${ids[i]}: its commit holds ${files}`);
      assert.match(repo.git('log', '-1', '--format=%s', commit), new RegExp(`^${ids[i]}: `));
    }
    assert.equal(new Set(runs.map((r) => reportedCommit(r.stdout))).size, 20);

    for (const [i, id] of ids.entries()) {
      const text = repo.read(fileOf(id));
      const expected = [
        /^status: investigating$[\s\S]*^assignee: person-\d+$/m,
        /^team: team-\d+$[\s\S]*^ {2}- at: /m,
        /^status: resolved$[\s\S]*^resolution: fixed \d+$/m,
        /^priority: P1$[\s\S]*^assignee: person-\d+$/m,
      ][i % 4];
      assert.match(text, expected, text);
      assert.match(text, new RegExp(`(person|team|fixed)[- ]${i}$`, 'm'));
      assert.equal(repo.git('show', `HEAD:${fileOf(id)}`), text, 'committed as on disk');
    }
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it('ten new records logged at once: ten commits, each adding its own file', async () => {
    const runs = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) => start(['new', '--title', `Parallel ${i}`, '--priority', 'P4'], repo.root).done,
      ),
    );
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    assert.equal(commits(), 11);
    const created = runs.map((run) => run.stdout.split(/\s+/)[1]);
    assert.equal(new Set(created).size, 10);
    for (const [i, file] of created.entries()) {
      const commit = repo.git('log', '--format=%H', '--', file).trim();
      assert.equal(repo.git('show', '--name-only', '--format=', commit).trim(), file);
      assert.match(repo.read(file), new RegExp(`^title: Parallel ${i}$`, 'm'));
    }
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it('two steps on one record at once, many times: one lands, the other is refused', async () => {
    const id = ids[0];
    const hook = join(repo.root, '.git', 'hooks', 'pre-commit');
    for (let trial = 0; trial < 8; trial++) {
      // Half the trials hold the first commit open a little, widening the overlap.
      if (trial % 2 === 1) writeFileSync(hook, '#!/bin/sh\nsleep 0.3\n', { mode: 0o755 });
      else writeFileSync(hook, '#!/bin/sh\n', { mode: 0o755 });
      const before = commits();
      const [a, b] = await Promise.all([
        start(['triage', id, '--priority', 'P2', '--assignee', `a${trial}`], repo.root).done,
        start(['triage', id, '--priority', 'P2', '--assignee', `b${trial}`], repo.root).done,
      ]);
      const runs = [a, b];
      const landed = runs.filter((r) => r.code === 0).length;
      assert.ok(landed >= 1, `trial ${trial}: nothing landed: ${a.stderr} ${b.stderr}`);
      for (const run of runs.filter((r) => r.code !== 0)) {
        assert.equal(run.code, 1);
        assert.match(run.stderr, /is being changed by another git-incidents command/, run.stderr);
      }
      assert.equal(commits(), before + landed, `trial ${trial}: one commit per success`);
      // Never a lost update: what the file says is what the last successful command set.
      const assignee = repo.read(fileOf(id)).match(/^assignee: (\S+)$/m)?.[1];
      const winners = [`a${trial}`, `b${trial}`].filter((_, i) => runs[i].code === 0);
      assert.ok(assignee && winners.includes(assignee), `trial ${trial}: ${assignee}`);
      assert.equal(repo.git('status', '--porcelain'), '');
    }
  });

  it('two acknowledgements of one record at once: one commit, one clear refusal', async () => {
    for (const [trial, id] of ids.slice(0, 6).entries()) {
      const before = commits();
      const runs = await Promise.all([
        start(['ack', id, '--assignee', 'first'], repo.root).done,
        start(['ack', id, '--assignee', 'second'], repo.root).done,
      ]);
      assert.deepEqual(
        runs.map((r) => r.code).sort(),
        [0, 1],
        `trial ${trial}: ${runs.map((r) => r.stderr)}`,
      );
      const refused = runs.find((r) => r.code === 1);
      assert.match(
        refused?.stderr ?? '',
        /being changed by another git-incidents command|only a logged or triaged record/,
      );
      assert.equal(commits(), before + 1);
      assert.equal(repo.read(fileOf(id)).match(/^status: (\S+)$/m)?.[1], 'investigating');
    }
  });

  it('a record read while steps rewrite it is never seen empty or half-written', async () => {
    const id = ids[7];
    const path = join(repo.root, fileOf(id));
    for (let round = 0; round < 12; round++) {
      const step = start(['triage', id, '--priority', 'P2', '--assignee', `r${round}`], repo.root);
      const until = Date.now() + 10_000;
      // Reads as fast as possible until the step's text appears (a sanity bound of 10 s).
      for (let text = ''; !text.includes(`assignee: r${round}\n`) && Date.now() < until; ) {
        text = readFileSync(path, 'utf8');
        assert.ok(text.startsWith('---\nid: ') && text.endsWith('## Summary\n'), `read: ${text}`);
      }
      assert.equal((await step.done).code, 0);
    }
  });

  it('a command arriving while another commits the record is busy, not "uncommitted"', async () => {
    const { started, release } = blockingHook(repo);
    const id = ids[3];
    const first = start(['ack', id, '--assignee', 'first'], repo.root);
    await waitFor(started, 'the first command to reach its commit');
    const before = repo.read(fileOf(id));

    const second = cli(['escalate', id, '--to', 'dba', '--reason', 'slow'], repo.root);
    assert.equal(second.code, 1);
    assert.match(
      second.stderr,
      /is being changed by another git-incidents command \(process \d+\)/,
    );
    assert.doesNotMatch(second.stderr, /uncommitted/);
    assert.equal(repo.read(fileOf(id)), before, 'the refused command wrote nothing');

    writeFileSync(release, '');
    const done = await first.done;
    assert.equal(done.code, 0, done.stderr);
    assert.match(repo.git('show', `HEAD:${fileOf(id)}`), /^assignee: first$/m);
    assert.doesNotMatch(repo.read(fileOf(id)), /escalations/);
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it('a stale record lock met by two commands at once: one takes it over, none lost', async () => {
    const dead = start(['--help'], repo.root);
    await dead.done;
    const deadPid = String(dead.child.pid);
    for (const [trial, id] of ids.slice(0, 5).entries()) {
      repo.write(`.git/git-incidents/locks/${id}.lock`, deadPid);
      const before = commits();
      const runs = await Promise.all(
        ['x', 'y'].map(
          (who) =>
            start(['triage', id, '--priority', 'P2', '--team', `${who}${trial}`], repo.root).done,
        ),
      );
      const landed = runs.filter((r) => r.code === 0).length;
      assert.ok(landed >= 1, runs.map((r) => r.stderr).join('\n'));
      for (const run of runs.filter((r) => r.code !== 0)) {
        assert.match(run.stderr, /is being changed by another git-incidents command/);
      }
      assert.equal(commits(), before + landed);
      const team = repo.read(fileOf(id)).match(/^team: (\S+)$/m)?.[1];
      const winners = ['x', 'y'].filter((_, i) => runs[i].code === 0).map((w) => `${w}${trial}`);
      assert.ok(team && winners.includes(team), `trial ${trial}: team ${team}`);
      assert.equal(repo.git('status', '--porcelain'), '');
    }
  });

  it('an index.lock held by another git while steps run: each waits, then commits', async () => {
    const lock = join(repo.root, '.git', 'index.lock');
    writeFileSync(lock, 'held by the test');
    const runs = ids.slice(0, 5).map((id) => start(['ack', id], repo.root).done);
    await sleep(1200);
    assert.equal(readFileSync(lock, 'utf8'), 'held by the test', 'the lock is never removed');
    rmSync(lock);
    for (const run of await Promise.all(runs)) assert.equal(run.code, 0, run.stderr);
    assert.equal(commits(), 6);
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it('an index.lock never released: each step fails in bounded time, files put back', async () => {
    const lock = join(repo.root, '.git', 'index.lock');
    writeFileSync(lock, 'stale');
    const originals = ids.slice(0, 4).map((id) => repo.read(fileOf(id)));
    const runs = await Promise.all(
      ids
        .slice(0, 4)
        .map((id) => start(['ack', id], repo.root, { GIT_INCIDENTS_LOCK_WAIT_MS: '800' }).done),
    );
    for (const run of runs) {
      assert.equal(run.code, 1);
      assert.match(run.stderr, /index\.lock/);
    }
    assert.equal(readFileSync(lock, 'utf8'), 'stale', 'never deleted by the product');
    for (const [i, id] of ids.slice(0, 4).entries())
      assert.equal(repo.read(fileOf(id)), originals[i]);
    assert.equal(commits(), 1);
  });

  describe('a command killed between writing the record and committing it', () => {
    async function killMidCommit(id: string) {
      const { started, release } = blockingHook(repo);
      const run = start(['ack', id, '--assignee', 'killed'], repo.root, {}, true);
      await waitFor(started, 'the command to reach its commit');
      // The whole process group: node, git and the hook, as a crash or an OOM kill would.
      process.kill(-(run.child.pid as number), 'SIGKILL');
      const done = await run.done;
      assert.equal(done.code, -1, 'killed');
      writeFileSync(release, '');
      rmSync(join(repo.root, '.git', 'hooks', 'pre-commit'));
      return run.child;
    }

    it('leaves the step on disk, uncommitted, and the next command says so', async () => {
      const id = ids[5];
      const head = repo.git('rev-parse', 'HEAD').trim();
      const child = await killMidCommit(id);

      // Nothing is lost: the step's change is on disk, the committed record is intact.
      assert.equal(repo.git('rev-parse', 'HEAD').trim(), head);
      assert.match(repo.read(fileOf(id)), /^status: investigating$/m);
      assert.match(repo.read(fileOf(id)), /^assignee: killed$/m);
      assert.match(repo.git('show', `HEAD:${fileOf(id)}`), /^status: triaged$/m);
      const lock = join(repo.root, '.git', 'git-incidents', 'locks', `${id}.lock`);
      assert.match(readFileSync(lock, 'utf8'), new RegExp(`^${child.pid}\\b`), 'its lock remains');
      assert.ok(existsSync(join(repo.root, '.git', 'index.lock')), "git's lock remains");

      const next = cli(['ack', id], repo.root);
      assert.equal(next.code, 1);
      assert.match(next.stderr, /uncommitted changes/);
      assert.match(next.stderr, /interrupted/);
      assert.match(next.stderr, /index\.lock/, 'names the lock the killed git left');
      assert.doesNotMatch(next.stderr, /being changed by another/, 'the dead lock does not block');
      assert.ok(existsSync(join(repo.root, '.git', 'index.lock')), 'never deleted by the product');

      // The other records still load.
      const list = cli(['list', '--format', 'json'], repo.root);
      assert.equal(JSON.parse(list.stdout).length, 20);
    });

    it('once the person commits the interrupted step, work goes on past the lock', async () => {
      const id = ids[6];
      await killMidCommit(id);
      rmSync(join(repo.root, '.git', 'index.lock'));
      repo.git(
        'commit',
        '-q',
        '-m',
        `${id}: finish the interrupted acknowledgement`,
        '--',
        fileOf(id),
      );

      const next = cli(['resolve', id, '--resolution', 'restarted'], repo.root);
      assert.equal(next.code, 0, next.stderr);
      assert.match(repo.git('show', `HEAD:${fileOf(id)}`), /^status: resolved$/m);
      assert.match(repo.git('show', `HEAD:${fileOf(id)}`), /^assignee: killed$/m);
      assert.equal(repo.git('status', '--porcelain'), '');
    });
  });
});
