/**
 * Reading commands: list, show, history. They read the working tree, so a record being
 * edited shows as it is on disk; problems with files are listed on stderr and skipped.
 */
import { isOpen } from '../../core/lifecycle';
import { formatProblem } from '../../core/problem';
import { STATUSES, TYPES } from '../../core/record';
import { recordHistory } from '../../core/recordHistory';
import { ageText, describeSla } from '../../core/slaDescription';
import { formatLocal } from '../../core/time';
import { type CliContext, type Command, UsageError } from '../context';
import { plainText, textTable } from '../table';

/** A filter value that can never match is a typo: say so rather than print nothing. */
function checkListOptions(cli: CliContext, priorities: string[]): void {
  const allowed: [string, readonly string[]][] = [
    ['status', STATUSES],
    ['priority', priorities],
    ['type', TYPES],
    ['format', ['table', 'json']],
  ];
  for (const [name, values] of allowed) {
    const value = cli.string(name);
    if (value !== undefined && !values.includes(value)) {
      throw new UsageError(`--${name} ${value}: use one of ${values.join(', ')}`);
    }
  }
}

export const listCommand: Command = {
  name: 'list',
  summary: 'list open records (--all for every record)',
  usage: 'list [--all] [--status S] [--priority P] [--type T] [--format table|json]',
  options: {
    all: { type: 'boolean' },
    status: { type: 'string' },
    priority: { type: 'string' },
    type: { type: 'string' },
    format: { type: 'string' },
  },
  async run(cli) {
    const repo = await cli.repo();
    checkListOptions(cli, Object.keys(repo.policy.priorities));
    const set = await repo.loadWorkingTree();
    for (const problem of set.problems) cli.err(`${formatProblem(problem)}\n`);
    const now = Date.now();
    const shown = set.incidents.filter(
      (i) =>
        (cli.flag('all') || cli.string('status') || isOpen(i.status)) &&
        (!cli.string('status') || i.status === cli.string('status')) &&
        (!cli.string('priority') || i.priority === cli.string('priority')) &&
        (!cli.string('type') || i.type === cli.string('type')),
    );
    if (cli.string('format') === 'json') {
      const rows = shown.map(({ data: _d, body: _b, ...rest }) => rest);
      cli.out(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const rows = shown.map((i) => [
      i.id,
      i.status,
      i.priority ?? '',
      ageText(i, now),
      i.assignee ?? '',
      describeSla(i, repo.policy, now).text,
      i.title,
    ]);
    cli.out(textTable(['id', 'status', 'pri', 'age', 'assignee', 'SLA', 'title'], rows));
    return set.problems.some((p) => p.severity === 'error') ? 1 : 0;
  },
};

export const showCommand: Command = {
  name: 'show',
  summary: 'show one record: fields, SLA state and its lifecycle from git history',
  usage: 'show ID',
  options: {},
  async run(cli) {
    const repo = await cli.repo();
    const { incident } = await repo.find(cli.target());
    const zone = repo.policy.timezone;
    const lines = [
      `${incident.id}  ${incident.title}`,
      `file:     ${incident.file}`,
      `status:   ${incident.status}`,
      `type:     ${incident.type}`,
    ];
    const add = (label: string, value: string | undefined) => {
      if (value) lines.push(`${`${label}:`.padEnd(10)}${value}`);
    };
    add('priority', incident.priority);
    add('category', incident.category);
    add('service', incident.services.join(', '));
    add('team', incident.team);
    add('assignee', incident.assignee);
    add('reporter', incident.reporter);
    add('SLA', describeSla(incident, repo.policy, Date.now()).text);
    for (const [field, at] of Object.entries(incident.times)) {
      lines.push(`${field}: ${formatLocal(at, zone)} ${zone}`);
    }
    const { events, lifecycle } = await recordHistory(repo, incident);
    lines.push('', `history (${lifecycle.reopens} reopen(s)):`, ...eventLines(events, zone));
    // Titles, names and commit subjects may hold escape sequences a terminal would act on.
    cli.out(`${lines.map(plainText).join('\n')}\n`);
    return 0;
  },
};

function eventLines(
  events: Awaited<ReturnType<typeof recordHistory>>['events'],
  zone: string,
): string[] {
  if (events.length === 0) return ['  (no commits touch this record yet)'];
  return events.map(
    (e) =>
      `  ${formatLocal(e.at, zone)}  ${e.text}` +
      `${e.author ? `  — ${e.author}` : ''}${e.commit ? ` (${e.commit.slice(0, 10)})` : ''}`,
  );
}

export const historyCommand: Command = {
  name: 'history',
  summary: "a record's lifecycle events from git: who moved it, when, from what to what",
  usage: 'history ID [--format text|json]',
  options: { format: { type: 'string' } },
  async run(cli) {
    const repo = await cli.repo();
    const { incident } = await repo.find(cli.target());
    const { events, lifecycle } = await recordHistory(repo, incident);
    const format = cli.string('format') ?? 'text';
    if (format === 'json') {
      const rows = events.map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
      cli.out(
        `${JSON.stringify(
          { id: incident.id, reopens: lifecycle.reopens, events: rows },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    if (format !== 'text') throw new UsageError('--format must be text or json');
    cli.out(`${eventLines(events, repo.policy.timezone).map(plainText).join('\n')}\n`);
    return 0;
  },
};
