import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repairTime } from '../../../src/core/import/cstate';
import { runImport } from '../../../src/core/import/importRun';
import { silentLogger } from '../../../src/core/log';
import { computeMetrics } from '../../../src/core/metricsReport';
import { commitCount, FIXTURES, git, initRepo, isolateGit, openRepo } from './helpers';

interface FixtureCommit {
  source: string;
  date: string;
  author: string;
  email: string;
  subject: string;
  files: Record<string, string | null>;
}

/**
 * Rebuilds a cState site from versions cut out of the Jenkins status history (21 commits,
 * 8 incident files, with their authors and dates), plus one merge of a docs branch.
 */
function buildSite(dir: string): void {
  initRepo(dir);
  const commits: FixtureCommit[] = JSON.parse(
    readFileSync(join(FIXTURES, 'cstate-history.json'), 'utf8'),
  );
  for (const commit of commits) {
    for (const [path, text] of Object.entries(commit.files)) {
      if (text === null) {
        git(dir, 'rm', '-q', '--', path);
        continue;
      }
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
      git(dir, 'add', '--', path);
    }
    execFileSync('git', ['commit', '-q', '-m', `${commit.subject} (${commit.source})`], {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: commit.author,
        GIT_AUTHOR_EMAIL: commit.email,
        GIT_AUTHOR_DATE: commit.date,
        GIT_COMMITTER_DATE: commit.date,
      },
    });
  }
  git(dir, 'checkout', '-q', '-b', 'docs');
  writeFileSync(join(dir, 'README.md'), 'status site\n');
  git(dir, 'add', 'README.md');
  git(dir, 'commit', '-q', '-m', 'docs');
  git(dir, 'checkout', '-q', 'main');
  git(dir, 'merge', '-q', '--no-ff', '-m', 'Merge docs', 'docs');
}

describe('import cstate', () => {
  const { temp } = isolateGit();
  let site: string;
  before(() => {
    site = temp('site');
    buildSite(site);
  });
  const importInto = (into: string) =>
    runImport({ kind: 'cstate', source: site, into, logger: silentLogger });

  it('repairs zero-padding slips and a UTC suffix, and nothing else', () => {
    assert.equal(repairTime('2023-08-1T13:00:00-00:00'), '2023-08-01T13:00:00-00:00');
    assert.equal(repairTime('2021-05-03T011:00:00-00:00'), '2021-05-03T11:00:00-00:00');
    assert.equal(repairTime('2021-04-14 07:30:00 UTC'), '2021-04-14T07:30:00Z');
    assert.equal(repairTime('2023-04-12:11:00:30:00'), undefined);
  });

  it('replays every version with its author and date; deletions and renames follow', async () => {
    const repo = initRepo(temp('cs'));
    const result = await importInto(repo);
    // Versions that change the record: get-jenkins-io 2, fastly 1 (its first version is
    // invalid YAML), puppet 2, jira-rds 2, jenkins-io-outage 4, ci-outage 2 (added, deleted),
    // reports 3 (its rename also edits the body), azure 4 = 20, after the settings commit.
    assert.equal(result.commits, 21);
    assert.equal(commitCount(repo), 21);
    const records = git(repo, 'ls-files', 'incidents').split('\n');
    assert.equal(records.length, 7);
    assert.ok(!records.some((f) => f.includes('ci-outage')), 'the deleted file is deleted');
    assert.ok(
      records.includes('incidents/2023/08/CS-2023-08-1-reports-migration-within-publick8s.md'),
    );

    const log = git(repo, 'log', '--reverse', '--format=%an|%aI|%s', '--grep=jenkins-io-outage');
    const id = 'CS-2021-11-18-jenkins-io-outage';
    // The source commits are dated +01:00; the instants are kept, written in UTC.
    assert.deepEqual(log.split('\n'), [
      `Contributor 1|2021-11-18T11:49:16+00:00|${id}: imported as investigating (P2)`,
      `Contributor 2|2021-11-18T13:43:27+00:00|${id}: investigating → resolved`,
      `Contributor 2|2021-11-18T16:05:07+00:00|${id}: resolved → investigating (reopened)`,
      `Contributor 2|2021-11-18T17:11:33+00:00|${id}: investigating → resolved`,
    ]);
    const jira = readFileSync(
      join(repo, 'incidents/2021/09/CS-2021-10-05-maintenance-jira-rds.md'),
      'utf8',
    );
    assert.match(jira, /^category: maintenance$/m);
    const first = git(repo, 'log', '--reverse', '--format=%s', '--grep=jira-rds').split('\n')[0];
    assert.equal(first, 'CS-2021-10-05-maintenance-jira-rds: imported as logged (P1)');
  });

  it('reports each oddity with its file and reason', async () => {
    const result = await importInto(join(temp('cs-issues'), 'repo'));
    const said = (file: string, pattern: RegExp, action: string) =>
      assert.ok(
        result.issues.some(
          (i) => i.where.endsWith(file) && pattern.test(i.reason) && i.action === action,
        ),
        `no ${action} issue ${pattern} for ${file} in ${JSON.stringify(result.issues, null, 1)}`,
      );
    said('2021-06-08-fastly-outage.md', /^invalid YAML on line 9/, 'skipped');
    said('2020-11-12-get-jenkins-io.md', /^date "2020-11-12 15:54:00" has no zone/, 'repaired');
    said('2023-04-12-ci-outage.md', /^date "2023-04-12:11:00:30:00" is not a date/, 'repaired');
    said('2023-04-12-ci-outage.md', /^the file was deleted/, 'imported');
    said('2021-09-23-puppet-outage.md', /^resolvedWhen is before date/, 'repaired');
    said('2021-10-05-maintenance-jira-rds.md', /^announced 12 days before it starts/, 'imported');
    said(
      '2023-08-1-reports-migration-within-publick8s.md',
      /is read as 2023-08-01T13:00/,
      'repaired',
    );
    assert.ok(result.issues.some((i) => /^1 merge commit\(s\)/.test(i.reason)));
  });

  it('gives the MTTR and reopen rate computed by hand; a second run adds nothing', async () => {
    const repo = initRepo(temp('cs-metrics'));
    await importInto(repo);
    const report = await computeMetrics(await openRepo(repo), { cache: false });
    // P1 (down): get-jenkins-io 11-12 15:54 → 11-14 08:26 = 2432; fastly 09:58 → 12:41 = 163;
    // puppet 10:01 → the resolving commit 13:27:17 (resolvedWhen is before date) = 206.2833;
    // jira-rds 16:00 → 18:00 = 120. Mean 2921.2833 / 4 = 730.32.
    assert.equal(report.byPriority.P1.mttr.mean, 730.32);
    // P2: jenkins-io-outage 10:47 → 17:11:33 (commit) = 384.55; reports 13:00 → 13:15 = 15;
    // azure 08:00 → 16:00 = 480. Mean 879.55 / 3 = 293.18.
    assert.equal(report.byPriority.P2.mttr.mean, 293.18);
    assert.equal(report.overall.reopened, 1);
    assert.equal(report.overall.reopenRate, 0.1429);

    const again = await importInto(repo);
    assert.equal(again.commits, 0);
    assert.ok(!existsSync(join(repo, 'incidents/2023/04')));
  });
});
