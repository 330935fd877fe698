/**
 * Record files as last parsed, kept between sessions in the extension's workspace storage:
 * opening a window on 10,000 records then reads one file and checks each record's `lstat`
 * instead of parsing every front matter again (seconds of extension-host time). An entry is
 * used only while its file has the same size, modification and change times and inode, and
 * the whole cache only for the same repository, records folder, settings and build.
 *
 * Limitation: a file rewritten in place to the same size within one tick of a coarse file
 * system clock (FAT, some network file systems) keeps its old parse until it changes again —
 * the stamp is all that is compared, since reading every file is what the cache avoids.
 */
import { statSync } from 'node:fs';
import { lstat, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimit } from '../core/concurrency';
import type { Logger } from '../core/log';
import type { RecordResult } from '../core/record';
import type { IncidentRepository } from '../core/repository';

const VERSION = 1;
const FILE = 'records-cache.json';
// Enough parallel stats and reads to hide file-system latency, few enough to avoid EMFILE.
const CONCURRENCY = 64;
const SAVE_DELAY_MS = 1000;

// A rebuilt extension may parse differently: its cache never serves an older build's records.
const BUILD = (() => {
  try {
    return statSync(__filename).mtimeMs;
  } catch {
    return 0;
  }
})();

interface Entry {
  /** size, mtime, ctime and inode of the file when it was read. */
  stamp: string;
  result: RecordResult;
}

interface CacheFile {
  version: number;
  key: string;
  entries: Record<string, Entry>;
}

/** Reads a repository's record files through the cache, and writes the cache back. */
export class RecordCache {
  private saving: Promise<void> = Promise.resolve();

  /** `dir` undefined (no workspace storage) reads every file, as without a cache. */
  constructor(
    private readonly dir: string | undefined,
    private readonly logger: Logger,
  ) {}

  /**
   * Every record file of the working tree, parsed or taken from the cache; then the cache
   * is written again in the background.
   */
  async readWorkingTree(repo: IncidentRepository): Promise<RecordResult[]> {
    const key = cacheKey(repo);
    const [files, cached] = await Promise.all([repo.recordFiles(), this.read(key)]);
    const entries: Record<string, Entry> = {};
    let parsed = 0;
    const results = await mapLimit(files, CONCURRENCY, async (file) => {
      // Stamped before reading: a change while reading makes the stamp stale, never the text.
      const stamp = await stampOf(join(repo.root, file));
      const hit = stamp && cached?.[file];
      if (hit && hit.stamp === stamp) {
        entries[file] = hit;
        return hit.result;
      }
      parsed++;
      const result = await repo.readFile(file);
      if (stamp && storable(result)) entries[file] = { stamp, result };
      return result;
    });
    this.logger.debug(`records: ${files.length - parsed} from the cache, ${parsed} parsed`);
    if (parsed > 0 || Object.keys(cached ?? {}).length !== files.length) this.save(key, entries);
    return results;
  }

  private async read(key: string): Promise<Record<string, Entry> | undefined> {
    if (!this.dir) return undefined;
    await this.saving;
    try {
      const cache = JSON.parse(await readFile(join(this.dir, FILE), 'utf8')) as CacheFile;
      return cache.version === VERSION && cache.key === key ? cache.entries : undefined;
    } catch {
      return undefined;
    }
  }

  private save(key: string, entries: Record<string, Entry>): void {
    const dir = this.dir;
    if (!dir) return;
    const cache: CacheFile = { version: VERSION, key, entries };
    this.saving = this.saving.then(async () => {
      // Later, so writing (a large JSON text) never delays the views this load updates.
      await new Promise((wake) => setTimeout(wake, SAVE_DELAY_MS));
      try {
        await mkdir(dir, { recursive: true });
        const temp = join(dir, `${FILE}.${process.pid}.tmp`);
        await writeFile(temp, JSON.stringify(cache));
        await rename(temp, join(dir, FILE));
      } catch (error) {
        this.logger.warn(`records cache not written: ${(error as Error).message}`);
      }
    });
  }
}

/** What every entry depends on besides its file. */
function cacheKey(repo: IncidentRepository): string {
  return JSON.stringify([repo.root, repo.directory, repo.readOptions, BUILD]);
}

async function stampOf(path: string): Promise<string | undefined> {
  try {
    const info = await lstat(path);
    return `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * False for a result JSON would change, which is then parsed each time: only the front
 * matter's own data can hold such values (`.nan`, `.inf`); checked fields are plain.
 */
function storable(result: RecordResult): boolean {
  return result.incident === undefined || jsonExact(result.incident.data);
}

function jsonExact(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return typeof value !== 'bigint';
  return Object.values(value).every(jsonExact);
}
