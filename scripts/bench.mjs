// Benchmarks `metrics --format json` against raw git on the same generated repository, in
// one run: cold (no cache) and warm (nothing new since the last run), each as a ratio to
// `git log --raw` + `git cat-file --batch` over the same history. Then the extension in the
// real VS Code on that repository (scripts/bench-extension.mjs): the tree's first paint, a
// refresh after a CLI commit, opening the metrics view. With --large, the peak memory of a
// cold metrics run on 100,000 incidents. Prints figures; asserts none.
//
//   npm run bench [-- --incidents 10000 --runs 3 --no-extension --large]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce(
      (pairs, arg, i, all) =>
        arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs,
      [],
    ),
);
const large = 'large' in args;
const withExtension = !('no-extension' in args);
const incidents = Number(args.incidents ?? 10000);
const runs = Number(args.runs ?? 3);
const root = resolve(import.meta.dirname, '..');
const shared = resolve(root, '..', 'shared');
const repo = join(root, '.bench', `repo-${incidents}`);
const cli = join(root, 'dist', 'cli.js');

ensureRepository();
const commits = git(['rev-list', '--count', 'HEAD']).trim();
const raw = median(Array.from({ length: runs }, rawGit));
const cold = median(
  Array.from({ length: runs }, () => {
    rmSync(join(repo, '.git', 'git-incidents'), { recursive: true, force: true });
    return timed(() => metrics());
  }),
);
metrics();
const warm = median(Array.from({ length: runs }, () => timed(() => metrics())));
const memory = peakMemory(repo);

const line = (label, seconds, note = '') =>
  console.log(`${label.padEnd(34)} ${seconds.toFixed(3).padStart(7)} s${note}`);
console.log(`repository: ${incidents} incidents, ${commits} commits (${repo})`);
console.log(`median of ${runs} runs each`);
line('raw git (log --raw + cat-file)', raw);
const ratio = (seconds) => `   ${(seconds / raw).toFixed(2)}× raw git`;
line('metrics --format json, cold', cold, `${ratio(cold)} (goal ≤ 1.3×)`);
line('metrics --format json, warm', warm, `${ratio(warm)} (goal ≤ 0.3 s)`);
console.log(`peak memory of a cold metrics run: ${memory} MiB`);

if (withExtension) await benchExtensionPart();
else console.log('\nextension in VS Code: skipped (--no-extension)');
if (large) largeMemory();
else {
  console.log('\n100,000 incidents: skipped; pass --large (building that repository takes about');
  console.log('  16 min the first time, on 2 cores; it is reused from .bench/repo-100000 after)');
}

async function benchExtensionPart() {
  console.log(
    '\nextension in VS Code (code-server + headless Chromium), same repository, one run:',
  );
  const problem = compileTests();
  if (problem) {
    console.log(`  skipped: ${problem}`);
    return;
  }
  const { benchExtension } = await import('./bench-extension.mjs');
  const f = await benchExtension(repo);
  const ms = (label, value, note = '') =>
    console.log(`${label.padEnd(44)} ${String(value).padStart(6)} ms${note}`);
  const times = (value, base) => `${(value / base).toFixed(1)}×`;
  const rawMs = Math.round(raw * 1000);
  ms('  raw: git ls-files + read every record', f.rawRead, `   (${f.records} files)`);
  ms('  raw: git diff-tree HEAD + read that file', f.rawChanged);
  ms('  raw: a webview that only says it loaded', f.rawWebview);
  ms('  raw: git log --raw + cat-file (above)', rawMs);
  ms(
    '  tree first paint, activation → items',
    f.firstPaint,
    `   ${times(f.firstPaint, f.rawRead)} raw read; load ${f.load} ms + ${f.items} items ` +
      `${f.paint} ms`,
  );
  ms(
    '  tree first paint, next window (cache)',
    f.firstPaintCached,
    `   ${times(f.firstPaintCached, f.rawRead)} raw read; ` +
      `longest stall ${f.firstPaintCachedStall} ms`,
  );
  ms(
    '  parse of every record in the host',
    f.parseAll,
    `   ${times(f.parseAll, f.rawRead)} raw read; longest stall ${f.parseAllStall} ms`,
  );
  ms('  every tree item with its tooltip', f.everyItem);
  ms(
    '  refresh after `ack` by the CLI',
    f.refreshStep,
    `   ${times(f.refreshStep, f.rawChanged)} raw; CLI took ${f.cliStep} ms; 300 ms is debounce`,
  );
  ms('  refresh after `new` by the CLI', f.refreshNew, `   CLI took ${f.cliNew} ms`);
  ms(
    '  metrics view, cold (command → drawn)',
    f.metricsCold,
    `   ${times(f.metricsCold, rawMs + f.rawWebview)} raw git + raw webview`,
  );
  ms(
    '  metrics computation alone, cold',
    f.metricsComputeCold,
    `   ${times(f.metricsComputeCold, rawMs)} raw git; ` +
      `longest stall ${f.metricsComputeColdStall} ms`,
  );
  ms(
    '  metrics view, reopened (report cache)',
    f.metricsWarm,
    `   ${times(f.metricsWarm, f.rawWebview)} raw webview; computation ${f.metricsComputeWarm} ms`,
  );
  ms('  metrics view after one more commit', f.metricsAfterCommit, '   (from the commit)');
  console.log(`  extension host memory after the first load: ${f.hostRss} MiB RSS`);
}

