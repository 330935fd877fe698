/**
 * The Action: lint annotations on every run; on pull requests the metrics diff between
 * base and head in the job summary (and a comment, given a token); on the default branch
 * the report with charts in an artifact folder. A shallow checkout is refused (or
 * unshallowed, when allowed) rather than reported on with half the history.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { annotation } from '../cli/commands/lint';
import { lintProblems } from '../core/closureCheck';
import type { Logger } from '../core/log';
import { IncidentRepository } from '../core/repository';
import { type ActionContext, readContext } from './context';
import { COMMENT_MARKER, compareRevisions, renderComparison } from './pullRequest';
import { writeReport } from './report';
import { appendSummary, setOutput, upsertComment, workflowLogger } from './workflow';

/** Runs the Action with `env`; writes workflow commands through `write`; returns the exit code. */
export async function runAction(
  env: NodeJS.ProcessEnv,
  write: (text: string) => void,
): Promise<number> {
  const logger = workflowLogger(write, env.RUNNER_DEBUG === '1');
  try {
    const context = readContext(env);
    const repo = await IncidentRepository.open(context.workspace, logger);
    await requireFullHistory(repo, context, logger);

    const { problems } = await lintProblems(repo);
    for (const problem of problems) write(`${annotation(problem)}\n`);
    const errors = problems.filter((p) => p.severity === 'error').length;
    const lintLine = `Lint: ${errors} error(s), ${problems.length - errors} warning(s).`;
    logger.info(lintLine);

    if (context.mode === 'pull-request') await pullRequest(repo, context, logger, lintLine, write);
    if (context.mode === 'report') {
      const result = await writeReport(repo, context.artifactDir);
      setOutput(context.outputFile, 'artifact-dir', result.folder);
      if (!appendSummary(context.summaryFile, `${result.summary}\n${lintLine}\n`)) {
        write(result.summary);
      }
      logger.info(`report written to ${result.folder}: ${result.files.join(', ')}`);
    }
    return errors > 0 && context.failOnErrors ? 1 : 0;
  } catch (error) {
    logger.error((error as Error).message);
    return 1;
  }
}

async function pullRequest(
  repo: IncidentRepository,
  context: ActionContext,
  logger: Logger,
  lintLine: string,
  write: (text: string) => void,
): Promise<void> {
  if (!context.base) {
    throw new Error('no base revision: run on pull_request events, or set the base input');
  }
  const markdown = renderComparison(await compareRevisions(repo, context.base, context.head));
  if (!appendSummary(context.summaryFile, `${markdown}\n${lintLine}\n`)) write(markdown);
  if (!context.token || !context.comment) return;
  if (!context.repository || context.pullNumber === undefined) {
    logger.warn('no pull request number or repository in the event: no comment posted');
    return;
  }
  try {
    const done = await upsertComment(
      {
        ...context,
        token: context.token,
        repository: context.repository,
        pullNumber: context.pullNumber,
      },
      COMMENT_MARKER,
      markdown,
    );
    logger.info(`pull request comment ${done}`);
  } catch (error) {
    // The summary has the numbers; a comment that cannot be posted is not a failed check.
    logger.warn(`pull request comment not posted: ${(error as Error).message}`);
  }
}

/** A shallow clone has no history to compute from: refuse, or fetch it when allowed. */
async function requireFullHistory(
  repo: IncidentRepository,
  context: ActionContext,
  logger: Logger,
) {
  const shallowFile = join(await repo.gitDir(), 'shallow');
  if (!existsSync(shallowFile)) return;
  if (!context.unshallow) {
    throw new Error(
      'this checkout is shallow, so incident times and reopens from git history would be ' +
        'wrong: set `fetch-depth: 0` on actions/checkout, or the input `unshallow: true` to ' +
        'let this Action run `git fetch --unshallow`',
    );
  }
  logger.info('shallow checkout: fetching the whole history (git fetch --unshallow)');
  await repo.git.run(['fetch', '--unshallow', '--quiet'], { timeoutMs: 600_000 });
  if (existsSync(shallowFile)) throw new Error('git fetch --unshallow left the clone shallow');
}

export { readContext };
