/**
 * The lifecycle commands: new, triage, ack, escalate, resolve, close, reopen. Each one is a
 * commit of one record; the output names the record, the transition and the commit.
 */
import { createRecord } from '../../core/create';
import { announce } from '../announce';
import type { Step } from '../../core/lifecycle';
import { TYPES, type RecordType } from '../../core/record';
import { runStep, type StepTime } from '../../core/steps';
import { type CliContext, type Command, UsageError } from '../context';

const AT = { at: { type: 'string' } } as const;

// A clock a little ahead of git's is not a mistake; a step dated days ahead is.
const CLOCK_SKEW_MS = 5 * 60_000;

async function stepTime(cli: CliContext): Promise<StepTime> {
  const at = await cli.time('at');
  if (at === undefined) return { at: Date.now(), backdated: false };
  if (at > Date.now() + CLOCK_SKEW_MS) {
    throw new UsageError(`--at ${cli.string('at')} is in the future; a step records what happened`);
  }
  return { at, backdated: true };
}

async function step(cli: CliContext, make: () => Step | Promise<Step>): Promise<number> {
  const repo = await cli.repo();
  const id = cli.target();
  const result = await runStep(repo, id, await make(), await stepTime(cli));
  cli.out(`${result.plan.subject}  (${result.file}, commit ${result.commit.slice(0, 10)})\n`);
  await announce(cli, result.commit);
  return 0;
}

/** A sensible default for "who": git's configured user name. */
async function gitUser(cli: CliContext): Promise<string | undefined> {
  const repo = await cli.repo();
  const result = await repo.git.run(['config', 'user.name'], { read: true, okCodes: [1] });
  return result.stdout.trim() || undefined;
}

export const newCommand: Command = {
  name: 'new',
  summary: 'log a new incident (or --type problem | service-request)',
  usage:
    'new --title TEXT [--priority P2] [--category C] [--service S] [--reporter R] ' +
    '[--team T] [--type incident] [--started-at TIME] [--at TIME]',
  options: {
    title: { type: 'string' },
    priority: { type: 'string' },
    category: { type: 'string' },
    service: { type: 'string' },
    reporter: { type: 'string' },
    team: { type: 'string' },
    type: { type: 'string' },
    'started-at': { type: 'string' },
    ...AT,
  },
  async run(cli) {
    const repo = await cli.repo();
    const type = cli.string('type') ?? 'incident';
    if (!TYPES.includes(type as RecordType)) {
      throw new UsageError(`--type must be one of ${TYPES.join(', ')}`);
    }
    const priority = cli.string('priority');
    if (priority && !(priority in repo.policy.priorities)) {
      throw new UsageError(`--priority must be one of ${Object.keys(repo.policy.priorities)}`);
    }
    const created = await createRecord(
      repo,
      {
        title: cli.required('title'),
        type: type as RecordType,
        priority,
        category: cli.string('category'),
        service: cli.string('service'),
        reporter: cli.string('reporter') ?? (await gitUser(cli)),
        team: cli.string('team'),
        startedAt: await cli.time('started-at'),
      },
      await stepTime(cli),
    );
    cli.out(`${created.id}  ${created.file}  (commit ${created.commit.slice(0, 10)})\n`);
    await announce(cli, created.commit);
    return 0;
  },
};

export const triageCommand: Command = {
  name: 'triage',
  summary: 'classify and prioritise: logged → triaged (or change the priority)',
  usage: 'triage ID --priority P1..P4 [--category C] [--team T] [--assignee A] [--at TIME]',
  options: {
    priority: { type: 'string' },
    category: { type: 'string' },
    team: { type: 'string' },
    assignee: { type: 'string' },
    ...AT,
  },
  run: (cli) =>
    step(cli, async () => {
      const priority = cli.required('priority');
      const repo = await cli.repo();
      if (!(priority in repo.policy.priorities)) {
        throw new UsageError(`--priority must be one of ${Object.keys(repo.policy.priorities)}`);
      }
      return {
        kind: 'triage',
        priority,
        category: cli.string('category'),
        team: cli.string('team'),
        assignee: cli.string('assignee'),
      };
    }),
};

export const ackCommand: Command = {
  name: 'ack',
  summary: 'acknowledge (first response): → investigating, records acknowledged_at',
  usage: 'ack ID [--assignee NAME (default: git user.name)] [--at TIME]',
  options: { assignee: { type: 'string' }, ...AT },
  run: (cli) =>
    step(cli, async () => ({
      kind: 'ack',
      assignee: cli.string('assignee') ?? (await gitUser(cli)),
    })),
};

export const escalateCommand: Command = {
  name: 'escalate',
  summary: 'escalate: functional (to another team) or hierarchical (to a manager)',
  usage: 'escalate ID --kind functional|hierarchical --to WHO --reason TEXT [--at TIME]',
  options: { kind: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' }, ...AT },
  run: (cli) =>
    step(cli, () => {
      const kind = cli.string('kind') ?? 'functional';
      if (kind !== 'functional' && kind !== 'hierarchical') {
        throw new UsageError('--kind must be functional or hierarchical');
      }
      return {
        kind: 'escalate',
        escalation: kind,
        to: cli.required('to'),
        reason: cli.required('reason'),
      };
    }),
};

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'resolve: service restored; what was done and why it worked',
  usage: 'resolve ID --resolution TEXT [--workaround TEXT] [--root-cause TEXT] [--at TIME]',
  options: {
    resolution: { type: 'string' },
    workaround: { type: 'string' },
    'root-cause': { type: 'string' },
    ...AT,
  },
  run: (cli) =>
    step(cli, () => ({
      kind: 'resolve',
      resolution: cli.required('resolution'),
      workaround: cli.string('workaround'),
      rootCause: cli.string('root-cause'),
    })),
};

export const closeCommand: Command = {
  name: 'close',
  summary: 'close: checks the closure rules, records that the reporter was notified',
  usage: 'close ID [--postmortem PATH|URL] [--notified-at TIME] [--at TIME]',
  options: { postmortem: { type: 'string' }, 'notified-at': { type: 'string' }, ...AT },
  run: (cli) =>
    step(cli, async () => ({
      kind: 'close',
      postmortem: cli.string('postmortem'),
      notifiedAt: await cli.time('notified-at'),
    })),
};

export const reopenCommand: Command = {
  name: 'reopen',
  summary: 'reopen a resolved or closed record (a reason is required once closed)',
  usage: 'reopen ID [--reason TEXT] [--at TIME]',
  options: { reason: { type: 'string' }, ...AT },
  run: (cli) => step(cli, () => ({ kind: 'reopen', reason: cli.string('reason') })),
};
