/**
 * Property tests of reading and writing front matter on generated files: hostile YAML, deep
 * nesting, huge strings, aliases, every Unicode plane, lone surrogates, binary bytes, and
 * CRLF/BOM mixes. The seed is fixed so CI is deterministic; FUZZ_SEED=<n> replays another.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { applyChanges, splitFrontMatter } from '../../src/core/frontMatter';
import { scanVersion } from '../../src/core/frontMatterScan';
import { planStep, type Step, TransitionError } from '../../src/core/lifecycle';
import { parsePolicy } from '../../src/core/policy';
import { readRecord } from '../../src/core/record';
import { parseYaml, renderScalar } from '../../src/core/yamlText';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_204);
const OPTIONS = { timezone: 'UTC', priorities: ['P1', 'P2', 'P3', 'P4'] };
const RULES = { reviewRequired: [] as string[], timezone: 'Europe/Berlin' };
const BOM = '\uFEFF';

// ---------- characters and text ----------

/** One character from anywhere: ASCII, any plane, a lone surrogate, a line break, a control. */
const anyChar = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('\r', '\n', '\r\n', '\t', '\0', BOM, '\u2028', '\u0085', '\u001b'),
  },
);
const text = (maxLength: number, minLength = 0) =>
  fc.string({ unit: anyChar, minLength, maxLength });

/** Line endings: all LF, all CRLF, or a mix line by line. */
const eolStyle = fc.constantFrom<'lf' | 'crlf' | 'mixed'>('lf', 'crlf', 'mixed');

function withEol(lines: string[], style: 'lf' | 'crlf' | 'mixed', seed: number): string {
  return lines
    .map((line, i) => {
      const crlf = style === 'crlf' || (style === 'mixed' && ((seed >> (i % 30)) & 1) === 1);
      return line + (crlf ? '\r\n' : '\n');
    })
    .join('');
}

// ---------- hostile files ----------

const yamlToken = fc.oneof(
  fc.constantFrom('id', 'title', 'status', 'priority', 'detected_at', 'escalations', '__proto__'),
  fc.constantFrom(': ', ':', '- ', '-', '[', ']', '{', '}', ', ', '? ', '<<: ', '&a ', '*a'),
  fc.constantFrom('&b ', '*b', '!!str ', '!!binary ', '!!set ', '!local ', '|', '>-', '|+2'),
  fc.constantFrom("'", '"', '# ', '\n', '\r\n', '\r', '  ', '    ', '\t', '%YAML 1.2', '%TAG'),
  fc.constantFrom('---', '...', '~', 'null', 'true', '0x1F', '.inf', '1e400', '@', '`', '\\'),
  fc.constantFrom('2026-03-01T09:00:00Z', '2026-13-45T99:99', '<<<<<<< HEAD', '======='),
  text(12),
);

/** Random YAML-like text: tokens of the syntax and of the record format, and noise. */
const yamlish = fc.array(yamlToken, { maxLength: 150 }).map((tokens) => tokens.join(''));

/** Deeply nested structures, flow and block. */
const deep = fc
  .tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 3 }))
  .map(([n, shape]) => {
    if (shape === 0) return `x: ${'['.repeat(n)}${']'.repeat(n)}`;
    if (shape === 1) return `x: ${'{a: '.repeat(n)}1${'}'.repeat(n)}`;
    if (shape === 2) return `x: ${'- '.repeat(n)}1`;
    const depth = Math.min(n, 300);
    return Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
  });

