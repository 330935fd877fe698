/**
 * `problem`: opens a problem record for the root cause several incidents share and links
 * them both ways, in one commit of exactly those files.
 */
import { openProblem } from '../../core/problemLink';
import { type CliContext, type Command, UsageError } from '../context';

export const problemCommand: Command = {
  name: 'problem',
  summary: 'open a problem for the root cause several incidents share; link them both ways',
  usage: 'problem ID [ID…] --title TEXT [--root-cause TEXT] [--priority P] [--at TIME]',
  options: {
    title: { type: 'string' },
    'root-cause': { type: 'string' },
    priority: { type: 'string' },
    at: { type: 'string' },
  },
  async run(cli: CliContext) {
    const repo = await cli.repo();
    if (cli.positionals.length === 0) throw new UsageError('name at least one incident id');
    const priority = cli.string('priority');
    if (priority && !(priority in repo.policy.priorities)) {
      throw new UsageError(`--priority must be one of ${Object.keys(repo.policy.priorities)}`);
    }
    const result = await openProblem(repo, cli.positionals, {
      title: cli.required('title'),
      rootCause: cli.string('root-cause'),
      priority,
      at: (await cli.time('at')) ?? Date.now(),
    });
    cli.out(
      `${result.id}  ${result.file}  linked: ${result.incidents.join(', ')}  ` +
        `(commit ${result.commit.slice(0, 10)})\n`,
    );
    return 0;
  },
};