/**
 * Compiles the test suites (the bench suite among them). Type errors elsewhere do not stop
 * the bench: tsc still writes every file; errors in the extension or its suites do.
 */
function compileTests() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.test.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status === 0) return undefined;
  const files = [...new Set(result.stdout.match(/^[^\s(]+(?=\(\d+,\d+\): error)/gm) ?? [])];
  const ours = files.filter((file) => /^(src|test\/extension)\//.test(file));
  if (ours.length > 0 || files.length === 0) {
    return `npm run compile-tests failed:\n${result.stdout}${result.stderr}`.trimEnd();
  }
  console.log(
    `  (npm run compile-tests reports type errors in ${files.join(', ')}; not used here)`,
  );
  return undefined;
}

function largeMemory() {
  const big = join(root, '.bench', 'repo-100000');
  if (!existsSync(join(big, '.git'))) {
    console.log(`\nbuilding ${big} (about 16 min on 2 cores) …`);
    execFileSync(
      process.execPath,
      [join(shared, 'tools', 'make-incident-repo.mjs'), '--out', big, '--incidents', '100000'],
      { stdio: 'inherit' },
    );
  }
  const count = execFileSync('git', ['rev-list', '--count', 'HEAD'], {
    cwd: big,
    encoding: 'utf8',
  });
  const started = process.hrtime.bigint();
  const peak = peakMemory(big, ['--no-cache']);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`\n100,000 incidents, ${count.trim()} commits (${big}):`);
  console.log(`  metrics --format json --no-cache: peak RSS ${peak} MiB, ${seconds.toFixed(1)} s`);
}

function ensureRepository() {
  if (existsSync(join(repo, '.git'))) return;
  mkdirSync(join(root, '.bench'), { recursive: true });
  console.log(`building ${repo} …`);
  execFileSync(
    process.execPath,
    [
      join(shared, 'tools', 'make-incident-repo.mjs'),
      '--out',
      repo,
      '--incidents',
      String(incidents),
    ],
    { stdio: 'inherit' },
  );
}

function git(argv, input) {
  return execFileSync('git', argv, { cwd: repo, input, maxBuffer: 1 << 30, encoding: 'utf8' });
}

// What any tool reading this history must at least do: list every commit's changes to the
// records and read each changed version once.
function rawGit() {
  return timed(() => {
    const log = git([
      'log',
      '--raw',
      '-z',
      '--no-renames',
      '--no-abbrev',
      '--format=%x1e%H%x1f%at%x1f%an%x1f%ae%x1f%s',
      'HEAD',
      '--',
      'incidents/',
    ]);
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
  const result = spawnSync(process.execPath, [cli, 'metrics', '--format', 'json', '--repo', repo], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(result.stderr);
}

/** Peak RSS in MiB of a cold metrics run, from /usr/bin/time; 'unknown' without it. */
function peakMemory(dir, extra = []) {
  rmSync(join(dir, '.git', 'git-incidents'), { recursive: true, force: true });
  if (!existsSync('/usr/bin/time')) return 'unknown (no /usr/bin/time)';
  const result = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, cli, 'metrics', '--format', 'json', ...extra, '--repo', dir],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (result.status !== 0) throw new Error(`metrics failed on ${dir}: ${result.stderr}`);
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
