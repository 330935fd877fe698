// Records whose every text field, file name, author and commit message carries HTML, script,
// markdown, codicon and template payloads, shown in the real VS Code: the tree, its
// tooltips, the status bar, notifications, the history document and the metrics page must
// show them as the text they are, and nothing in them may run. The suite writes its own
// records and settings, commits them, and takes them out again, because the other suites
// count the fixture's records by hand.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { screenshot } from './screenshot';
import { flatten, git, root, testing, waitFor } from './support';

const IMG = `<img src=x onerror="window.__pwned='img';document.title='PWNED'">`;
const SCRIPT = `<script>window.__pwned='script';document.title='PWNED'</script>`;
const SVG = `"><svg onload="window.__pwned='svg'">`;
const MD_LINK = '[Open settings](command:workbench.action.openSettings)';
const MD_IMAGE = '![pixel](https://127.0.0.1/pixel.png)';
const TEMPLATE = "{{constructor.constructor('window.__pwned=1')()}}";
const RTL = '\u202Etxt.exe\u202C עברית العربية';
const ZERO_WIDTH = 'zero\u200Bwidth\u200Djoiner\uFEFF';

/** Priorities put first in the settings, so the status bar counts them. */
const P0 = '$(bug) P0';
const P_IMG = '<img src=x onerror=window.__pwned=2>';

const TITLE_1 = `${IMG} ${SCRIPT} ${SVG}`;
const TITLE_2 =
  `${MD_LINK} ${MD_IMAGE} **bold** $(flame) ${TEMPLATE} ` +
  'https://127.0.0.1/phish kim@example.invalid <a href="javascript:window.__pwned=3">x</a>';
const LONG = 'long '.repeat(1000).trim();
/** Ends in an override that nothing closes. */
const TITLE_3 = `${RTL} ${ZERO_WIDTH} \u202Eunterminated`;
const CATEGORY_3 = `${RTL} ${LONG}`;
const BROKEN_PRIORITY =
  '<img src=x onerror=window.__pwned=4>[Fix it](command:workbench.action.openSettings)';
const BAD_FILE = 'incidents/2026/07/"><img src=x onerror=window.__pwned=5>.md';
const AUTHOR =
  '<img src=x onerror=window.__pwned=6> [Author](command:workbench.action.openSettings)';
const ESCALATE_TO = '[Run this](command:workbench.action.openSettings)';

/** VS Code's pattern for links in notification messages (parseLinkedText, 1.100). */
const NOTIFICATION_LINK =
  /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

interface Snapshot {
  id?: string;
  label: string;
  description?: string;
  tooltip?: string;
  tooltipFlags?: { isTrusted: unknown; supportHtml: boolean; supportThemeIcons: boolean };
  children?: Snapshot[];
}
interface Probe {
  title: string;
  marker: string | null;
  tags: string[];
  notes: string[];
  labels: Record<string, string[]>;
}
type Api = Awaited<ReturnType<typeof testing>> & {
  tree(): Promise<Snapshot[]>;
  metricsProbe(): Promise<Probe | undefined>;
};

const RECORDS: Record<string, string> = {
  'incidents/2026/07/INC-20260701-hostile1.md': record({
    id: 'INC-20260701-hostile1',
    title: TITLE_1,
    status: 'triaged',
    priority: P0,
    category: IMG,
    service: SVG,
    team: "javascript:window.__pwned='team'",
    assignee: MD_LINK,
    detected_at: '2026-07-01T10:00:00Z',
  }),
  'incidents/2026/07/INC-20260702-hostile2.md': record({
    id: 'INC-20260702-hostile2',
    title: TITLE_2,
    status: 'triaged',
    priority: P_IMG,
    category: '$(flame) {{7*7}}',
    service: [MD_IMAGE, '{{service}}'],
    team: '{{team}}',
    assignee: '$(bug)',
    detected_at: '2026-07-02T10:00:00Z',
  }),
  'incidents/2026/07/INC-20260703-hostile3.md': record({
    id: 'INC-20260703-hostile3',
    title: TITLE_3,
    status: 'investigating',
    priority: 'P4',
    category: CATEGORY_3,
    team: ZERO_WIDTH,
    assignee: '\u202Eevil',
    detected_at: '2026-07-03T10:00:00Z',
    acknowledged_at: '2026-07-03T11:00:00Z',
  }),
  'incidents/2026/07/INC-20260704-broken.md': record({
    id: 'INC-20260704-broken',
    title: 'Broken on purpose',
    status: 'triaged',
    priority: BROKEN_PRIORITY,
    detected_at: '2026-07-04T10:00:00Z',
  }),
  [BAD_FILE]: `not a record ${SCRIPT}\n`,
};