/** Anchors and aliases: bombs of 1 to 9 levels, self-reference, merge keys. */
const aliases = fc
  .integer({ min: 1, max: 9 })
  .chain((levels) =>
    fc.constantFrom(
      ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
        .concat(
          Array.from(
            { length: levels },
            (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`,
          ),
        )
        .join('\n'),
      'a: &a [*a]',
      'base: &base {status: resolved}\nrecord:\n  <<: *base\n  id: INC-1',
      `id: &i INC-1\ntitle: *i\nstatus: &s logged\nalso: *s`,
    ),
  );

/** Huge strings, from 1 KB to past the 256 KiB front-matter limit (sizes spread by powers). */
const huge = fc
  .tuple(
    fc.integer({ min: 10, max: 18 }),
    fc.nat({ max: 65_536 }),
    fc.constantFrom('x', ' \t', 'é', '🚨', '\\'),
  )
  .map(([power, jitter, unit]) => {
    const n = 2 ** power + (jitter % 2 ** power);
    return `title: "${unit.repeat(Math.ceil(n / unit.length))}"`;
  });

/** Arbitrary bytes decoded as UTF-8 or Latin-1, with or without a fence in front. */
const binary = fc
  .tuple(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), fc.boolean())
  .map(([bytes, utf8, fenced]) => {
    const decoded = Buffer.from(bytes).toString(utf8 ? 'utf8' : 'latin1');
    return fenced ? `---\n${decoded}\n---\n` : decoded;
  });

/** A front matter between fences, with a BOM or not, in one of the line-ending styles. */
function fenced(yaml: fc.Arbitrary<string>) {
  return fc
    .record({ yaml, body: text(200), bom: fc.boolean(), eol: eolStyle, seed: fc.nat() })
    .map(({ yaml: y, body, bom, eol, seed }) => {
      const lines = ['---', ...y.split(/\r?\n/), '---'];
      return (bom ? BOM : '') + withEol(lines, eol, seed) + body;
    });
}

// ---------- valid records and steps ----------

const STATUSES = ['logged', 'triaged', 'investigating', 'resolved', 'closed'] as const;
type Status = (typeof STATUSES)[number];

/** A value rendered plain, single- or double-quoted, maybe with a trailing comment. */
function scalar(value: string) {
  return fc
    .tuple(fc.constantFrom('plain', 'single', 'double'), fc.option(text(20), { nil: undefined }))
    .map(([style, comment]) => {
      let rendered = renderScalar(value);
      if (style === 'double') rendered = JSON.stringify(value);
      if (style === 'single' && !/[\r\n]/.test(value)) rendered = `'${value.replace(/'/g, "''")}'`;
      const note = comment?.replace(/[\r\n]/g, ' ');
      return note ? `${rendered} # ${note}` : rendered;
    });
}

const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
const stamp = fc
  .tuple(instant, fc.constantFrom('Z', '+02:00', '-05:30', '+0100'))
  .map(([at, zone]) => new Date(at).toISOString().slice(0, 19) + zone);
const name = fc.string({ unit: anyChar, minLength: 1, maxLength: 30 });
const KNOWN = new Set([
  'id',
  'title',
  'type',
  'status',
  'priority',
  'category',
  'service',
  'team',
  'assignee',
  'reporter',
  'started_at',
  'detected_at',
  'acknowledged_at',
  'resolved_at',
  'closed_at',
  'reporter_notified_at',
  'escalations',
  'resolution',
  'postmortem',
  'workaround',
  'root_cause',
  'impact',
  'urgency',
  'model',
  'problem',
]);

/** Fields the format does not know: plain data, written as flow JSON or as a block. */
const unknownField = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/).filter((k) => !KNOWN.has(k)),
    fc.jsonValue({ maxDepth: 3 }),
    fc.boolean(),
  )
  .map(([key, value, flow]) => {
    if (flow || value === null || typeof value !== 'object') {
      return [`${key}: ${JSON.stringify(value)}`];
    }
    const block = stringify(value, { version: '1.2', lineWidth: 0 }).trimEnd().split('\n');
    return [`${key}:`, ...block.map((line) => `  ${line}`)];
  });

