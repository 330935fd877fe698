/**
 * What the Action runs with: its inputs (`INPUT_*`, as the runner passes `with:` values, or
 * as action.yml maps them for the composite steps), the `GITHUB_*` variables, the event
 * payload, and where its output goes. Read once, from an environment given to it, so tests
 * run the Action with whatever environment they build.
 */
import { readFileSync } from 'node:fs';

/** What the Action does in this run. */
export type Mode = 'pull-request' | 'report' | 'lint';

/** Everything the run needs from its environment. */
export interface ActionContext {
  mode: Mode;
  workspace: string;
  token?: string;
  apiUrl: string;
  repository?: string;
  pullNumber?: number;
  base?: string;
  head: string;
  artifactDir: string;
  unshallow: boolean;
  failOnErrors: boolean;
  comment: boolean;
  summaryFile?: string;
  outputFile?: string;
}

interface EventPayload {
  pull_request?: { number?: number; base?: { sha?: string } };
  repository?: { default_branch?: string };
}

/** Reads the context from `env`; throws with what to fix when an input is wrong. */
export function readContext(env: NodeJS.ProcessEnv): ActionContext {
  // The runner keeps `-` in input names (INPUT_API-URL); action.yml maps them to `_` for
  // the composite step, where a shell could not name them. Either is read.
  const input = (name: string) => {
    const key = `INPUT_${name.toUpperCase()}`;
    return (env[key] ?? env[key.replace(/-/g, '_')])?.trim() || undefined;
  };
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const mode = (input('mode') ?? 'auto') as Mode | 'auto';
  if (!['auto', 'pull-request', 'report', 'lint'].includes(mode)) {
    throw new Error(`input mode: ${mode} is not one of auto, pull-request, report, lint`);
  }
  return {
    mode: mode === 'auto' ? autoMode(env, event) : mode,
    workspace: input('working-directory') ?? env.GITHUB_WORKSPACE ?? process.cwd(),
    token: input('token'),
    apiUrl: (input('api-url') ?? env.GITHUB_API_URL ?? 'https://api.github.com').replace(
      /\/+$/,
      '',
    ),
    repository: env.GITHUB_REPOSITORY,
    pullNumber: event.pull_request?.number,
    base: input('base') ?? event.pull_request?.base?.sha,
    head: input('head') ?? 'HEAD',
    artifactDir: input('artifact-dir') ?? 'incident-metrics',
    unshallow: flag(input('unshallow'), false, 'unshallow'),
    failOnErrors: flag(input('fail-on-errors'), true, 'fail-on-errors'),
    comment: flag(input('comment'), true, 'comment'),
    summaryFile: env.GITHUB_STEP_SUMMARY || undefined,
    outputFile: env.GITHUB_OUTPUT || undefined,
  };
}

function autoMode(env: NodeJS.ProcessEnv, event: EventPayload): Mode {
  const name = env.GITHUB_EVENT_NAME ?? '';
  if (name === 'pull_request' || name === 'pull_request_target') return 'pull-request';
  if (name === 'schedule' || name === 'workflow_dispatch') return 'report';
  const branch = event.repository?.default_branch;
  if (name === 'push' && branch && env.GITHUB_REF === `refs/heads/${branch}`) return 'report';
  return 'lint';
}

function readEvent(path: string | undefined): EventPayload {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EventPayload;
  } catch (error) {
    throw new Error(`cannot read the event payload ${path}: ${(error as Error).message}`);
  }
}

function flag(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined) return fallback;
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new Error(`input ${name}: ${value} is not true or false`);
}
