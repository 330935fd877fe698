/**
 * `git-incidents`: incident records in git, from the terminal and CI. Installed on PATH it
 * also runs as `git incidents …`. Exit codes: 0 done, 1 refused or failed, 2 bad usage.
 */
import { GitError } from '../core/git';
import { formatProblem, ProblemError } from '../core/problem';
import { RecordNotUsable } from '../core/repository';
import { CliContext, type Command, UsageError } from './context';
import { plainText } from './table';
import {
  ackCommand,
  closeCommand,
  escalateCommand,
  newCommand,
  reopenCommand,
  resolveCommand,
  triageCommand,
} from './commands/lifecycle';
import { lintCommand } from './commands/lint';
import { metricsCommand } from './commands/metrics';
import { historyCommand, listCommand, showCommand } from './commands/records';
import { extraCommands } from './extraCommands';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: Command[] = [
  newCommand,
  listCommand,
  showCommand,
  triageCommand,
  ackCommand,
  escalateCommand,
  resolveCommand,
  closeCommand,
  reopenCommand,
  historyCommand,
  lintCommand,
  metricsCommand,
  ...extraCommands,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = [
    'usage: git-incidents <command> [options]   (or: git incidents …)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options for every command: --repo DIR, --verbose, --quiet, --help',
    'times (--at, --since, …) are ISO 8601; without an offset they are read in the ' +
      "repository's timezone",
  ];
  return `${lines.join('\n')}\n`;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`git-incidents: unknown command \`${name}\`\n\n${help()}`);
    return 2;
  }
  let cli: CliContext;
  try {
    cli = new CliContext(command, rest);
  } catch (error) {
    process.stderr.write(
      `git-incidents ${name}: ${(error as Error).message}\n` +
        `usage: git-incidents ${command.usage}\n`,
    );
    return 2;
  }
  if (cli.flag('help')) {
    process.stdout.write(`usage: git-incidents ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  return runCommand(cli);
}

async function runCommand(cli: CliContext): Promise<number> {
  try {
    return await cli.command.run(cli);
  } catch (error) {
    return reportError(cli, error as Error);
  }
}

function reportError(cli: CliContext, error: Error): number {
  const name = cli.command.name;
  if (error instanceof UsageError) {
    cli.err(`git-incidents ${name}: ${error.message}\nusage: git-incidents ${cli.command.usage}\n`);
    return 2;
  }
  // A refusal quotes record text (a file name, a value), which may hold escape sequences.
  cli.err(`git-incidents ${name}: ${plainText(error.message)}\n`);
  const problems =
    error instanceof ProblemError || error instanceof RecordNotUsable ? error.problems : [];
  for (const problem of problems) cli.err(`${formatProblem(problem)}\n`);
  if (!(error instanceof GitError) && problems.length === 0 && !isExpected(error)) {
    cli.logger.debug(error.stack ?? '');
  }
  return 1;
}

function isExpected(error: Error): boolean {
  return ['TransitionError', 'RecordBusyError', 'ShallowCloneError'].includes(error.name);
}

if (require.main === module) {
  // A reader that stops early (`git incidents lint | head`) is not an error: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