const escalations: fc.Arbitrary<string[][]> = fc.oneof(
  fc.constant([] as string[][]),
  fc.constantFrom<string[][]>(
    [['escalations:']],
    [['escalations: []']],
    [['escalations: ~ # none']],
  ),
  fc
    .array(fc.tuple(stamp, fc.constantFrom('functional', 'hierarchical'), name, name), {
      minLength: 1,
      maxLength: 3,
    })
    .map((items) => [
      [
        'escalations:',
        ...items.flatMap(([at, kind, to, reason]) => [
          `  - at: ${at}`,
          `    kind: ${kind}`,
          `    to: ${JSON.stringify(to)}`,
          `    reason: ${renderScalar(reason)}`,
        ]),
      ],
    ]),
);

/** A valid record's front-matter entries (each one or more lines), in some order. */
const recordEntries = fc
  .record({
    status: fc.constantFrom(...STATUSES),
    priority: fc.constantFrom('P1', 'P2', 'P3', 'P4'),
    title: name.filter((t) => t.trim() !== ''),
    optional: fc.array(
      fc.tuple(
        fc.constantFrom('category', 'team', 'assignee', 'reporter', 'resolution', 'service'),
        name,
      ),
      { maxLength: 4 },
    ),
    times: fc.array(
      fc.tuple(fc.constantFrom('started_at', 'acknowledged_at', 'resolved_at'), stamp),
      { maxLength: 3 },
    ),
    detected: stamp,
    unknown: fc.array(unknownField, { maxLength: 3 }),
    escalations,
    empties: fc.subarray(['assignee:', 'acknowledged_at:', 'resolved_at: ~', 'postmortem:']),
    block: fc.option(
      fc.constantFrom('resolution: |\n  Restarted.\n  Worked.', 'workaround: >-\n  a\n  b'),
    ),
  })
  .chain((r) => {
    const seen = new Set<string>(['id', 'title', 'status', 'priority', 'detected_at']);
    const once = <T extends [string, ...unknown[]]>(items: T[]) =>
      items.filter(([key]) => !seen.has(key) && seen.add(key));
    const scalars = [
      ...once(r.optional).map(([key, value]) => scalar(value).map((v) => [`${key}: ${v}`])),
      ...once(r.times).map(([key, value]) => scalar(value).map((v) => [`${key}: ${v}`])),
    ];
    const empties = r.empties.filter(
      (line) => !seen.has(line.split(':')[0]) && seen.add(line.split(':')[0]),
    );
    const block = r.block && !seen.has(r.block.split(':')[0]) ? [r.block.split('\n')] : [];
    const unknown = r.unknown.filter(([first]) => {
      const key = first.split(':')[0];
      return !seen.has(key) && seen.add(key);
    });
    return fc
      .tuple(
        scalar(r.title),
        scalar(r.detected),
        fc.tuple(...scalars),
        fc.constantFrom('plain', 'quoted'),
      )
      .chain(([title, detected, rest, statusStyle]) => {
        const entries: string[][] = [
          ['id: INC-20260301-fz9k2m'],
          [`title: ${title}`],
          [`status: ${statusStyle === 'plain' ? r.status : `"${r.status}"`}`],
          [`priority: ${r.priority}`],
          [`detected_at: ${detected}`],
          ...rest,
          ...empties.map((line) => [line]),
          ...block,
          ...unknown,
          ...r.escalations,
        ];
        return fc
          .shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })
          .map((order) => ({ status: r.status, entries: order }));
      });
  });

