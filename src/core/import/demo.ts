/**
 * The demo repository: real incidents to try the product on, imported from slices of the
 * shared data (the last three months of the ServiceNow log, GitHub's incidents since 2020)
 * into a cache folder. Built once; reused while the data files and the build are unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Git } from '../git';
import type { Logger } from '../log';
import { parseTimestamp } from '../time';
import { type ImportResult, runImport } from './importRun';
import type { ImportKind } from './source';

/** Bumped whenever the demo's content would change, so old caches are rebuilt. */
const DEMO_VERSION = 1;

/** The slices: which file of the data folder, and which incidents of it. */
const SLICES: { kind: ImportKind; file: string; lastDays?: number; since?: string }[] = [
  { kind: 'servicenow', file: 'servicenow-event-log/incident_event_log.csv.gz', lastDays: 92 },
  { kind: 'statuspage', file: 'statuspage-github/incidents.jsonl', since: '2020-01-01T00:00:00Z' },
];

/** Where to build, where the data is, and how to report. */
export interface DemoOptions {
  out?: string;
  data?: string;
  logger: Logger;
  onProgress?: (message: string) => void;
}

/** The demo repository and whether it was built now. */
export interface DemoResult {
  path: string;
  reused: boolean;
  imports: { kind: ImportKind; result: ImportResult }[];
}

interface Stamp {
  version: number;
  state: 'building' | 'done';
  sources: Record<string, { size: number; mtimeMs: number }>;
  head?: string;
}

/** The project's root: the nearest folder above `from` whose package.json is ours. */
export function projectRoot(from: string = __dirname): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === 'git-incidents') return dir;
      } catch {
        // Not ours or not JSON: keep looking upwards.
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** `.cache/demo` in the project; outside a checkout, the user's cache folder. */
export function defaultDemoDir(root = projectRoot()): string {
  if (root) return join(root, '.cache', 'demo');
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'git-incidents', 'demo');
}

/** Builds the demo repository, or reuses it when it is already up to date. */
export async function buildDemo(options: DemoOptions): Promise<DemoResult> {
  const root = projectRoot();
  const data = resolve(options.data ?? join(root ?? process.cwd(), '..', 'shared', 'data'));
  const out = resolve(options.out ?? defaultDemoDir(root));
  const sources = await sourceStats(data);
  const stampFile = join(out, '.git', 'git-incidents', 'demo.json');
  const old = await readStamp(stampFile);
  const git = new Git(out, options.logger);
  if (old?.state === 'done' && JSON.stringify(old.sources) === JSON.stringify(sources)) {
    const head = await git.run(['rev-parse', 'HEAD'], { read: true, okCodes: [128] });
    if (old.version === DEMO_VERSION && head.stdout.trim() === old.head) {
      return { path: out, reused: true, imports: [] };
    }
  }

  await clear(out, old !== undefined);
  await mkdir(out, { recursive: true });
  await git.run(['init', '--quiet', '-b', 'main']);
  // The demo's own identity: building it must not depend on the user's git configuration.
  await git.run(['config', 'user.name', 'git-incidents demo']);
  await git.run(['config', 'user.email', 'demo@git-incidents.invalid']);
  await git.run(['config', 'commit.gpgsign', 'false']);
  const stamp: Stamp = { version: DEMO_VERSION, state: 'building', sources };
  await writeStamp(stampFile, stamp);

  const imports: DemoResult['imports'] = [];
  for (const slice of SLICES) {
    options.onProgress?.(`demo: importing ${slice.kind}`);
    const since = slice.since
      ? (parseTimestamp(slice.since, 'UTC') as { at: number }).at
      : undefined;
    const result = await runImport({
      kind: slice.kind,
      source: join(data, slice.file),
      into: out,
      lastDays: slice.lastDays,
      since,
      logger: options.logger,
      onProgress: options.onProgress,
    });
    imports.push({ kind: slice.kind, result });
  }
  const head = await git.run(['rev-parse', 'HEAD'], { read: true });
  await writeStamp(stampFile, { ...stamp, state: 'done', head: head.stdout.trim() });
  return { path: out, reused: false, imports };
}

async function sourceStats(data: string): Promise<Stamp['sources']> {
  const stats: Stamp['sources'] = {};
  const missing: string[] = [];
  for (const slice of SLICES) {
    const info = await stat(join(data, slice.file)).catch(() => undefined);
    if (info) stats[slice.file] = { size: info.size, mtimeMs: Math.round(info.mtimeMs) };
    else missing.push(slice.file);
  }
  if (missing.length > 0) {
    throw new Error(
      `the real data is not in ${data} (missing ${missing.join(', ')}): ` +
        'pass --data DIR, the folder holding servicenow-event-log/ and statuspage-github/',
    );
  }
  return stats;
}

/** Removes an earlier demo; refuses a folder the demo did not make. */
async function clear(out: string, ours: boolean): Promise<void> {
  const entries = await readdir(out).catch(() => undefined);
  if (entries === undefined || entries.length === 0) return;
  if (!ours) {
    throw new Error(
      `${out} exists and is not a demo repository built by git-incidents: ` +
        'choose another folder with --out',
    );
  }
  await rm(out, { recursive: true, force: true });
}

async function readStamp(path: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

async function writeStamp(path: string, stamp: Stamp): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(stamp, null, 2)}\n`);
}
