/**
 * Reads blobs through one long-lived `git cat-file --batch`, answering requests in the
 * order they were written, as the output streams back.
 */
import type { Git } from './git';

interface Waiter {
  resolve: (text: string | undefined) => void;
}

/** A reader of blob texts by object id. */
export class BlobReader {
  private readonly process;
  private readonly waiting: Waiter[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private queued: string[] = [];

  constructor(git: Git) {
    this.process = git.spawn(['cat-file', '--batch']);
    this.process.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.process.on('close', () => {
      for (const waiter of this.waiting.splice(0)) waiter.resolve(undefined);
    });
    this.process.stdin.on('error', () => undefined);
  }

  /** The text of blob `id`, or undefined when git does not have it. */
  read(id: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.waiting.push({ resolve });
      this.queued.push(`${id}\n`);
      // Requests are batched so that thousands of ids cost a few writes, not thousands.
      if (this.queued.length === 1) queueMicrotask(() => this.flush());
    });
  }

  /** Ends the batch once every request written so far has been answered. */
  close(): void {
    this.flush();
    this.process.stdin.end();
  }

  private flush(): void {
    if (this.queued.length === 0) return;
    this.process.stdin.write(this.queued.join(''));
    this.queued = [];
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length > 0 ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const eol = this.buffer.indexOf(10);
      if (eol < 0) return;
      const header = this.buffer.toString('utf8', 0, eol).split(' ');
      if (header[1] === 'missing' || header.length < 3) {
        this.buffer = this.buffer.subarray(eol + 1);
        this.waiting.shift()?.resolve(undefined);
        continue;
      }
      const size = Number(header[2]);
      if (this.buffer.length < eol + 1 + size + 1) return;
      const text = this.buffer.toString('utf8', eol + 1, eol + 1 + size);
      this.buffer = this.buffer.subarray(eol + 1 + size + 1);
      this.waiting.shift()?.resolve(header[1] === 'blob' ? text : undefined);
    }
  }
}

/** Reads many blobs in one batch; missing ones are left out of the map. */
export async function readBlobs(git: Git, ids: Iterable<string>): Promise<Map<string, string>> {
  const reader = new BlobReader(git);
  const pending = [...ids].map(async (id) => [id, await reader.read(id)] as const);
  reader.close();
  const texts = new Map<string, string>();
  for (const [id, text] of await Promise.all(pending)) {
    if (text !== undefined) texts.set(id, text);
  }
  return texts;
}
