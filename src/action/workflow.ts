/**
 * Talking to the runner and to GitHub: workflow commands on stdout (escaped as the runner
 * requires, so a message cannot start a command of its own), the job summary and outputs
 * files, and the pull-request comment through the REST API at a configurable URL.
 */
import { appendFileSync } from 'node:fs';
import type { Logger } from '../core/log';

/** Escapes the data part of a workflow command. */
export function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A logger on stdout in workflow-command form: warnings become annotations. */
export function workflowLogger(write: (text: string) => void, debug = false): Logger {
  const line = (text: string) => write(`${text}\n`);
  return {
    trace: () => undefined,
    debug: (m) => (debug ? line(`::debug::${commandData(m)}`) : undefined),
    info: (m) => line(m.replace(/^::/, ': :')),
    warn: (m) => line(`::warning::${commandData(m)}`),
    error: (m) => line(`::error::${commandData(m)}`),
  };
}

/** Appends to the job summary, or returns false when the run has none. */
export function appendSummary(file: string | undefined, markdown: string): boolean {
  if (!file) return false;
  appendFileSync(file, `${markdown}\n`, 'utf8');
  return true;
}

/** Sets a step output (`name=value` lines in `$GITHUB_OUTPUT`). */
export function setOutput(file: string | undefined, name: string, value: string): void {
  if (!file) return;
  appendFileSync(file, `${name}=${value.replace(/[\r\n]/g, ' ')}\n`, 'utf8');
}

/** Where and as whom to comment. */
export interface CommentTarget {
  apiUrl: string;
  token: string;
  repository: string;
  pullNumber: number;
}

const TIMEOUT_MS = 15_000;

/**
 * Creates the pull request's metrics comment, or updates the one an earlier run made (found
 * by `marker`), so each push edits one comment instead of adding another.
 */
export async function upsertComment(
  target: CommentTarget,
  marker: string,
  body: string,
): Promise<'created' | 'updated'> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(target.repository)) {
    throw new Error(`GITHUB_REPOSITORY ${target.repository} is not owner/name`);
  }
  const repo = target.repository.split('/').map(encodeURIComponent).join('/');
  const base = `${target.apiUrl}/repos/${repo}`;
  const comments = (await call(
    target,
    'GET',
    `${base}/issues/${target.pullNumber}/comments?per_page=100`,
  )) as {
    id: number;
    body?: string;
  }[];
  const text = `${marker}\n${body}`;
  const mine = Array.isArray(comments)
    ? comments.find((c) => c.body?.startsWith(marker))
    : undefined;
  if (mine) {
    await call(target, 'PATCH', `${base}/issues/comments/${Number(mine.id)}`, { body: text });
    return 'updated';
  }
  await call(target, 'POST', `${base}/issues/${target.pullNumber}/comments`, { body: text });
  return 'created';
}

async function call(target: CommentTarget, method: string, url: string, body?: object) {
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${target.token}`,
      'content-type': 'application/json',
      'user-agent': 'git-incidents-action',
      'x-github-api-version': '2022-11-28',
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${new URL(url).pathname} answered HTTP ${response.status}`);
  }
  return text ? JSON.parse(text) : undefined;
}
