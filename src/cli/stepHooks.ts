/**
 * What the CLI adds around the lifecycle commands without changing their module: `close`
 * reads the post-incident review so the closure rules of `.incidents.yml` are judged, and
 * every step that made a commit is announced to the team's Slack and Teams webhooks.
 *
 * Limitation: this wraps the command objects of `commands/lifecycle.ts` at start-up — that
 * module is owned elsewhere; the wrapping can move into its `step()` unchanged.
 */
import { prepareClose } from '../core/closureCheck';
import { gitConfigTargets, notifyCommit, webhookTargets } from '../core/notify';
import type { IncidentRepository } from '../core/repository';
import { runStep } from '../core/steps';
import type { CliContext, Command } from './context';

const STEP_COMMANDS = ['new', 'triage', 'ack', 'escalate', 'resolve', 'close', 'reopen'];
const WEBHOOK_KEYS = ['notifications', 'webhooks', 'slack_webhook', 'teams_webhook'];

/** Makes `close` judge the review, and every step command notify after its commit. */
export function installStepHooks(commands: Command[]): void {
  for (const command of commands) {
    if (command.name === 'close') command.run = closeWithRules;
    if (STEP_COMMANDS.includes(command.name)) command.run = withNotifications(command.run);
  }
}

/** `close`, with the review read for the closure rules (see closureCheck.ts). */
export async function closeWithRules(cli: CliContext): Promise<number> {
  const repo = await cli.repo();
  const id = cli.target();
  const step = await prepareClose(repo, id, {
    kind: 'close',
    postmortem: cli.string('postmortem'),
    notifiedAt: await cli.time('notified-at'),
  });
  const at = await cli.time('at');
  const time = at === undefined ? { at: Date.now(), backdated: false } : { at, backdated: true };
  const result = await runStep(repo, id, step, time);
  cli.out(`${result.plan.subject}  (${result.file}, commit ${result.commit.slice(0, 10)})\n`);
  return 0;
}

/** Runs a step command, then notifies about the commit it made, if it made one. */
export function withNotifications(run: Command['run']): Command['run'] {
  return async (cli) => {
    const before = await head(cli);
    const code = await run(cli);
    if (code !== 0 || before === null || process.env.GIT_INCIDENTS_NOTIFY === '0') return code;
    try {
      const repo = await cli.repo();
      const after = await head(cli);
      if (!after || after === before) return code;
      warnAboutCommittedWebhooks(repo);
      const targets = webhookTargets(process.env, await gitConfigTargets(repo.git));
      await notifyCommit(repo, after, targets);
    } catch (error) {
      cli.logger.warn(`no notification sent: ${(error as Error).message}; the step is committed`);
    }
    return code;
  };
}

/** HEAD's commit; undefined without commits, null when there is no repository to ask. */
async function head(cli: CliContext): Promise<string | undefined | null> {
  let repo: IncidentRepository;
  try {
    repo = await cli.repo();
  } catch {
    return null;
  }
  const result = await repo.git.run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {
    read: true,
    okCodes: [1, 128],
  });
  return result.stdout.trim() || undefined;
}

/** Webhooks written into `.incidents.yml` are refused by the settings reader; say so here. */
function warnAboutCommittedWebhooks(repo: IncidentRepository): void {
  for (const problem of repo.policyProblems) {
    if (problem.field && WEBHOOK_KEYS.includes(problem.field)) repo.logger.warn(problem.message);
  }
}
