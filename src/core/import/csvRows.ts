/**
 * Streaming CSV rows from a plain or gzip-compressed file (RFC 4180: quoted fields may hold
 * commas, doubled quotes and newlines). The file is never held whole; a file that is not
 * what it claims — cut short, not UTF-8, a line too long to be data — stops the read with
 * the line number, before the importer has written anything.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { ImportInputError } from './source';

/** One CSV record and the line it starts on (the header is line 1). */
export interface CsvRow {
  line: number;
  fields: string[];
  /** The last record of a file that does not end with a newline. */
  unterminated: boolean;
}

/** No real row comes near this; a longer one means a binary or broken file. */
export const MAX_RECORD_CHARS = 1024 * 1024;

/** Reads the rows of `path`; gzip is recognised by its magic bytes, not the file name. */
export async function* readCsvRows(path: string, maxChars = MAX_RECORD_CHARS) {
  const gzip = await isGzip(path);
  const raw = createReadStream(path);
  const input = gzip ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (error) => input.destroy(error));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const reader = new RecordSplitter(maxChars);
  let first = true;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (first) checkStart(chunk);
      first = false;
      if (chunk.includes(0)) {
        throw new ImportInputError(reader.where(), 'holds NUL bytes: not a text CSV file');
      }
      yield* reader.push(decode(decoder, chunk, reader));
    }
    yield* reader.push(decode(decoder, undefined, reader));
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    const reason = gzip
      ? `the gzip stream is damaged or cut short (${(error as Error).message})`
      : `cannot read the file (${(error as Error).message})`;
    throw new ImportInputError(reader.where(), reason);
  } finally {
    raw.destroy();
  }
  yield* reader.end();
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

function checkStart(chunk: Buffer): void {
  const utf16 =
    (chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff);
  if (utf16) throw new ImportInputError('line 1', 'is UTF-16; save the file as UTF-8');
}

function decode(decoder: TextDecoder, chunk: Buffer | undefined, reader: RecordSplitter) {
  try {
    return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
  } catch {
    // The decoder says only that the chunk is bad; find the line of the first bad byte.
    const bad = chunk ? firstInvalidByte(chunk) : 0;
    const line = reader.lineAtEnd() + (chunk ? countNewlines(chunk.toString('latin1', 0, bad)) : 0);
    throw new ImportInputError(`line ${line}`, 'is not valid UTF-8; convert the file to UTF-8');
  }
}

/** The offset of the first byte that cannot be UTF-8 here (0 when the chunk starts mid-way). */
export function firstInvalidByte(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : 4;
    if (b >= 0x80 && (b < 0xc2 || b > 0xf4)) return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return i;
      if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** Cuts decoded text into records, keeping quoted newlines inside their field. */
class RecordSplitter {
  private pending = '';
  private line = 1;
  private scanned = 0;
  private quoted = false;

  constructor(private readonly maxChars: number) {}

  where(): string {
    return `line ${this.line}`;
  }

  /** The line the next decoded text starts on. */
  lineAtEnd(): number {
    return this.line + countNewlines(this.pending);
  }

  *push(text: string): Generator<CsvRow> {
    // Offsets, not repeated slicing: the rest of the buffer is cut once per chunk.
    this.pending += text;
    let start = 0;
    for (;;) {
      const end = this.recordEnd(start);
      if (end < 0) break;
      if (end - start > this.maxChars) this.tooLong();
      const record = this.pending.slice(start, end).replace(/\r$/, '');
      start = end + 1;
      this.scanned = start;
      const line = this.line;
      this.line += countNewlines(record) + 1;
      yield { line, fields: splitFields(record), unterminated: false };
    }
    this.pending = this.pending.slice(start);
    this.scanned -= start;
    if (this.pending.length > this.maxChars) this.tooLong();
  }

  private tooLong(): never {
    const size = `${Math.round(this.maxChars / 1024)} KiB`;
    throw new ImportInputError(this.where(), `a record longer than ${size}: not CSV data`);
  }

  *end(): Generator<CsvRow> {
    if (this.quoted) {
      throw new ImportInputError(this.where(), 'ends inside a quoted field: the file is cut short');
    }
    if (this.pending.trim() === '') return;
    const record = this.pending.replace(/\r$/, '');
    this.pending = '';
    yield { line: this.line, fields: splitFields(record), unterminated: true };
  }

  /** The index of the newline ending the record at `start`, or -1; resumes where it stopped. */
  private recordEnd(start: number): number {
    for (let i = Math.max(this.scanned, start); i < this.pending.length; i++) {
      const c = this.pending.charCodeAt(i);
      if (c === 34) this.quoted = !this.quoted;
      else if (c === 10 && !this.quoted) return i;
    }
    this.scanned = this.pending.length;
    return -1;
  }
}

/** Splits one record into fields; `""` inside quotes is a quote. */
export function splitFields(record: string): string[] {
  if (!record.includes('"')) return record.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (quoted) {
      if (c === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
