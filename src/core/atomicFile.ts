/** Writing a file so that no reader ever sees it half-written. */
import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file's text in one step, by renaming a temporary file over it: a command, an
 * editor or a metrics run reading it meanwhile sees the old text or the new, never a
 * truncated file. The file keeps its permissions.
 */
export async function replaceFile(path: string, text: string): Promise<void> {
  const suffix = `${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const temp = join(dirname(path), `.${basename(path)}.${suffix}`);
  const mode = await stat(path).then(
    (info) => info.mode & 0o7777,
    () => undefined,
  );
  try {
    await writeFile(temp, text, 'utf8');
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