/** A record file; every value written as a JSON string, which YAML reads as the same text. */
function record(fields: Record<string, string | string[]>): string {
  const lines = Object.entries(fields).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  const body = `## Summary\n\n${SCRIPT}\n\n${IMG}\n\n${MD_LINK}\n\n${'long '.repeat(2000)}\n`;
  return `---\n${lines.join('\n')}\n---\n\n${body}`;
}

/** Commits `files` with the message from stdin, by `author`, at `date` when given. */
function commit(message: string, files: string[], author: string, date?: string): void {
  const env = date
    ? { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
    : undefined;
  execFileSync(
    'git',
    ['-c', `user.name=${author}`, 'commit', '-q', '--no-verify', '-F', '-', '--', ...files],
    { cwd: root(), input: message, env },
  );
}

function item(roots: Snapshot[], id: string): Snapshot {
  const found = flatten(roots).find((i) => i.id?.endsWith(`/${id}`));
  assert.ok(found, `no tree item ${id}`);
  return found as Snapshot;
}

/** What a notification would show, captured on the way to VS Code. */
const notices: string[] = [];
const NOTICE_KINDS = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const;
const originals = new Map<string, unknown>();

function captureNotices(): void {
  const window = vscode.window as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const kind of NOTICE_KINDS) {
    const original = window[kind];
    originals.set(kind, original);
    window[kind] = (message: unknown, ...rest: unknown[]) => {
      notices.push(String(message));
      return original.call(vscode.window, message, ...rest);
    };
  }
}

function releaseNotices(): void {
  const window = vscode.window as unknown as Record<string, unknown>;
  for (const [kind, original] of originals) window[kind] = original;
  originals.clear();
}

