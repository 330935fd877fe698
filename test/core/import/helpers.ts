/**
 * Shared by the import tests: temp folders removed after each test, git isolated from the
 * machine's configuration (no system or global config, a local identity, no signing), and
 * the fixture slices cut from the real data in test/fixtures/import/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Logger, silentLogger } from '../../../src/core/log';
import { IncidentRepository } from '../../../src/core/repository';

/** The fixture folder, from the compiled test's place in out/test/… */
export const FIXTURES = resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'import');

const ISOLATION: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Importer',
  GIT_AUTHOR_EMAIL: 'importer@example.invalid',
  GIT_COMMITTER_NAME: 'Importer',
  GIT_COMMITTER_EMAIL: 'importer@example.invalid',
};

/** Isolates git for a suite (call in `describe`): env set before, restored after. */
export function isolateGit(): { temp: (prefix: string) => string } {
  const saved: Record<string, string | undefined> = {};
  const dirs: string[] = [];
  before(() => {
    const global = mkdtempSync(join(tmpdir(), 'gi-import-home-'));
    dirs.push(global);
    const config = join(global, 'gitconfig');
    writeFileSync(config, '[commit]\n\tgpgsign = false\n[gc]\n\tauto = 0\n');
    for (const [key, value] of Object.entries({ ...ISOLATION, GIT_CONFIG_GLOBAL: config })) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });
  after(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    temp(prefix: string) {
      const dir = mkdtempSync(join(tmpdir(), `gi-import-${prefix}-`));
      dirs.push(dir);
      return dir;
    },
  };
}

/** Runs git in `dir` and returns its stdout, trimmed. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

/** An empty repository on `main` with a local identity and no signing. */
export function initRepo(dir: string): string {
  git(dir, 'init', '--quiet', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test User');
  git(dir, 'config', 'user.email', 'test@example.invalid');
  git(dir, 'config', 'commit.gpgsign', 'false');
  return dir;
}

/** Number of commits on HEAD (0 for an unborn branch). */
export function commitCount(dir: string): number {
  try {
    return Number(git(dir, 'rev-list', '--count', 'HEAD'));
  } catch {
    return 0;
  }
}

/** Opens a repository for core calls such as computeMetrics. */
export function openRepo(dir: string, logger: Logger = silentLogger) {
  return IncidentRepository.open(dir, logger);
}

/** Minutes between two ISO instants, for hand-computed expectations. */
export function minutes(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 60_000;
}
