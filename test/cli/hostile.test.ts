import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, TEST_GIT_ENV, TempRepo } from '../support/gitRepo';

/** Text that a shell, git's option parser or a renderer would act on, if it ever reached one. */
const PAYLOADS = [
  '--output=pwned.md',
  '-n',
  '$(rm -rf ~)',
  '`id`; touch pwned',
  '<script>alert(1)</script>',
  "'; rm -rf / #",
  '| x | y |',
  '=HYPERLINK("http://x","y")',
  '@SUM(A1)',
  '\t=1+1',
  '- item: [a, b]',
  '# not a comment',
  'ümlaut 🚨 \u202e reversed',
];

/** The files of a folder, recursively, without `.git`. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => !p.split('/').includes('.git'))
    .sort();
}

describe('CLI with hostile text in records, options and paths', function () {
  this.timeout(120_000);
  let repo: TempRepo;
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('.incidents.yml', 'version: 1\ntimezone: UTC\n');
    repo.commitAll('settings');
    // A home with a canary: a shell running `rm -rf ~` would take it.
    home = mkdtempSync(join(tmpdir(), 'git-incidents-home-'));
    writeFileSync(join(home, 'canary'), 'alive');
    env = { HOME: home };
  });
  afterEach(() => {
    assert.equal(readFileSync(join(home, 'canary'), 'utf8'), 'alive', 'no shell ran');
    repo.remove();
    rmSync(home, { recursive: true, force: true });
  });

  function run(args: string[]) {
    const result = cli(args, repo.root, env);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return result;
  }

  it('payloads in every text option are stored as text, never read as options or commands', () => {
    for (const [i, text] of PAYLOADS.entries()) {
      const before = tree(repo.root);
      const created = run([
        'new',
        `--title=${text}`,
        '--priority=P2',
        `--category=${text}`,
        `--service=${text}`,
        `--team=${text}`,
        `--reporter=${text}`,
      ]);
      const [id, file] = created.stdout.split(/\s+/);
      run(['triage', id, '--priority=P2', `--assignee=${text}`]);
      run(['escalate', id, '--kind=hierarchical', `--to=${text}`, `--reason=${text}`]);
      run(['resolve', id, `--resolution=${text}`, `--root-cause=${text}`, `--workaround=${text}`]);
      run(['close', id, `--postmortem=${text}`]);
      run(['reopen', id, `--reason=${text}`]);

      const [record] = JSON.parse(run(['list', '--format=json']).stdout).filter(
        (r: { id: string }) => r.id === id,
      );
      assert.equal(record.title, text.trim(), `payload ${i}`);
      for (const field of ['category', 'team', 'reporter', 'assignee']) {
        assert.equal(record[field], text, `payload ${i}: ${field}`);
      }
      assert.deepEqual(record.services, [text]);
      assert.equal(record.escalations[0].to, text);
      assert.equal(record.escalations[0].reason, text);

      // Each step is one commit of the record alone; nothing else appeared anywhere.
      const log = repo.git('log', '--format=%H', '-6').trim().split('\n');
      for (const commit of log) {
        assert.equal(repo.git('show', '--name-only', '--format=', commit).trim(), file);
      }
      assert.deepEqual(
        tree(repo.root),
        [...before, ...file.split('/').map((_, n, all) => all.slice(0, n + 1).join('/'))]
          .filter((p, n, all) => all.indexOf(p) === n)
          .sort(),
      );
      assert.equal(repo.git('status', '--porcelain', '--untracked-files=all'), '');
      assert.match(repo.git('log', '-1', '--format=%B', `${log[5]}`), /Title: /);
    }
    assert.ok(!existsSync(join(repo.root, 'pwned.md')) && !existsSync(join(repo.root, 'pwned')));
  });

  it('an option value that looks like an option is a usage error, not an option', () => {
    const result = cli(['new', '--title', '--output=pwned.md'], repo.root, env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /usage: git-incidents new/);
    assert.equal(repo.git('rev-list', '--count', 'HEAD').trim(), '1');
    const asOf = cli(['metrics', '--as-of=--output=pwned.md'], repo.root, env);
    assert.equal(asOf.code, 1);
    assert.ok(!existsSync(join(repo.root, 'pwned.md')));
  });

  it('line breaks in user text cannot forge commit trailers or a second subject line', () => {
    const id = run(['new', '--title', 'Trailer test', '--priority', 'P2']).stdout.split(/\s+/)[0];
    const forged = 'ops\n\nIncident-Id: INC-FORGED\nIncident-Transition: closed -> logged';
    run(['escalate', id, '--kind', 'functional', '--to', forged, '--reason', `r\r${forged}`]);
    run(['resolve', id, '--resolution', `fixed\r\n${forged}`]);
    for (const rev of ['HEAD', 'HEAD~1']) {
      const message = repo.git('log', '-1', '--format=%B', rev);
      const trailers = execFileSync('git', ['interpret-trailers', '--parse'], {
        input: message,
        env: TEST_GIT_ENV,
        encoding: 'utf8',
      });
      assert.equal(trailers.match(/^Incident-Id: /gm)?.length, 1, message);
      assert.equal(message.match(/^Incident-(Id|Transition): /gm)?.length, 2, message);
      assert.match(trailers, new RegExp(`^Incident-Id: ${id}$`, 'm'));
      assert.doesNotMatch(trailers, /INC-FORGED/);
      assert.equal(repo.git('log', '-1', '--format=%s', rev).trimEnd().includes('\n'), false);
    }
    // The whole target stays on the subject line, where it was given.
    assert.match(
      repo.git('log', '-1', '--format=%s', 'HEAD~1'),
      /to ops {2}Incident-Id: INC-FORGED/,
    );
    const history = JSON.parse(run(['history', id, '--format', 'json']).stdout);
    assert.equal(history.id, id);
  });

  it('an id that is a path, or a record linked to a file outside, reaches nothing outside', () => {
    const outside = mkdtempSync(join(tmpdir(), 'git-incidents-outside-'));
    try {
      const secret =
        '---\nid: INC-SECRET\ntitle: secret text outside\nstatus: triaged\npriority: P2\n' +
        'detected_at: 2026-03-01T09:00:00Z\n---\n';
      writeFileSync(join(outside, 'secret.md'), secret);
      mkdirSync(join(repo.root, 'incidents'), { recursive: true });
      symlinkSync(join(outside, 'secret.md'), join(repo.root, 'incidents', 'linked.md'));
      repo.write(
        'incidents/evil.md',
        '---\nid: ../../etc/x\ntitle: t\nstatus: logged\ndetected_at: 2026-03-01T09:00:00Z\n---\n',
      );
      repo.commitAll('hostile records');

      const list = cli(['list', '--all', '--format', 'json'], repo.root, env);
      assert.deepEqual(JSON.parse(list.stdout), []);
      assert.match(list.stderr, /incidents\/linked\.md.*symbolic link/);
      assert.match(list.stderr, /incidents\/evil\.md:2: error \(id\)/);
      assert.doesNotMatch(list.stdout + list.stderr, /secret text outside/);

      for (const target of ['INC-SECRET', 'incidents/linked.md', '../../etc/x', '../../../x']) {
        const ack = cli(['ack', target], repo.root, env);
        assert.equal(ack.code, 1, `${target}: ${ack.stdout}`);
      }
      assert.equal(readFileSync(join(outside, 'secret.md'), 'utf8'), secret, 'never written');
      assert.deepEqual(readdirSync(outside), ['secret.md']);
      const locks = join(repo.root, '.git', 'git-incidents', 'locks');
      for (const name of existsSync(locks) ? readdirSync(locks) : []) {
        assert.doesNotMatch(name, /\//);
      }
      assert.ok(!existsSync(join(repo.root, '..', 'etc')), 'nothing next to the repository');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('escape sequences in a broken record never reach the terminal through its problems', () => {
    // OSC 0 sets the terminal title; CSI 2J clears the screen.
    const osc = '\u001b]0;pwned\u0007';
    repo.write(
      `incidents/${osc}.md`,
      `---\nid: INC-ESC\ntitle: t\nstatus: "${osc}\u001b[2J"\npriority: P2\n` +
        'detected_at: 2026-03-01T09:00:00Z\n---\n',
    );
    repo.commitAll('a broken record');
    for (const args of [['list'], ['lint'], ['ack', 'INC-ESC']]) {
      const result = cli(args, repo.root, env);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stdout + result.stderr, /unknown status/);
      assert.doesNotMatch(result.stdout + result.stderr, /[\u0007\u001b]/, args.join(' '));
    }
  });

  it('--repo pointing into a subfolder works on the repository root, nowhere else', () => {
    mkdirSync(join(repo.root, 'deep', 'er'), { recursive: true });
    const elsewhere = mkdtempSync(join(tmpdir(), 'git-incidents-cwd-'));
    try {
      const created = cli(
        ['new', '--repo', join(repo.root, 'deep', 'er'), '--title', 't', '--priority', 'P3'],
        elsewhere,
        env,
      );
      assert.equal(created.code, 0, created.stderr);
      const file = created.stdout.split(/\s+/)[1];
      assert.match(file, /^incidents\/\d{4}\/\d{2}\/INC-/);
      assert.ok(existsSync(join(repo.root, file)));
      assert.deepEqual(readdirSync(elsewhere), []);
      assert.deepEqual(readdirSync(join(repo.root, 'deep', 'er')), []);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  describe('metrics outputs with record text in their cells', () => {
    const CATEGORIES = [
      'a|b',
      'pipe \\| escaped',
      'line\nbreak',
      'carriage\rreturn',
      '=1+2',
      '+1+2',
      '-1+2',
      '@SUM(A1)',
      '\t=1+1',
      '\r=1+1',
      '<img src=x onerror=alert(1)>',
      '\u001b[31mred\u001b[0m',
      '"quoted", comma',
    ];

    beforeEach(() => {
      for (const [i, category] of CATEGORIES.entries()) {
        repo.write(
          `incidents/r${i}.md`,
          `---\nid: INC-20260301-c${i}\ntitle: t\nstatus: triaged\npriority: P3\n` +
            `category: ${JSON.stringify(category)}\ndetected_at: 2026-03-01T09:00:00Z\n---\n`,
        );
      }
      repo.commitAll('records');
    });

    it('markdown: every row keeps its cells, no record text opens HTML or a new line', () => {
      const md = run(['metrics', '--by', 'category', '--format', 'markdown']).stdout;
      const rows = md.split('\n').filter((line) => line.startsWith('|'));
      const cells = (row: string) =>
        row.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;
      for (const row of rows) assert.equal(cells(row), cells(rows[0]), row);
      assert.equal(rows.length, 2 + 4 + 2 + CATEGORIES.length, md);
      assert.doesNotMatch(md, /\r/);
      assert.doesNotMatch(md, /\u001b/);
      assert.doesNotMatch(md, /(^|[^\\])<img/m, 'the < is escaped');
    });

    it('CSV: one row per group, and no cell a spreadsheet would run as a formula', () => {
      const csv = run(['metrics', '--by', 'category', '--format', 'csv']).stdout;
      const rows = parseCsv(csv);
      assert.equal(rows.length, 1 + 1 + 4 + CATEGORIES.length);
      for (const row of rows) assert.equal(row.length, rows[0].length, JSON.stringify(row));
      for (const row of rows) {
        for (const cell of row) {
          const numeric = cell !== '' && !Number.isNaN(Number(cell));
          assert.ok(numeric || !/^[=+\-@\t\r]/.test(cell), `formula cell: ${JSON.stringify(cell)}`);
        }
      }
      const keys = rows.filter((r) => r[0] === 'category').map((r) => r[1].replace(/^'/, ''));
      assert.deepEqual(keys.sort(), [...CATEGORIES].sort(), 'the values themselves are kept');
    });

    it('the terminal table carries no control characters from record text', () => {
      const table = run(['metrics', '--by', 'category']).stdout;
      assert.doesNotMatch(table, /[\u0000-\u0008\u000b-\u001f\u007f]/);
      const byCategory = table.split('By category:\n')[1].split('\n\n')[0].split('\n');
      assert.equal(byCategory.length, 2 + CATEGORIES.length, 'one line per group');
      const show = run(['show', 'INC-20260301-c11']);
      assert.doesNotMatch(show.stdout, /\u001b/);
    });
  });
});

/** A strict RFC 4180 reader: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
