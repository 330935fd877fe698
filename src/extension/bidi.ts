/**
 * Text from records placed next to other text on one line. A directional override or
 * embedding that the text opens and never closes (U+202E, "right-to-left override", say)
 * reaches past its end: in a tree row it reverses the description after the label, so a
 * title could make its own priority, age or assignee read as something else.
 */

const EMBEDDINGS = '\u202A\u202B\u202D\u202E';
const ISOLATES = '\u2066\u2067\u2068';
const PDF = '\u202C';
const PDI = '\u2069';

/**
 * The text followed by the closers of whatever directional formatting it leaves open, in
 * Unicode's pairing rules (UAX #9): a PDF closes the innermost embedding unless an isolate
 * is open inside it; a PDI closes its isolate and every embedding opened within. Text that
 * closes what it opens is returned unchanged.
 */
export function closeBidi(text: string): string {
  const open: string[] = [];
  for (const char of text) {
    if (EMBEDDINGS.includes(char)) open.push(PDF);
    else if (ISOLATES.includes(char)) open.push(PDI);
    else if (char === PDF && open.at(-1) === PDF) open.pop();
    else if (char === PDI && open.includes(PDI)) open.length = open.lastIndexOf(PDI);
  }
  return open.length === 0 ? text : text + open.reverse().join('');
}