/** A step that the record's status allows, with arbitrary text in it. */
function stepFor(status: Status): fc.Arbitrary<Step> {
  const value = text(40, 1).filter((t) => t.trim() !== '');
  const triage = fc
    .tuple(fc.constantFrom('P1', 'P2', 'P3', 'P4'), fc.option(value, { nil: undefined }))
    .map(([priority, assignee]): Step => ({ kind: 'triage', priority, assignee }));
  const ack = fc
    .option(value, { nil: undefined })
    .map((assignee): Step => ({ kind: 'ack', assignee }));
  const escalate = fc
    .tuple(
      fc.constantFrom('functional', 'hierarchical') as fc.Arbitrary<'functional'>,
      value,
      value,
    )
    .map(([escalation, to, reason]): Step => ({ kind: 'escalate', escalation, to, reason }));
  const resolve = fc
    .tuple(value, fc.option(value, { nil: undefined }), fc.option(value, { nil: undefined }))
    .map(
      ([resolution, workaround, rootCause]): Step => ({
        kind: 'resolve',
        resolution,
        workaround,
        rootCause,
      }),
    );
  const close = fc
    .option(value, { nil: undefined })
    .map((postmortem): Step => ({ kind: 'close', postmortem }));
  const reopen = value.map((reason): Step => ({ kind: 'reopen', reason }));
  switch (status) {
    case 'logged':
      return fc.oneof(triage, escalate);
    case 'triaged':
      return fc.oneof(triage, ack, escalate, resolve);
    case 'investigating':
      return fc.oneof(triage, escalate, resolve);
    default:
      return status === 'resolved' ? fc.oneof(close, reopen) : reopen;
  }
}

/** A valid record file and a step on it. */
const recordAndStep = recordEntries.chain(({ status, entries }) =>
  fc
    .record({
      lines: fc
        .array(fc.option(fc.constantFrom('# a comment line', '', '#'), { freq: 4 }), {
          minLength: entries.length,
          maxLength: entries.length,
        })
        .map((between) =>
          entries.flatMap((entry, i) =>
            between[i] === null ? entry : [...entry, between[i] as string],
          ),
        ),
      body: text(200),
      bom: fc.boolean(),
      eol: eolStyle,
      seed: fc.nat(),
      step: stepFor(status),
      at: instant,
    })
    .map(({ lines, body, bom, eol, seed, step, at }) => ({
      text: (bom ? BOM : '') + withEol(['---', ...lines, '---'], eol, seed) + body,
      step,
      at,
    })),
);

/** Valid files damaged as a crash or an editor would: cut, a byte changed, a line doubled. */
const damaged = fc
  .tuple(recordAndStep, fc.nat(), fc.integer({ min: 0, max: 3 }), anyChar)
  .map(([{ text: t }, where, how, char]) => {
    const at = where % (t.length + 1);
    if (how === 0) return t.slice(0, at);
    if (how === 1) return t.slice(0, at) + char + t.slice(at + 1);
    if (how === 2) return t.slice(0, at) + char + t.slice(at);
    const lines = t.split('\n');
    const line = where % lines.length;
    return [...lines.slice(0, line + 1), ...lines.slice(line)].join('\n');
  });

const hostileFile = fc.oneof(
  { weight: 5, arbitrary: fenced(yamlish) },
  { weight: 1, arbitrary: fenced(deep) },
  { weight: 1, arbitrary: fenced(aliases) },
  { weight: 1, arbitrary: fenced(huge) },
  { weight: 2, arbitrary: binary },
  { weight: 4, arbitrary: damaged },
  { weight: 4, arbitrary: recordAndStep.map((r) => r.text) },
);

// ---------- checks ----------

/** The file with the lines of `keys` taken out of its front matter: what must not change. */
function untouched(content: string, keys: Set<string>): string {
  const cut = splitFrontMatter(content, 'r.md');
  assert.ok(cut.ok);
  const { split } = cut;
  const parsed = parseYaml(split.yaml);
  const spans = [...parsed.entries.values()]
    .filter((entry) => keys.has(entry.key))
    .map((entry) => {
      // An empty value's node spans the comment lines after it; they are not the entry's.
      const last = entry.valueStart === entry.valueEnd ? entry.valueStart : entry.nodeEnd - 1;
      return [lineStart(split.yaml, entry.keyStart), lineEnd(split.yaml, last)];
    })
    .sort((a, b) => b[0] - a[0]);
  let yaml = split.yaml;
  for (const [start, end] of spans) yaml = yaml.slice(0, start) + yaml.slice(end);
  const opening = split.text.slice(0, split.yamlStart);
  return `${split.bom ? 'BOM' : ''}|${opening}|${yaml}|${split.text.slice(split.yamlEnd)}`;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const next = text.indexOf('\n', Math.max(offset, 0));
  return next === -1 ? text.length : next + 1;
}

