/**
 * `lint`: every problem in the records and the settings, as text, JSON, or GitHub workflow
 * annotations on the exact file and line. Exits 1 when there is an error.
 */
import { lintProblems } from '../../core/closureCheck';
import { formatProblem, type Problem } from '../../core/problem';
import { type CliContext, type Command, UsageError } from '../context';

/** A GitHub workflow command; its data and properties escaped as the runner requires. */
export function annotation(problem: Problem): string {
  const property = (text: string) =>
    text
      .replace(/%/g, '%25')
      .replace(/\r/g, '%0D')
      .replace(/\n/g, '%0A')
      .replace(/:/g, '%3A')
      .replace(/,/g, '%2C');
  const data = (text: string) =>
    text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const level = problem.severity === 'error' ? 'error' : 'warning';
  const props = [`file=${property(problem.file)}`];
  if (problem.line) props.push(`line=${problem.line}`);
  if (problem.column) props.push(`col=${problem.column}`);
  props.push(`title=${property(`git-incidents${problem.field ? ` ${problem.field}` : ''}`)}`);
  const extra = problem.expected ? ` (expected: ${problem.expected})` : '';
  return `::${level} ${props.join(',')}::${data(problem.message + extra)}`;
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check every record, review and .incidents.yml; exit 1 on errors',
  usage: 'lint [--format text|json|github]',
  options: { format: { type: 'string' } },
  async run(cli: CliContext) {
    const repo = await cli.repo();
    // The records' and settings' problems, and the closure rules (reviews) on top.
    const { set, problems } = await lintProblems(repo);
    const format = cli.string('format') ?? 'text';
    if (format === 'json') cli.out(`${JSON.stringify(problems, null, 2)}\n`);
    else if (format === 'github') cli.out(problems.map((p) => `${annotation(p)}\n`).join(''));
    else if (format === 'text') {
      for (const problem of problems) cli.out(`${formatProblem(problem)}\n`);
      const errors = problems.filter((p) => p.severity === 'error').length;
      cli.out(
        `${set.incidents.length} valid record(s), ${errors} error(s), ` +
          `${problems.length - errors} warning(s)\n`,
      );
    } else throw new UsageError('--format must be text, json or github');
    return problems.some((p) => p.severity === 'error') ? 1 : 0;
  },
};
