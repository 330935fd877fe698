/**
 * What a lifecycle step says in chat: a Slack message (`text` for notifications, `blocks`
 * for the layout) and a Microsoft Teams message carrying an Adaptive Card. Record text goes
 * into Slack as `plain_text` (never parsed for links or mentions) and into Teams with its
 * markdown characters escaped, so a title cannot ping a channel or hide a link.
 */

/** A lifecycle step as chat messages tell it. */
export interface StepNotice {
  id: string;
  title: string;
  type: string;
  status: string;
  /** The transition `from -> to` of the commit; `from` is `none` for a new record. */
  from: string;
  to: string;
  /** The commit subject, e.g. `INC-…: investigating → resolved`. */
  subject: string;
  commit: string;
  author: string;
  file: string;
  priority?: string;
  assignee?: string;
  reporter?: string;
  resolution?: string;
}

const LIMIT = 1900;

/** The Slack incoming-webhook payload. */
export function slackMessage(notice: StepNotice) {
  const heading = headline(notice);
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(heading, 150) } },
    { type: 'section', fields: facts(notice).map(([k, v]) => plain(`${k}: ${v}`)) },
  ];
  const loop = closingTheLoop(notice);
  if (loop) blocks.push({ type: 'section', text: plain(loop) });
  blocks.push({
    type: 'context',
    elements: [plain(`${notice.file} · commit ${notice.commit.slice(0, 10)}`)],
  });
  // `text` is what notifications show; Slack reads it as mrkdwn, so its markup is escaped.
  return { text: slackEscape(loop ?? heading), blocks };
}

/** The Teams incoming-webhook payload: a message with one Adaptive Card. */
export function teamsMessage(notice: StepNotice) {
  const body: object[] = [
    {
      type: 'TextBlock',
      text: teamsEscape(headline(notice)),
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
    },
    {
      type: 'FactSet',
      facts: facts(notice).map(([title, value]) => ({ title, value: teamsEscape(value) })),
    },
  ];
  const loop = closingTheLoop(notice);
  if (loop) body.push({ type: 'TextBlock', text: teamsEscape(loop), wrap: true });
  body.push({
    type: 'TextBlock',
    text: teamsEscape(`${notice.file} · commit ${notice.commit.slice(0, 10)}`),
    isSubtle: true,
    size: 'Small',
    wrap: true,
  });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
        },
      },
    ],
  };
}

/** One line: what happened to which record. */
export function headline(notice: StepNotice): string {
  const what =
    notice.from === 'none'
      ? `logged${notice.priority ? ` as ${notice.priority}` : ''}`
      : notice.from === notice.to
        ? notice.subject.slice(notice.id.length + 2) || 'updated'
        : `${notice.from} → ${notice.to}`;
  return clip(`${notice.id} ${what}: ${notice.title}`, LIMIT);
}

/**
 * On close, the message to the reporter: their incident is resolved and how ("closing the
 * loop"); the record's `reporter_notified_at` says when this was sent.
 */
export function closingTheLoop(notice: StepNotice): string | undefined {
  if (notice.to !== 'closed') return undefined;
  const to = notice.reporter ? `${notice.reporter}, the` : 'The';
  const how = notice.resolution ? ` Resolution: ${notice.resolution}` : '';
  return clip(`${to} incident you reported, "${notice.title}", is resolved and closed.${how}`);
}

function facts(notice: StepNotice): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['Priority', notice.priority],
    ['Status', notice.status],
    ['Assignee', notice.assignee],
    ['Reporter', notice.reporter],
    ['By', notice.author],
  ];
  return rows.filter((r): r is [string, string] => !!r[1]).map(([k, v]) => [k, clip(v, 200)]);
}

function plain(text: string) {
  return { type: 'plain_text', text: clip(text), emoji: false };
}

/** Slack's mrkdwn reads `&`, `<` and `>` as markup (links, mentions); these three escape it. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Adaptive Card text is markdown: emphasis, lists and `[links](…)`. Backslash-escaping the
 * punctuation keeps record text literal.
 * Limitation: older Teams clients show the backslashes — a literal `\*` beats a forged link.
 */
export function teamsEscape(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]~]/g, (c) => `\\${c}`)
    .replace(/^([-+#>]|\d+\.)/, '\\$1');
}

function clip(text: string, max = LIMIT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