describe('hostile text', function () {
  this.timeout(60_000);
  let settings = '';
  const files = Object.keys(RECORDS);

  before(async () => {
    const api = await testing();
    settings = readFileSync(join(root(), '.incidents.yml'), 'utf8');
    const priorities =
      'priorities:\n' +
      `  ${JSON.stringify(P0)}: {name: Zero, respond: 15m, resolve: 4h}\n` +
      `  ${JSON.stringify(P_IMG)}: {name: ${JSON.stringify(SCRIPT)}, respond: 1h, resolve: 24h}\n`;
    writeFileSync(join(root(), '.incidents.yml'), settings.replace('priorities:\n', priorities));
    mkdirSync(join(root(), 'incidents', '2026', '07'), { recursive: true });
    for (const [file, text] of Object.entries(RECORDS)) writeFileSync(join(root(), file), text);
    git('add', '--', '.incidents.yml', ...files);
    // Dated, so the acknowledgements history derives from it (the first commit showing an
    // assignee) are fixed: 4 days after hostile1's detection, 3 after hostile2's.
    const message = `INC-20260701-hostile1: logged ${SCRIPT}\n\n${MD_LINK}\n`;
    commit(message, ['.incidents.yml', ...files], AUTHOR, '2026-07-05T10:00:00Z');
    await api.refresh();
    captureNotices();
  });

  after(async () => {
    releaseNotices();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    writeFileSync(join(root(), '.incidents.yml'), settings);
    git('rm', '-q', '--', ...files);
    git('add', '--', '.incidents.yml');
    commit('Hostile records removed\n', ['.incidents.yml', ...files], 'Git Incidents Test');
    await (await testing()).refresh();
  });

  it('shows titles, priorities, assignees and file names in the tree as written', async () => {
    const roots = await ((await testing()) as Api).tree();
    const one = item(roots, 'INC-20260701-hostile1');
    assert.equal(one.label, TITLE_1);
    // Tree labels and descriptions are plain text in VS Code: no icons, no markup.
    assert.match(one.description ?? '', /^\$\(bug\) P0 · \d+d \d+h \d+m · \[Open settings\]/);
    assert.ok(one.description?.endsWith(` · ${MD_LINK}`), one.description);

    const two = item(roots, 'INC-20260702-hostile2');
    assert.equal(two.label, TITLE_2);
    assert.match(
      two.description ?? '',
      /^<img src=x onerror=window\.__pwned=2> · \d+d .* · \$\(bug\)$/,
    );

    const three = item(roots, 'INC-20260703-hostile3');
    // The title closes its first override and not its second, so the label closes it:
    // otherwise the row's description would read reversed after it. So does the assignee.
    assert.equal(three.label, `${TITLE_3}\u202C`);
    assert.match(three.description ?? '', /^P4 · \d+d \d+h \d+m · \u202Eevil\u202C$/);

    const problems = roots.find((r) => r.id === 'problems');
    assert.deepEqual(
      problems?.children
        ?.map((c) => `${c.label}: ${c.description}`)
        .filter((t) => !t.includes('P7')),
      [
        '"><img src=x onerror=window.__pwned=5>.md: line 1: ' +
          'the file does not start with a `---` front-matter fence',
        `INC-20260704-broken.md: line 5: unknown priority \`${BROKEN_PRIORITY}\``,
      ],
    );
  });

  it('escapes every payload in tooltips, which are untrusted, without HTML or icons', async () => {
    const roots = await ((await testing()) as Api).tree();
    const one = item(roots, 'INC-20260701-hostile1');
    assert.deepEqual(one.tooltipFlags, {
      isTrusted: false,
      supportHtml: false,
      supportThemeIcons: false,
    });
    // By hand: & and < as entities (ours), markdown punctuation backslash-escaped, spaces as
    // &nbsp; and > as \> (VS Code's appendText), : escaped so no autolink forms (ours).
    const title =
      "**&lt;img&nbsp;src=x&nbsp;onerror=\"window.\\_\\_pwned='img';document.title='PWNED'\"\\>" +
      "&nbsp;&lt;script\\>window.\\_\\_pwned='script';document.title='PWNED'&lt;/script\\>" +
      '&nbsp;"\\>&lt;svg&nbsp;onload="window.\\_\\_pwned=\'svg\'"\\>**  \n';
    assert.ok(one.tooltip?.startsWith(title), one.tooltip);
    assert.ok(
      one.tooltip?.includes(
        '**Assignee:** \\[Open&nbsp;settings\\]\\(command\\:workbench.action.openSettings\\)  \n',
      ),
      one.tooltip,
    );
    assert.ok(
      one.tooltip?.includes("**Team:** javascript\\:window.\\_\\_pwned='team'  \n"),
      one.tooltip,
    );

    // Rendered by VS Code's own markdown engine (HTML allowed there): no element, no link
    // of ours survives, and the visible text is the record's text.
    // That engine adds bare-link detection and `$…$` math to CommonMark, which hovers do
    // not have; both are switched off for the check.
    const markdown = vscode.extensions.getExtension('vscode.markdown-language-features');
    await markdown?.activate();
    await useSettings({ 'markdown.preview.linkify': false, 'markdown.math.enabled': false });
    try {
      for (const [id, title] of [
        ['INC-20260701-hostile1', TITLE_1],
        ['INC-20260702-hostile2', TITLE_2],
      ]) {
        const tip = item(roots, id).tooltip ?? '';
        const html = String(await vscode.commands.executeCommand('markdown.api.render', tip));
        assert.doesNotMatch(html, /<(img|svg|script|a|iframe)[\s>]/i, html);
        const text = decode(html.replace(/<[^>]*>/g, '')).replace(/\u00a0/g, ' ');
        assert.ok(text.includes(title), `${id}: ${text}`);
      }
    } finally {
      await useSettings({
        'markdown.preview.linkify': undefined,
        'markdown.math.enabled': undefined,
      });
    }
  });

  it('shows priority names in the status bar as text, not as icons', async () => {
    const api = await testing();
    // Open in the first two priorities: hostile1 ($(bug) P0) and hostile2 (<img…>), both
    // detected in July with no response, long past 15m and 1h: two breached deadlines.
    // `\$(` is how VS Code shows `$(` literally in a status bar item.
    await waitFor(() => api.statusBarText().includes('P0'), 'the status bar to count P0');
    assert.equal(api.statusBarText(), `$(flame) 1 \\$(bug) P0 · 1 ${P_IMG}  $(error) 2 breached`);
  });

  it('puts no link from record text in a notification', async () => {
    notices.length = 0;
    const outcome = (await vscode.commands.executeCommand('gitIncidents.escalate', {
      id: 'INC-20260701-hostile1',
      kind: 'functional',
      to: ESCALATE_TO,
      reason: SCRIPT,
    })) as { ok: boolean; commit?: string };
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const refused = (await vscode.commands.executeCommand('gitIncidents.acknowledge', {
      id: 'INC-20260704-broken',
    })) as { ok: boolean };
    assert.equal(refused.ok, false);

    const short = outcome.commit?.slice(0, 10);
    const joiner = '\u2060';
    const broken = BROKEN_PRIORITY.replace('](', `]${joiner}(`);
    assert.deepEqual(notices, [
      `INC-20260701-hostile1: escalated (functional) to [Run this]${joiner}` +
        `(command:workbench.action.openSettings) — committed ${short}`,
      'Acknowledge: INC-20260704-broken cannot be changed until its problems are fixed: ' +
        `incidents/2026/07/INC-20260704-broken.md:5: unknown priority \`${broken}\` — ` +
        `unknown priority \`${broken}\``,
    ]);
    for (const notice of notices) assert.doesNotMatch(notice, NOTIFICATION_LINK);
    await screenshot('hostile-notifications');
  });

  it('lists records in the record picker with icon syntax shown as text', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const window = vscode.window as unknown as Record<string, unknown>;
    const original = window.showQuickPick;
    const offered: { label: string; description?: string; detail?: string }[] = [];
    window.showQuickPick = async (items: typeof offered) => {
      offered.push(...(await items));
      return undefined;
    };
    try {
      // No record named and no record open: the command asks which one.
      const outcome = (await vscode.commands.executeCommand('gitIncidents.acknowledge')) as {
        ok: boolean;
        reason?: string;
      };
      assert.deepEqual(outcome, { ok: false, reason: 'cancelled' });
    } finally {
      window.showQuickPick = original;
    }
    const two = offered.find((item) => item.label === 'INC-20260702-hostile2');
    // A quick pick draws `$(name)` as an icon; `\$(` shows the characters.
    assert.equal(two?.detail, TITLE_2.replace('$(flame)', '\\$(flame)'));
    const one = offered.find((item) => item.label === 'INC-20260701-hostile1');
    assert.equal(one?.description, '\\$(bug) P0 triaged');
  });

  it('writes the history document as plain text, authors and escalations as written', async () => {
    const outcome = (await vscode.commands.executeCommand('gitIncidents.showHistory', {
      id: 'INC-20260701-hostile1',
    })) as { ok: boolean };
    assert.ok(outcome.ok);
    const document = await waitFor(
      () =>
        vscode.workspace.textDocuments.find(
          (d) =>
            d.uri.scheme === 'git-incidents-history' &&
            d.uri.path === '/INC-20260701-hostile1 history.md',
        ),
      'the history document',
    );
    const text = document.getText();
    assert.ok(text.startsWith(`# INC-20260701-hostile1: ${TITLE_1}\n`), text);
    assert.ok(text.includes(`escalated (functional) to ${ESCALATE_TO}: ${SCRIPT}`), text);
    // git itself drops `<` and `>` from a name; the rest is shown as written.
    const author =
      'img src=x onerror=window.__pwned=6 [Author](command:workbench.action.openSettings)';
    assert.ok(text.includes(`- 2026-07-05 10:00  created → triaged — ${author} (`), text);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('draws the payloads on the metrics page as text, and runs none of them', async () => {
    const api = (await testing()) as Api;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('gitIncidents.openMetrics', {
      since: '2026-07-01',
      until: '2026-08-01',
    });
    const drawn = await waitFor(() => {
      const posted = api.lastMetricsMessage();
      const rendered = api.lastMetricsRendered();
      const head = git('rev-parse', 'HEAD').trim();
      return posted?.report?.revision === head && rendered?.revision === head && rendered;
    }, 'the page to draw the hostile records');
    // hostile1..3 (hostile4 cannot be read), all open. MTTA: hostile3 acknowledged after 1h,
    // the others by the commit showing their assignee, 4d and 3d after detection: (5760 +
    // 4320 + 60) / 3 = 3380 min. The first two missed both targets, P4 has none; nothing is
    // resolved, so there is no reopen rate.
    assert.deepEqual(drawn.figures, {
      records: '3',
      open: '3',
      mttr: '—',
      mtta: '2d 8h 20m',
      responseSla: '0%',
      resolutionSla: '0%',
      reopenRate: '—',
    });

    const html = api.metricsHtml() ?? '';
    for (const text of ['onerror', '__pwned', 'PWNED', 'javascript:', 'command:']) {
      assert.ok(!html.includes(text), `the page's HTML holds ${text}`);
    }

    const probe = await api.metricsProbe();
    assert.ok(probe, 'the page did not answer the probe');
    assert.equal(probe.title, 'Incident Metrics');
    assert.equal(probe.marker, null);
    // The page's own elements and VS Code's (its style and API script), nothing else.
    assert.deepEqual(probe.tags, [
      'body',
      'button',
      'canvas',
      'div',
      'figcaption',
      'figure',
      'form',
      'h1',
      'head',
      'header',
      'html',
      'input',
      'label',
      'li',
      'link',
      'main',
      'meta',
      'p',
      'script',
      'section',
      'style',
      'title',
      'ul',
    ]);
    assert.deepEqual(probe.notes, [
      '3 problem(s) in record files: those are left out',
      'incidents/2026/04/INC-20260401-broken.md:5: unknown priority `P7`',
      `${BAD_FILE}:1: the file does not start with a \`---\` front-matter fence`,
      `incidents/2026/07/INC-20260704-broken.md:5: unknown priority \`${BROKEN_PRIORITY}\``,
    ]);
    // Priorities sort by code unit: `$` < `<` < `P`; so do categories (`$`, `<`, U+202E).
    assert.deepEqual(probe.labels.mttrChart, [P0, P_IMG, 'P1', 'P2', 'P3', 'P4', 'MTTR (h)']);
    assert.deepEqual(probe.labels.volumeChart, ['2026-07', '$(flame) {{7*7}}', IMG, CATEGORY_3]);

    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await new Promise((wake) => setTimeout(wake, 1000));
    await screenshot('hostile-metrics-webview');
    const after = await api.metricsProbe();
    assert.equal(after?.marker, null);
    assert.equal(after?.title, 'Incident Metrics');
  });

  it('shows the hostile records in the Incidents view (screenshot)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('gitIncidents.records.focus');
    // Wide enough to show each row's description after its label.
    for (let i = 0; i < 8; i++) {
      await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    }
    await new Promise((wake) => setTimeout(wake, 1000));
    await screenshot('hostile-tree');
  });
});

/** Sets (or with undefined, removes) user settings, given as `section.key`. */
async function useSettings(values: Record<string, unknown>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    const at = key.lastIndexOf('.');
    const section = vscode.workspace.getConfiguration(key.slice(0, at));
    await section.update(key.slice(at + 1), value, vscode.ConfigurationTarget.Global);
  }
}

function decode(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');
}
