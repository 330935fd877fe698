/**
 * Untrusted text (titles, reasons, names, categories) on its way into markdown, HTML, SVG
 * and link targets. Every writer of those formats goes through here, so a title such as
 * `[click](https://x) <img src=x onerror=…>` is shown as the characters it is.
 */

/**
 * Inline markdown: one line, with every character that could start emphasis, a link, an
 * image, HTML, an entity, a table cell, a heading, math, or a GitHub mention or issue
 * reference escaped by a backslash (CommonMark lets any ASCII punctuation be escaped so).
 */
// Limitation: a bare `https://…` in the text still becomes a link on GitHub (autolinks) —
// it shows its own address, so it cannot pose as another one.
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>#@|~&$]/g, (c) => `\\${c}`)
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)\./, '$1\\.');
}

/** Text in HTML or XML (element content and quoted attributes alike). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** A relative path as a markdown link target: percent-encoded, so no `)` or space ends it. */
export function linkTarget(path: string): string {
  return path
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
}
