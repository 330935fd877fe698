/**
 * Which commit a report describes, and the instant open records are judged at: HEAD and its
 * commit time by default, a revision the user names, or the last commit before a date.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IncidentRepository } from './repository';
import { parseTimestamp } from './time';

/** The commit a report is computed at, or none in a repository without commits. */
export interface ReportPoint {
  commit?: string;
  /** The instant open records are judged at. */
  now: number;
  shallow: boolean;
}

/** Resolves `--as-of` (a date, a time or a revision) and `--now`. */
export async function resolvePoint(
  repo: IncidentRepository,
  asOf: string | undefined,
  useClock: boolean,
): Promise<ReportPoint> {
  // git itself decides shallowness by this file's presence.
  const shallow = existsSync(join(await repo.gitDir(), 'shallow'));
  if (asOf && asOf.startsWith('-')) {
    throw new Error(`--as-of ${asOf}: a date (2026-03-31) or a revision (v1.2, a commit id)`);
  }

  const instant = asOf ? asOfInstant(asOf, repo.policy.timezone) : undefined;
  if (instant !== undefined) {
    // By author date, like every time the product reads from git: back-dated steps and
    // imported histories are committed today but authored when they happened.
    const found = await repo.git.run(['log', '--first-parent', '--format=%H %at', 'HEAD', '--'], {
      read: true,
      okCodes: [128],
    });
    const seconds = instant / 1000;
    const line = found.stdout.split('\n').find((l) => l && Number(l.split(' ')[1]) <= seconds);
    return { commit: line?.split(' ')[0], now: instant, shallow };
  }

  const rev = asOf ?? 'HEAD';
  const found = await repo.git.run(['show', '-s', '--format=%H %ct', `${rev}^{commit}`, '--'], {
    read: true,
    okCodes: [128],
  });
  const [commit, seconds] = found.stdout.trim().split(' ');
  if (!commit) {
    if (asOf) throw new Error(`--as-of ${asOf}: git knows no such revision or date`);
    return { now: Date.now(), shallow };
  }
  const committed = Number(seconds) * 1000;
  return { commit, now: useClock ? Date.now() : committed, shallow };
}

/** A date means the end of that day in the repository's zone; a time means itself. */
function asOfInstant(text: string, zone: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const parsed = parseTimestamp(text, zone);
  if (!parsed.ok) throw new Error(`--as-of ${text}: ${parsed.reason}`);
  if (!parsed.dateOnly) return parsed.at;
  const [y, m, d] = text.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  const end = parseTimestamp(next, zone);
  return end.ok ? end.at : parsed.at;
}
