/**
 * After a lifecycle step's commit: tell the team's Slack and Teams webhooks, if any are set.
 * A failure to notify is a warning; the commit stands and the exit code is unchanged.
 */
import { gitConfigTargets, notifyCommit, webhookTargets } from '../core/notify';
import type { IncidentRepository } from '../core/repository';
import type { CliContext } from './context';

const WEBHOOK_KEYS = ['notifications', 'webhooks', 'slack_webhook', 'teams_webhook'];

/** Notifies about `commit`, the commit the step itself made. */
export async function announce(cli: CliContext, commit: string): Promise<void> {
  if (process.env.GIT_INCIDENTS_NOTIFY === '0') return;
  try {
    const repo = await cli.repo();
    warnAboutCommittedWebhooks(repo);
    const targets = webhookTargets(process.env, await gitConfigTargets(repo.git));
    await notifyCommit(repo, commit, targets);
  } catch (error) {
    cli.logger.warn(`no notification sent: ${(error as Error).message}; the step is committed`);
  }
}

/** Webhooks written into `.incidents.yml` are refused by the settings reader; say so here. */
function warnAboutCommittedWebhooks(repo: IncidentRepository): void {
  for (const problem of repo.policyProblems) {
    if (problem.field && WEBHOOK_KEYS.includes(problem.field)) repo.logger.warn(problem.message);
  }
}