describe('fuzz: front matter read and written on generated files', function () {
  this.timeout(120_000);
  before(() => {
    // The seed, so a failure found in CI can be replayed: FUZZ_SEED=<seed> npm test.
    console.log(`      fuzz seed ${SEED}`);
  });

  it('reading 10,000 hostile files never throws, never hangs, never expands aliases', () => {
    let slowest = 0;
    fc.assert(
      fc.property(hostileFile, (content) => {
        const started = performance.now();
        const result = readRecord('f.md', content, OPTIONS);
        scanVersion(content);
        parsePolicy(content);
        const took = performance.now() - started;
        slowest = Math.max(slowest, took);
        assert.ok(took < 3000, `sanity bound: ${took} ms for ${content.length} chars`);
        assert.ok(Array.isArray(result.problems));
        for (const problem of result.problems) {
          assert.equal(typeof problem.message, 'string');
          assert.ok(problem.line === undefined || problem.line >= 1);
        }
        if (result.incident) {
          // Plain data no larger than its text (JSON escapes at most ×6): nothing expanded.
          const size = JSON.stringify(result.incident.data).length;
          assert.ok(size <= 8 * content.length + 1024, `data of ${size} from ${content.length}`);
        }
      }),
      { seed: SEED, numRuns: 10_000 },
    );
    assert.ok(slowest < 3000);
  });

  it('a lifecycle step on 4,000 valid records changes only the lines of its own fields', () => {
    const counts = { valid: 0, planned: 0 };
    fc.assert(
      fc.property(recordAndStep, ({ text: content, step, at }) => {
        const before = readRecord('r.md', content, OPTIONS);
        if (!before.incident) return;
        counts.valid++;
        let plan: ReturnType<typeof planStep>;
        try {
          plan = planStep(before.incident, step, at, RULES);
        } catch (error) {
          if (error instanceof TransitionError) return;
          throw error;
        }
        counts.planned++;

        const after = applyChanges(content, plan.changes, 'r.md');
        const reread = readRecord('r.md', after, OPTIONS);
        assert.deepEqual(
          reread.problems.filter((p) => p.severity === 'error'),
          [],
          JSON.stringify(after),
        );
        assert.ok(reread.incident);
        const data = reread.incident.data;

        // Each change did what it says.
        for (const change of plan.changes) {
          if (change.kind === 'set') assert.equal(data[change.key], change.value, change.key);
          if (change.kind === 'remove') assert.ok(!(change.key in data), change.key);
          if (change.kind === 'append') {
            assert.deepEqual((data[change.key] as unknown[]).at(-1), change.item);
          }
        }
        // Everything else is as it was: values, body, and the very lines around them.
        const keys = new Set(plan.changes.map((c) => c.key));
        for (const [key, value] of Object.entries(before.incident.data)) {
          if (!keys.has(key)) assert.deepEqual(data[key], value, key);
        }
        assert.equal(reread.incident.body, before.incident.body);
        assert.equal(untouched(after, keys), untouched(content, keys));
      }),
      { seed: SEED, numRuns: 4000 },
    );
    // The generator must mostly produce valid records and allowed steps, or this tests little.
    assert.ok(counts.valid > 3000, `only ${counts.valid} valid records`);
    assert.ok(counts.planned > 2500, `only ${counts.planned} steps planned`);
  });

  it('one deeply nested front matter of 100,000 levels is refused, not a crash', () => {
    const nested = `---\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n---\n`;
    const result = readRecord('f.md', nested, OPTIONS);
    assert.equal(result.incident, undefined);
    assert.ok(result.problems.length > 0);
  });
});
