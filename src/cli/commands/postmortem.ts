/**
 * `postmortem`: scaffolds a record's post-incident review (summary, impact, timeline from
 * history, root cause, lessons, follow-ups) and links it from the record, in one commit.
 */
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { createPostmortem } from '../../core/postmortem';
import { type CliContext, type Command, UsageError } from '../context';

/** A path given on the command line (from the current folder) as a path from the root. */
export function repoPath(root: string, given: string): string {
  const path = relative(realpathSync(root), resolve(realpathSync(process.cwd()), given));
  if (path === '' || path.startsWith(`..${sep}`) || path === '..' || resolve(path) === path) {
    throw new UsageError(`${given} is outside the repository`);
  }
  return path.split(sep).join('/');
}

export const postmortemCommand: Command = {
  name: 'postmortem',
  summary: 'scaffold a post-incident review from the record and its history, and link it',
  usage: 'postmortem ID [--out PATH (default: reviews/ID.md beside the records folder)]',
  options: { out: { type: 'string' } },
  async run(cli: CliContext) {
    const repo = await cli.repo();
    const id = cli.target();
    const out = cli.string('out');
    const result = await createPostmortem(repo, id, {
      out: out === undefined ? undefined : repoPath(repo.root, out),
    });
    cli.out(
      `${result.review}  review of ${result.id}, linked from ${result.record}  ` +
        `(commit ${result.commit.slice(0, 10)})\n`,
    );
    return 0;
  },
};
