/**
 * Record ids that never collide across branches without any coordination: the date plus
 * random letters from a cryptographic source (30^6 ≈ 729 million per prefix and day).
 */
import { randomInt } from 'node:crypto';

// No look-alike letters (i, l, o, u) or digits (0, 1), so ids read aloud survive.
const LETTERS = 'abcdefghjkmnpqrstvwxyz23456789';

/** A new id such as `INC-20260304-k7qz2m`, dated in UTC. */
export function newId(prefix: string, at: number, taken: (id: string) => boolean): string {
  const day = new Date(at).toISOString().slice(0, 10).replaceAll('-', '');
  for (;;) {
    const word = Array.from({ length: 6 }, () => LETTERS[randomInt(LETTERS.length)]).join('');
    const id = `${prefix}-${day}-${word}`;
    if (!taken(id)) return id;
  }
}

/** A file-name slug of a title: lower case, dashes, never starting with `-` or `.`. */
export function slugify(title: string, max = 48): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, max)
    .replace(/^[-.]+|-+$/g, '');
  return slug || 'incident';
}
