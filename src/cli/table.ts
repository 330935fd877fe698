/** One line of record text for a terminal: control characters (escapes, breaks) as spaces. */
export function plainText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/** A plain-text table for terminals: columns padded, one space-pair apart. */
export function textTable(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '(none)\n';
  // Record text may hold control characters; a terminal must not act on them.
  const clean = rows.map((row) => row.map(plainText));
  const widths = headers.map((h, i) => Math.max(h.length, ...clean.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...clean.map(line)].join('\n')}\n`;
}
