// Benchmarks `metrics --format json` against raw git on the same generated repository, in
// one run: cold (no cache) and warm (nothing new since the last run), each as a ratio to
// `git log --raw` + `git cat-file --batch` over the same history. Prints figures; asserts none.
//
//   npm run bench [-- --incidents 10000 --runs 3]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const incidents = Number(args.incidents ?? 10000);
const runs = Number(args.runs ?? 3);
const root = resolve(import.meta.dirname, '..');
const shared = resolve(root, '..', 'shared');
const repo = join(root, '.bench', `repo-${incidents}`);
const cli = join(root, 'dist', 'cli.js');

ensureRepository();
const commits = git(['rev-list', '--count', 'HEAD']).trim();
const raw = median(Array.from({ length: runs }, rawGit));
const cold = median(Array.from({ length: runs }, () => {
  rmSync(join(repo, '.git', 'git-incidents'), { recursive: true, force: true });
  return timed(() => metrics());
}));
metrics();
const warm = median(Array.from({ length: runs }, () => timed(() => metrics())));
const memory = peakMemory();

const line = (label, seconds, note = '') =>
  console.log(`${label.padEnd(34)} ${seconds.toFixed(3).padStart(7)} s${note}`);
console.log(`repository: ${incidents} incidents, ${commits} commits (${repo})`);
console.log(`median of ${runs} runs each`);
line('raw git (log --raw + cat-file)', raw);
line('metrics --format json, cold', cold, `   ${(cold / raw).toFixed(2)}× raw git (goal ≤ 1.3×)`);
line('metrics --format json, warm', warm, `   ${(warm / raw).toFixed(2)}× raw git (goal ≤ 0.3 s)`);
console.log(`peak memory of a cold metrics run: ${memory} MiB`);

function ensureRepository() {
  if (existsSync(join(repo, '.git'))) return;
  mkdirSync(join(root, '.bench'), { recursive: true });
  console.log(`building ${repo} …`);
  execFileSync(process.execPath, [join(shared, 'tools', 'make-incident-repo.mjs'), '--out', repo,
    '--incidents', String(incidents)], { stdio: 'inherit' });
}

function git(argv, input) {
  return execFileSync('git', argv, { cwd: repo, input, maxBuffer: 1 << 30, encoding: 'utf8' });
}

// What any tool reading this history must at least do: list every commit's changes to the
// records and read each changed version once.
function rawGit() {
  return timed(() => {
    const log = git(['log', '--raw', '-z', '--no-renames', '--no-abbrev',
      '--format=%x1e%H%x1f%at%x1f%an%x1f%ae%x1f%s', 'HEAD', '--', 'incidents/']);
    const blobs = new Set();
    for (const token of log.split('\0')) {
      const meta = token.replace(/^\n/, '');
      if (meta.startsWith(':')) blobs.add(meta.split(' ')[3]);
    }
    blobs.delete('0'.repeat(40));
    git(['cat-file', '--batch'], `${[...blobs].join('\n')}\n`);
  });
}

function metrics() {
  const result = spawnSync(process.execPath, [cli, 'metrics', '--format', 'json', '--repo', repo],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(result.stderr);
}

function peakMemory() {
  rmSync(join(repo, '.git', 'git-incidents'), { recursive: true, force: true });
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'metrics',
    '--format', 'json', '--repo', repo], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const kib = Number(result.stderr.trim().split('\n').pop());
  return Number.isFinite(kib) ? Math.round(kib / 1024) : 'unknown';
}

function timed(action) {
  const started = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export { spawn };
