import { strict as assert } from 'node:assert';
import { applyChanges } from '../../src/core/frontMatter';
import { scanVersion } from '../../src/core/frontMatterScan';
import { planStep, type Step } from '../../src/core/lifecycle';
import { readRecord } from '../../src/core/record';

const OPTIONS = { timezone: 'UTC', priorities: ['P1', 'P2', 'P3', 'P4'] };
const RULES = { reviewRequired: [], timezone: 'UTC' };
const AT = Date.parse('2026-03-04T10:00:00Z');

function record(extra = '', body = '## Summary\n', status = 'triaged'): string {
  return (
    '---\nid: INC-20260304-k7qz2m\ntitle: Checkout returns 502\n' +
    `status: ${status}\npriority: P2\ndetected_at: 2026-03-04T09:00:00Z\n${extra}---\n${body}`
  );
}

/** Plans `step` on `text`, writes it, and returns the new text and its parsed data. */
function step(text: string, what: Step) {
  const before = readRecord('r.md', text, OPTIONS);
  assert.ok(before.incident, JSON.stringify(before.problems));
  const plan = planStep(before.incident, what, AT, RULES);
  const after = applyChanges(text, plan.changes, 'r.md');
  const reread = readRecord('r.md', after, OPTIONS);
  assert.deepEqual(reread.problems, [], after);
  assert.ok(reread.incident);
  return { after, data: reread.incident.data, incident: reread.incident };
}

