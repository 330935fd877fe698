/**
 * What every CLI command gets: its parsed options, the repository, a logger on stderr, and
 * a writer for results on stdout. Results go to stdout; logs and problems go to stderr.
 */
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { levelLogger, type Logger } from '../core/log';
import { zoneForOffsetless } from '../core/policy';
import { IncidentRepository } from '../core/repository';
import { parseTimestamp } from '../core/time';

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  repo: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Options = NonNullable<ParseArgsConfig['options']>;

/** A command of the CLI. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  run(cli: CliContext): Promise<number>;
}

/** A mistake in how the command was called; exits 2 with the usage. */
export class UsageError extends Error {}

/** The parsed call and the services a command uses. */
export class CliContext {
  readonly logger: Logger;
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
  private repository: IncidentRepository | undefined;

  constructor(
    readonly command: Command,
    argv: string[],
    readonly out: (text: string) => void = (text) => process.stdout.write(text),
    readonly err: (text: string) => void = (text) => process.stderr.write(text),
  ) {
    const parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    this.values = parsed.values as CliContext['values'];
    this.positionals = parsed.positionals;
    const level = this.flag('verbose') ? 'debug' : this.flag('quiet') ? 'error' : 'info';
    this.logger = levelLogger(level, (line) => this.err(`${line}\n`));
  }

  /** The repository of `--repo` or the current directory. */
  async repo(): Promise<IncidentRepository> {
    const dir = this.string('repo') ?? process.cwd();
    // git started in a missing folder fails as if git itself were missing: say what it is.
    if (!existsSync(dir)) throw new UsageError(`--repo ${dir}: no such folder`);
    this.repository ??= await IncidentRepository.open(dir, this.logger);
    return this.repository;
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value.trim() === '') throw new UsageError(`--${name} is required`);
    return value;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** The one positional argument (an id), or a usage error. */
  target(): string {
    if (this.positionals.length !== 1) throw new UsageError('give exactly one record id');
    return this.positionals[0];
  }

  /** Parses a time option; offset-less values are read in the repository's timezone. */
  async time(name: string): Promise<number | undefined> {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const repo = await this.repo();
    // As in records: without a `timezone` setting, a time without an offset is refused.
    const parsed = parseTimestamp(text, zoneForOffsetless(repo.policy));
    if (!parsed.ok) throw new UsageError(`--${name}: ${parsed.reason}`);
    return parsed.at;
  }
}
