/**
 * The repository an import writes to: created when missing, its branch and tip, its
 * settings (written for the source when it has none), and what earlier imports left in it.
 * What was imported is read back from the `Import-Event` trailers of the branch's commits,
 * so the record of it travels with every clone and cannot drift from the history.
 */
import { mkdir, realpath } from 'node:fs/promises';
import { checkIdentity } from '../commit';
import { Git } from '../git';
import type { Logger } from '../log';
import { DEFAULT_POLICY, parsePolicy, POLICY_FILE, type Policy } from '../policy';
import type { ImportKind } from './source';

/** The trailer each imported commit carries: `<kind> <source key> <event number>`. */
export const EVENT_TRAILER = 'Import-Event';

/** An opened target repository. */
export interface Target {
  git: Git;
  root: string;
  branch: string;
  /** The branch tip before the import; undefined on a branch without commits. */
  tip?: string;
  created: boolean;
  bare: boolean;
  objectFormat: 'sha1' | 'sha256';
  /** The settings text to commit first, when the repository has none yet. */
  newSettings?: string;
  policy: Policy;
}

/** Opens `dir` as the import target, running `git init -b main` when it is no repository. */
export async function openTarget(
  dir: string,
  settingsFor: () => string,
  logger: Logger,
): Promise<Target> {
  await mkdir(dir, { recursive: true });
  const path = await realpath(dir);
  const git = new Git(path, logger);
  let created = false;
  const top = await git.run(['rev-parse', '--show-toplevel'], { read: true, okCodes: [128] });
  const bare = top.code !== 0 && (await isBare(git));
  if (top.code !== 0 && !bare) {
    if (!/not a git repository/i.test(top.stderr)) {
      throw new Error(`${dir}: git cannot use it (${top.stderr.trim().split('\n')[0]})`);
    }
    await git.run(['init', '--quiet', '-b', 'main']);
    created = true;
  } else if (!bare && (await realpath(top.stdout.trim())) !== path) {
    throw new Error(
      `${dir} is inside the repository ${top.stdout.trim()}, not its root: ` +
        'give that root, or a folder outside any repository, as --into',
    );
  }
  await checkIdentity(git);

  const branch = await git.run(['symbolic-ref', '--short', '-q', 'HEAD'], { okCodes: [1] });
  if (!branch.stdout.trim()) {
    throw new Error(`${path}: HEAD is detached; check out a branch to import onto`);
  }
  const head = await git.run(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], {
    read: true,
    okCodes: [1, 128],
  });
  const tip = head.stdout.trim() || undefined;
  const format = await git.run(['rev-parse', '--show-object-format'], { read: true });
  const settings = tip ? await readAt(git, tip, POLICY_FILE) : undefined;
  const newSettings = settings === undefined ? settingsFor() : undefined;
  const { policy } = parsePolicy(settings ?? newSettings ?? '');
  return {
    git,
    root: path,
    branch: branch.stdout.trim(),
    tip,
    created,
    bare,
    objectFormat: format.stdout.trim() === 'sha256' ? 'sha256' : 'sha1',
    newSettings,
    policy,
  };
}

/** Refuses to import over uncommitted changes to the records or the settings. */
export async function refuseUncommitted(target: Target): Promise<void> {
  // An unborn branch too: untracked files in the way would stop the checkout afterwards.
  if (target.bare) return;
  const paths = [`${target.policy.directory}/`, POLICY_FILE];
  const status = await target.git.run(
    ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths],
    { read: true },
  );
  const changed = status.stdout.split('\0').filter(Boolean);
  if (changed.length === 0) return;
  throw new Error(
    `${target.root} has uncommitted changes under ${paths.join(' and ')} ` +
      `(${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''}); ` +
      'commit or stash them, then import again',
  );
}

/** The last event number imported for each `<kind> <key>`, from the branch's trailers. */
export async function importedEvents(target: Target, kind: ImportKind) {
  const imported = new Map<string, number>();
  if (!target.tip) return imported;
  const format = `--format=%(trailers:key=${EVENT_TRAILER},valueonly,separator=%x1f)%x1e`;
  const log = await target.git.run(['log', format, target.tip], {
    read: true,
    timeoutMs: 600_000,
  });
  const values = log.stdout.replaceAll('\x1e', '\n').replaceAll('\x1f', '\n').split('\n');
  for (const value of values) {
    const words = value.trim().split(' ');
    if (words.length < 3 || words[0] !== kind) continue;
    const key = words.slice(1, -1).join(' ');
    const event = Number(words[words.length - 1]);
    if (Number.isInteger(event) && event > (imported.get(key) ?? 0)) imported.set(key, event);
  }
  return imported;
}

/** Blob ids of the files under the records folder at the tip, by path. */
export async function recordBlobs(target: Target): Promise<Map<string, string>> {
  const blobs = new Map<string, string>();
  if (!target.tip) return blobs;
  const tree = await target.git.run(
    ['ls-tree', '-r', '-z', '--full-tree', target.tip, '--', `${target.policy.directory}/`],
    { read: true },
  );
  for (const entry of tree.stdout.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab > 0) blobs.set(entry.slice(tab + 1), entry.slice(0, tab).split(' ')[2]);
  }
  return blobs;
}

/** Moves the index and working tree from the old tip to the new one, like a fast-forward. */
export async function updateWorkTree(target: Target, newTip: string): Promise<void> {
  if (target.bare) return;
  const trees = target.tip ? [target.tip, newTip] : [newTip];
  await target.git.run(['read-tree', '-m', '-u', ...trees], { timeoutMs: 600_000 });
}

/** The settings an import writes into a repository that has none. */
export function settingsText(kind: ImportKind, zone: string, priorities: string[]): string {
  const names: Record<ImportKind, string[]> = {
    servicenow: ['Critical', 'High', 'Moderate', 'Low'],
    statuspage: ['Critical', 'Major', 'Minor', 'None'],
    cstate: ['Down', 'Disrupted', 'Notice', 'Low'],
  };
  const lines = [
    `# Written by \`git-incidents import ${kind}\`; see docs/importers.md.`,
    "# SLA targets are the format's defaults, not the source's own: adjust them.",
    'version: 1',
    'directory: incidents',
    `timezone: ${zone}`,
    'priorities:',
  ];
  const all = [...new Set(['P1', 'P2', 'P3', 'P4', ...priorities])];
  all.forEach((name, i) => {
    const preset = DEFAULT_POLICY.priorities[name];
    const label = i < 4 ? names[kind][i] : name;
    const targets = [preset?.respond && `respond: ${preset.respond.text}`]
      .concat(preset?.resolve && `resolve: ${preset.resolve.text}`)
      .filter(Boolean);
    lines.push(`  ${name}: {name: ${label}${targets.map((t) => `, ${t}`).join('')}}`);
  });
  // The sources hold no post-incident reviews: requiring one would flag every imported
  // P1 and P2 as unclosable. Turn it back on for incidents handled here from now on.
  lines.push('closure:', '  review_required: []');
  return `${lines.join('\n')}\n`;
}

async function isBare(git: Git): Promise<boolean> {
  const result = await git.run(['rev-parse', '--is-bare-repository'], {
    read: true,
    okCodes: [128],
  });
  return result.stdout.trim() === 'true';
}

async function readAt(git: Git, tip: string, file: string): Promise<string | undefined> {
  const result = await git.run(['cat-file', 'blob', `${tip}:${file}`], {
    read: true,
    okCodes: [128],
  });
  return result.code === 0 ? result.stdout : undefined;
}
