/**
 * Text shown where VS Code draws `$(name)` as an icon: status bar items and quick pick
 * items. Priority names come from the repository's settings and titles from its records, so
 * `$(pass) P1` or a title starting `$(check)` would draw a false check mark.
 */

/** The text with each `$(` escaped as `\$(`, which VS Code shows as the characters. */
export function literalIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
