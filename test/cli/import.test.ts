import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main';
import { commitCount, FIXTURES, git, isolateGit } from '../core/import/helpers';

/** Runs the CLI in-process; returns its exit code and what it wrote. */
async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof stdout;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof stderr;
  try {
    const code = await main(argv);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

describe('cli import and demo', () => {
  const { temp } = isolateGit();

  it('imports, prints the summary, lists the issues on stderr and writes a report', async () => {
    const dir = temp('cli');
    const into = join(dir, 'records');
    const report = join(dir, 'report.json');
    const csv = join(FIXTURES, 'servicenow-slice.csv');
    const result = await run(['import', 'servicenow', csv, '--into', into, '--report', report]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^imported servicenow into .*records \(branch main, new repository\)/);
    assert.match(result.out, /records: 6 added, 0 updated; 23 commit\(s\)/);
    assert.match(result.out, /issues: 3 skipped, 0 repaired, 0 noted/);
    assert.match(result.err, /^line 30: INC0028089: incident_state -100 is mapped to skip/m);
    assert.equal(JSON.parse(readFileSync(report, 'utf8')).commits, 23);
    assert.equal(commitCount(into), 23);

    const again = await run(['import', 'servicenow', csv, '--into', into]);
    assert.match(again.out, /records: 0 added, 0 updated; 0 commit\(s\)/);
  });

  it('reads --timezone for times without a zone and writes it to the settings', async () => {
    const into = join(temp('cli-tz'), 'records');
    const csv = join(FIXTURES, 'servicenow-slice.csv');
    const result = await run([
      'import',
      'servicenow',
      csv,
      '--into',
      into,
      '--timezone',
      'Europe/Lisbon',
    ]);
    assert.equal(result.code, 0, result.err);
    assert.match(readFileSync(join(into, '.incidents.yml'), 'utf8'), /^timezone: Europe\/Lisbon$/m);
    // 29/2/2016 01:16 in Lisbon (WET, UTC+0 in winter) and 10/5/2016 22:09 (WEST, UTC+1).
    const early = readFileSync(join(into, 'incidents/2016/02/29/INC0000045.md'), 'utf8');
    assert.match(early, /^detected_at: 2016-02-29T01:16:00\+00:00$/m);
    const late = readFileSync(join(into, 'incidents/2016/05/10/INC0028089.md'), 'utf8');
    assert.match(late, /^detected_at: 2016-05-10T22:09:00\+01:00$/m);
  });

  it('shows the usage without a kind or --into, and fails on a bad source', async () => {
    const usage = await run(['import', 'jira', 'x.csv', '--into', 'y']);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /give the kind \(servicenow, statuspage, cstate\)/);
    const noInto = await run(['import', 'statuspage', 'x.jsonl']);
    assert.equal(noInto.code, 2);
    assert.match(noInto.err, /--into is required/);

    const dir = temp('cli-bad');
    writeFileSync(join(dir, 'empty.csv'), 'a,b\n1,2\n');
    const bad = await run([
      'import',
      'servicenow',
      join(dir, 'empty.csv'),
      '--into',
      join(dir, 'r'),
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /line 1: is not a ServiceNow event log: no column number/);
    assert.ok(!existsSync(join(dir, 'r')));
  });

  it('builds the demo from a data folder, then reuses it', async () => {
    const data = temp('cli-data');
    mkdirSync(join(data, 'servicenow-event-log'));
    mkdirSync(join(data, 'statuspage-github'));
    const csv = readFileSync(join(FIXTURES, 'servicenow-slice.csv'));
    writeFileSync(join(data, 'servicenow-event-log', 'incident_event_log.csv.gz'), gzipSync(csv));
    copyFileSync(
      join(FIXTURES, 'statuspage-slice.jsonl'),
      join(data, 'statuspage-github', 'incidents.jsonl'),
    );
    const out = join(temp('cli-demo'), 'demo');

    const built = await run(['demo', '--data', data, '--out', out]);
    assert.equal(built.code, 0, built.err);
    assert.equal(built.out, `${out}\n`);
    // The 92 days up to the latest opening (INC0028089, 10/5/2016) start on 9/2/2016: all six
    // tickets; GitHub since 2020: 00km0kwpz23b, 2k3z9fkr9z5g, lc8s9rtyjmgq (rgy28jwprr1c is
    // from 2019, 01sqkcp7z62r from 2011).
    const records = git(out, 'ls-files', 'incidents').split('\n');
    assert.equal(records.filter((f) => f.includes('/INC')).length, 6);
    assert.equal(records.filter((f) => f.includes('/SP-')).length, 3);

    const reused = await run(['demo', '--data', data, '--out', out]);
    assert.equal(reused.out, `${out}\n`);
    assert.match(reused.err, /is up to date/);
  });

  it('says where the data was looked for when it is absent', async () => {
    const missing = await run(['demo', '--data', join(temp('cli-none'), 'nothing')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /the real data is not in .*nothing .*pass --data DIR/);
  });
});
