/**
 * One thing wrong with a file the product read: where it is, what was expected, and a
 * short valid example, so the person fixing it does not need the documentation open.
 */
export interface Problem {
  severity: 'error' | 'warning';
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line in the file, when the problem has one. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** Front-matter field the problem is about, when there is one. */
  field?: string;
  message: string;
  expected?: string;
  example?: string;
}

/** Renders a problem as one or more lines a person reads in a terminal or a log. */
export function formatProblem(problem: Problem): string {
  // The file name and the message quote record text, which may hold escape sequences.
  const plain = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  const where = [plain(problem.file), problem.line, problem.column].filter((p) => p !== undefined);
  const field = problem.field ? ` (${problem.field})` : '';
  const lines = [`${where.join(':')}: ${problem.severity}${field}: ${plain(problem.message)}`];
  if (problem.expected) lines.push(`  expected: ${problem.expected}`);
  if (problem.example) lines.push(`  example:  ${problem.example}`);
  return lines.join('\n');
}

/** An error a user sees, carrying the problems that caused it. */
export class ProblemError extends Error {
  constructor(
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'ProblemError';
  }
}
