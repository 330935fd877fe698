// Screenshots of the workbench, asked of the driver: code in the extension host cannot see
// the browser page. Protocol (scripts/vscode-test.mjs is the other side): the suite writes
// `<seq>-<name>.request` into the folder GIT_INCIDENTS_SCREENSHOT_IPC names, the driver takes
// the screenshot and answers with `<seq>-<name>.done` holding JSON `{ path }` or `{ error }`.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let sequence = 0;

/**
 * Asks the driver for a PNG of the whole workbench, saved as `<name>.png` in the screenshot
 * folder (test/screenshots/ unless GIT_INCIDENTS_SCREENSHOT_DIR says otherwise). Resolves to
 * the PNG's path, or undefined when no driver answers (for example under test-electron) or it
 * failed; a screenshot never fails a test.
 */
export async function screenshot(name: string, timeoutMs = 15_000): Promise<string | undefined> {
  const ipc = process.env.GIT_INCIDENTS_SCREENSHOT_IPC;
  if (!ipc) return undefined;

  sequence++;
  const base = join(ipc, `${String(sequence).padStart(4, '0')}-${safeName(name)}`);
  // Written then renamed, so the driver never reads half a request.
  writeFileSync(`${base}.tmp`, JSON.stringify({ name: safeName(name) }));
  renameSync(`${base}.tmp`, `${base}.request`);

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(`${base}.done`)) {
      const answer = JSON.parse(readFileSync(`${base}.done`, 'utf8')) as {
        path?: string;
        error?: string;
      };
      if (answer.error) console.warn(`screenshot ${name} failed: ${answer.error}`);
      return answer.path;
    }
    await new Promise((wake) => setTimeout(wake, 50));
  }
  console.warn(`screenshot ${name}: no answer from the driver in ${timeoutMs} ms`);
  return undefined;
}

/** A file name from a test title: letters, digits, dot, dash and underscore only. */
export function safeName(name: string): string {
  return name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}
