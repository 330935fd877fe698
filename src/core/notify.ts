/**
 * Telling the team: after a lifecycle step is committed, a message to Slack and Microsoft
 * Teams incoming webhooks. The commit is the source: the notice is read back from it, so the
 * CLI and the extension send the same thing. Sending never throws: a failure is a warning,
 * bounded by a timeout, and the commit stands.
 *
 * Webhook URLs are secrets. They come from the environment or from the user's own settings
 * (`git config incidents.slackWebhook`, the editor's settings), never from `.incidents.yml`.
 */
import type { Git } from './git';
import type { Logger } from './log';
import { type StepNotice, slackMessage, teamsMessage } from './notifyMessages';
import { readRecord } from './record';
import type { IncidentRepository } from './repository';

/** Where to send: incoming-webhook URLs. */
export interface WebhookTargets {
  slack?: string;
  teams?: string;
}

/** What one send did. */
export interface NotifyOutcome {
  target: 'slack' | 'teams';
  ok: boolean;
  detail: string;
}

/** The environment variables read for webhook URLs. */
export const WEBHOOK_ENV = {
  slack: 'GIT_INCIDENTS_SLACK_WEBHOOK',
  teams: 'GIT_INCIDENTS_TEAMS_WEBHOOK',
} as const;

/** The git config keys read for webhook URLs (user, global or `.git/config`: not committed). */
export const WEBHOOK_GIT_CONFIG = {
  slack: 'incidents.slackWebhook',
  teams: 'incidents.teamsWebhook',
} as const;

const DEFAULT_TIMEOUT_MS = 5000;

/** The targets: each from the environment when set there, else from the user's settings. */
export function webhookTargets(
  env: NodeJS.ProcessEnv = process.env,
  settings: WebhookTargets = {},
): WebhookTargets {
  const pick = (key: keyof WebhookTargets) => env[WEBHOOK_ENV[key]]?.trim() || settings[key];
  const targets: WebhookTargets = {};
  for (const key of ['slack', 'teams'] as const) {
    const url = pick(key);
    if (url) targets[key] = url;
  }
  return targets;
}

/** The user's webhook settings from git config (`git config --global incidents.…`). */
export async function gitConfigTargets(git: Git): Promise<WebhookTargets> {
  const read = async (key: string) => {
    const result = await git.run(['config', '--get', key], { read: true, okCodes: [1] });
    return result.stdout.trim() || undefined;
  };
  return {
    slack: await read(WEBHOOK_GIT_CONFIG.slack),
    teams: await read(WEBHOOK_GIT_CONFIG.teams),
  };
}

/** Why a URL is not used, or undefined when it is fine: https, or http to this machine. */
export function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname);
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback)) return undefined;
  return 'must be an https:// URL (plain http only to this machine, for relays and tests)';
}

/** Sends `notice` to every target; never throws, warns on each failure. */
export async function sendNotice(
  notice: StepNotice,
  targets: WebhookTargets,
  logger: Logger,
  timeoutMs = Number(process.env.GIT_INCIDENTS_NOTIFY_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS),
): Promise<NotifyOutcome[]> {
  const sends: Promise<NotifyOutcome>[] = [];
  if (targets.slack) sends.push(post('slack', targets.slack, slackMessage(notice), timeoutMs));
  if (targets.teams) sends.push(post('teams', targets.teams, teamsMessage(notice), timeoutMs));
  const outcomes = await Promise.all(sends);
  for (const outcome of outcomes) {
    const name = outcome.target === 'slack' ? 'Slack' : 'Teams';
    if (outcome.ok) logger.debug(`notified ${name}: ${outcome.detail}`);
    else logger.warn(`${notice.id}: not notified on ${name} (${outcome.detail}); committed`);
  }
  return outcomes;
}

async function post(
  target: NotifyOutcome['target'],
  url: string,
  payload: object,
  timeoutMs: number,
): Promise<NotifyOutcome> {
  const problem = webhookUrlProblem(url);
  // The URL is a secret: only its origin ever reaches a message or a log.
  const where = problem ? 'the webhook URL' : new URL(url).origin;
  if (problem) return { target, ok: false, detail: `the webhook URL ${problem}` };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await response.body?.cancel();
    if (response.ok) return { target, ok: true, detail: `${where} answered ${response.status}` };
    return { target, ok: false, detail: `${where} answered HTTP ${response.status}` };
  } catch (error) {
    const err = error as Error;
    const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
    const why = timedOut ? `no answer within ${timeoutMs} ms` : causeOf(err);
    return { target, ok: false, detail: `${where}: ${why}` };
  }
}

function causeOf(error: Error): string {
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

/** The notice of a lifecycle commit, read back from it; undefined for other commits. */
export async function noticeFromCommit(
  repo: IncidentRepository,
  commit: string,
): Promise<StepNotice | undefined> {
  // NUL-separated: an author's name may hold any other separator.
  const shown = await repo.git.run(['show', '-s', '--format=%H%x00%an%x00%B', commit, '--'], {
    read: true,
  });
  const [hash, author, message] = shown.stdout.split('\0');
  const id = message?.match(/^Incident-Id: (\S+)$/m)?.[1];
  const transition = message?.match(/^Incident-Transition: (\S+) -> (\S+)$/m);
  if (!id || !transition) return undefined;

  const changed = await repo.git.run(
    ['diff-tree', '--root', '--no-commit-id', '--name-only', '-r', '-z', hash, '--'],
    { read: true },
  );
  for (const file of changed.stdout.split('\0').filter((f) => f.endsWith('.md'))) {
    const blob = await repo.git.run(['cat-file', 'blob', `${hash}:${file}`], { read: true });
    const incident = readRecord(file, blob.stdout, repo.readOptions).incident;
    if (incident?.id !== id) continue;
    const resolution = incident.data.resolution;
    return {
      id,
      title: incident.title,
      type: incident.type,
      status: incident.status,
      from: transition[1],
      to: transition[2],
      subject: message.split('\n')[0],
      commit: hash,
      author,
      file,
      priority: incident.priority,
      assignee: incident.assignee,
      reporter: incident.reporter,
      resolution: typeof resolution === 'string' ? resolution : undefined,
    };
  }
  return undefined;
}

/** Notifies the targets of the lifecycle commit `commit`; for the CLI and the extension. */
export async function notifyCommit(
  repo: IncidentRepository,
  commit: string,
  targets: WebhookTargets,
): Promise<NotifyOutcome[]> {
  if (!targets.slack && !targets.teams) return [];
  try {
    const notice = await noticeFromCommit(repo, commit);
    if (!notice) return [];
    return await sendNotice(notice, targets, repo.logger);
  } catch (error) {
    repo.logger.warn(`no notification sent: ${(error as Error).message}; the step is committed`);
    return [];
  }
}
