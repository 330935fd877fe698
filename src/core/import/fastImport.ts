/**
 * A writer of `git fast-import` streams: commits with author and committer, whole-file
 * modifications and deletions, marks, onto one `refs/heads/<branch>`. One process takes the
 * whole history, so 100,000 commits cost seconds instead of 100,000 `git commit` runs; the
 * branch moves only when the stream ends with `done`, so a failed import moves nothing.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Git } from '../git';
import type { Person } from './source';

/** One file change of a commit. */
export type FileChange = { path: string; content: string } | { path: string; deleted: true };

/** One commit of the stream; times are instants (epoch ms), offsets minutes east of UTC. */
export interface FastCommit {
  author: Person;
  authorAt: number;
  authorOffset?: number;
  committer: Person;
  committerAt: number;
  message: string;
  changes: FileChange[];
}

/** Writes commits to a running `git fast-import` and waits for it to finish. */
export class FastImportWriter {
  private marks = 0;
  private stderr: Buffer[] = [];
  private failed: Error | undefined;
  private readonly exited: Promise<number>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly ref: string,
    private parent: string | undefined,
  ) {
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    child.stdin.on('error', (error) => {
      this.failed ??= error;
    });
    this.exited = new Promise((resolve) => {
      child.on('error', (error) => {
        this.failed ??= error;
        resolve(1);
      });
      child.on('close', (code) => resolve(code ?? 1));
    });
  }

  /** Starts fast-import for `refs/heads/<branch>`, continuing from `parent` when given. */
  static start(git: Git, branch: string, parent: string | undefined): FastImportWriter {
    // --done: a stream cut short (a crash of ours) is an error, not a shorter history.
    const child = git.spawn(['fast-import', '--quiet', '--done', '--date-format=raw']);
    return new FastImportWriter(child, `refs/heads/${branch}`, parent);
  }

  /** Commits made so far. */
  get count(): number {
    return this.marks;
  }

  /** Queues one commit; resolves once the pipe can take more. Returns the commit's mark. */
  async commit(commit: FastCommit): Promise<number> {
    const mark = ++this.marks;
    const parts: Buffer[] = [
      text(`commit ${this.ref}\nmark :${mark}\n`),
      text(`author ${ident(commit.author)} ${rawDate(commit.authorAt, commit.authorOffset)}\n`),
      text(`committer ${ident(commit.committer)} ${rawDate(commit.committerAt)}\n`),
      data(commit.message),
    ];
    if (this.parent) {
      parts.push(text(`from ${this.parent}\n`));
      this.parent = undefined;
    }
    for (const change of commit.changes) {
      if ('deleted' in change) parts.push(text(`D ${quotePath(change.path)}\n`));
      else parts.push(text(`M 100644 inline ${quotePath(change.path)}\n`), data(change.content));
    }
    parts.push(text('\n'));
    await this.write(Buffer.concat(parts));
    return mark;
  }

  /** Ends the stream and waits; throws with git's own words when the import failed. */
  async finish(): Promise<void> {
    if (!this.failed) this.child.stdin.end('done\n');
    const code = await this.exited;
    if (code === 0 && !this.failed) return;
    const said = Buffer.concat(this.stderr).toString('utf8').trim().split('\n').slice(-4);
    const detail = said.join(' ') || this.failed?.message || `exit code ${code}`;
    throw new Error(`git fast-import failed, nothing was imported: ${detail}`);
  }

  /** Stops the import without moving the branch. */
  abort(): void {
    this.child.stdin.destroy();
    this.child.kill('SIGTERM');
  }

  private async write(chunk: Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.child.stdin.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.child.stdin.off('drain', done);
        this.child.off('close', done);
        resolve();
      };
      this.child.stdin.on('drain', done);
      this.child.on('close', done);
    });
    if (this.failed) throw this.failed;
  }
}

function text(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

/** `data <bytes>` then the bytes: exact counts, so no content can end the block early. */
function data(content: string): Buffer {
  const bytes = text(content);
  return Buffer.concat([text(`data ${bytes.length}\n`), bytes, text('\n')]);
}

/** `Name <email>`; the characters fast-import cannot take in a name are replaced. */
export function ident(person: Person): string {
  const name = person.name.replace(/[<>\n\r]/g, ' ').trim() || 'unknown';
  const email = person.email.replace(/[<>\s]/g, '');
  return `${name} <${email}>`;
}

/** Git's raw date: seconds since the epoch and the `+hhmm` offset. */
export function rawDate(at: number, offsetMinutes = 0): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(at / 1000)} ${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}

/** Paths with a quote at the start, a newline or a backslash are written C-style quoted. */
export function quotePath(path: string): string {
  if (!/^"|[\n\\]/.test(path)) return path;
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