function timed<T>(work: () => T): { result: T; ms: number } {
  const started = process.hrtime.bigint();
  const result = work();
  return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

describe('front matter under hostile and unusual input', () => {
  describe('merge-conflict markers', () => {
    it('a markdown heading underlined with seven `=` is not mistaken for a conflict', () => {
      // "Summary" has seven letters; a setext heading under it is exactly `=======`.
      const result = readRecord('r.md', record('', 'Summary\n=======\n\nAll good.\n'), OPTIONS);
      assert.deepEqual(result.problems, []);
      assert.ok(result.incident);
    });

    it('a nested quote or a lone `=======` rule in the body is not a conflict either', () => {
      const body = 'Notes\n=======\n\n>>>>>>> deep quote\n';
      assert.deepEqual(readRecord('r.md', record('', body), OPTIONS).problems, []);
    });

    it('a real conflict in the body is still reported on each marker line', () => {
      const body = '## Summary\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n';
      const result = readRecord('r.md', record('', body), OPTIONS);
      assert.equal(result.incident, undefined);
      assert.deepEqual(
        result.problems.map((p) => p.line),
        [9, 11, 13],
      );
    });

    it('a conflict in CRLF front matter is reported on its lines', () => {
      const text = [
        '---',
        'id: INC-1',
        '<<<<<<< HEAD',
        'status: resolved',
        '=======',
        'status: closed',
        '>>>>>>> theirs',
        '---',
        '',
      ].join('\r\n');
      const result = readRecord('r.md', text, OPTIONS);
      assert.equal(result.incident, undefined);
      assert.deepEqual(
        result.problems.map((p) => p.line),
        [3, 5, 7],
      );
    });
  });

  describe('lifecycle writes on values written in other ways', () => {
    it('an empty `acknowledged_at:` gets its time with a space, and stays valid', () => {
      const { after, data } = step(record('acknowledged_at:\nassignee:\n'), {
        kind: 'ack',
        assignee: 'sam',
      });
      assert.match(after, /^acknowledged_at: 2026-03-04T10:00:00Z$/m);
      assert.match(after, /^assignee: sam$/m);
      assert.equal(data.status, 'investigating');
    });

    it('an empty value followed by a comment keeps the comment', () => {
      const { after } = step(record('acknowledged_at:   # set on ack\n'), { kind: 'ack' });
      assert.match(after, /^acknowledged_at: {3}2026-03-04T10:00:00Z # set on ack$/m);
    });

    it('an empty `escalations:` or `escalations: []` takes the first escalation', () => {
      for (const empty of ['escalations:\n', 'escalations: []\n', 'escalations: ~ # none\n']) {
        const { after, incident } = step(record(empty), {
          kind: 'escalate',
          escalation: 'hierarchical',
          to: 'duty-manager',
          reason: 'customer impact',
        });
        assert.equal(incident.escalations.length, 1, after);
        assert.equal(incident.escalations[0].to, 'duty-manager');
        assert.equal(after.split('\n').length, record(empty).split('\n').length + 4, after);
      }
    });

    it('an escalation whose target or reason has line breaks stays one valid item', () => {
      const to = 'ops\nIncident-Id: INC-FORGED';
      const reason = 'line one\r\nline two: with colon\n- dash';
      const { incident } = step(record(), {
        kind: 'escalate',
        escalation: 'functional',
        to,
        reason,
      });
      assert.deepEqual(incident.escalations.at(-1), {
        at: AT,
        kind: 'functional',
        to,
        reason,
      });
      assert.equal(incident.team, to);
    });

    it('reopening keeps the comment line after an empty `resolved_at:`', () => {
      const text = record('resolved_at:\n# reviewed on Monday\nresolution: x\n', '', 'resolved');
      const { after } = step(text, { kind: 'reopen' });
      assert.match(after, /^# reviewed on Monday$/m);
      assert.doesNotMatch(after, /resolved_at/);
    });

    it('a first escalation under an empty `escalations:` keeps the comment line after it', () => {
      const text = record('escalations:\n# none yet\nteam: db\n');
      const { after } = step(text, {
        kind: 'escalate',
        escalation: 'hierarchical',
        to: 'm',
        reason: 'r',
      });
      assert.match(
        after,
        new RegExp(
          [
            '^escalations:',
            ' {2}- at: [^\\n]*',
            ' {4}kind: hierarchical',
            ' {4}to: m',
            ' {4}reason: r',
            '# none yet',
            'team: db$',
          ].join('\\n'),
          'm',
        ),
      );
    });

    it('text with a U+FEFF, a NEL or a C1 control inside is written so it reads back whole', () => {
      for (const text of ['(\uFEFF', 'a\uFEFFb\nc', 'x\u0085y', 'del\u007f', 'c1\u0090']) {
        const { data } = step(record(), { kind: 'resolve', resolution: text, rootCause: text });
        assert.equal(data.resolution, text, JSON.stringify(text));
        assert.equal(data.root_cause, text, JSON.stringify(text));
      }
    });

    it('resolving again replaces a hand-written multi-line `resolution: |` block', () => {
      const extra = 'resolution: |\n  Restarted the pods.\n  Then it worked.\nroot_cause: dns\n';
      const { after, data } = step(record(extra), { kind: 'resolve', resolution: 'Rolled back' });
      assert.equal(data.resolution, 'Rolled back');
      assert.equal(data.root_cause, 'dns');
      assert.doesNotMatch(after, /Restarted the pods/);
    });
  });

  describe('bounded work on hostile text', () => {
    it('the history scan reads a line of alternating blanks in linear time', () => {
      // Old fault: `(.*?)[ \t]*\r?$` backtracked quadratically: 80 KB took ~6 s, 256 KB ~1 min.
      const line = `status: a${' \t'.repeat(60_000)}x`;
      const { result, ms } = timed(() => scanVersion(`---\nid: INC-1\n${line}\n---\n`));
      assert.equal(result?.id, 'INC-1');
      assert.ok(ms < 2000, `sanity bound: ${ms} ms`);
    });

    it('front matter with thousands of keys is read without a quadratic duplicate check', () => {
      const shapes = [
        (i: number) => `k${i}: ${i}\n`,
        (i: number) => `k${i}: {}\n`,
        (i: number) => `? [k${i}]\n: 1\n`,
      ];
      const { ms } = timed(() => {
        for (const shape of shapes) {
          let yaml = 'id: INC-1\n';
          for (let i = 0; yaml.length < 250_000; i++) yaml += shape(i);
          const result = readRecord('r.md', `---\n${yaml}---\n`, OPTIONS);
          assert.ok(result.problems.length > 0);
        }
      });
      // Old: 3–8 s for each shape on this machine; now well under a second each.
      assert.ok(ms < 6000, `sanity bound: ${ms} ms`);
    });

    it('a few KB of nested brackets is refused as too deep, not by a stack overflow', () => {
      for (const nested of [
        '['.repeat(1000) + ']'.repeat(1000),
        '{a: '.repeat(800) + '1' + '}'.repeat(800),
      ]) {
        const result = readRecord('r.md', record(`extra: ${nested}\n`), OPTIONS);
        assert.equal(result.incident, undefined);
        assert.equal(result.problems.length, 1);
        assert.match(result.problems[0].message, /nested more than 100 levels deep/);
        assert.equal(result.problems[0].line, 7);
      }
      // Brackets in quotes and comments are text, and ordinary nesting is fine.
      const fine = record(
        `extra: "${'['.repeat(300)}" # ${'{'.repeat(300)}\nlist: [[a, [b]], {c: [d]}]\n`,
      );
      assert.deepEqual(readRecord('r.md', fine, OPTIONS).problems, []);
    });

    it('duplicate keys are still found, in nested mappings too, with their lines', () => {
      const text = record('team: a\nextra:\n  x: 1\n  x: 2\nteam: b\n');
      const result = readRecord('r.md', text, OPTIONS);
      assert.equal(result.incident, undefined);
      assert.deepEqual(
        result.problems.map((p) => [p.line, p.message]),
        [
          [10, 'duplicate key `x`'],
          [11, 'duplicate key `team`'],
        ],
      );
    });

    it('collection keys do not make the YAML library print a warning on stderr', async () => {
      const warnings: string[] = [];
      const listener = (warning: Error) => warnings.push(warning.message);
      process.on('warning', listener);
      try {
        readRecord('r.md', record('? [a, b]\n: 1\n'), OPTIONS);
        // Node emits warnings on a later tick.
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('warning', listener);
      }
      assert.deepEqual(warnings, []);
    });
  });
});
