/**
 * Text for VS Code notifications. A notification turns `[label](https://…)`,
 * `[label](command:…)` and `[label](file:…)` anywhere in its message into a link, and opens
 * command links with commands allowed: a title, a priority or a file name from a record
 * would put any command one click away, under a label of its author's choosing.
 */

/** Word joiner: invisible and unbreakable, so the text reads and wraps as before. */
const JOINER = '\u2060';

/**
 * The message with link syntax broken: a word joiner between `]` and `(` stops VS Code's
 * link pattern from matching while the characters shown stay the same.
 */
export function noticeText(text: string): string {
  return text.replace(/\]\(/g, `]${JOINER}(`);
}
