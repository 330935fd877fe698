import { strict as assert } from 'node:assert';
import { escapeMarkdown, escapeXml } from '../../src/core/markupText';
import { formatChange, formatValue } from '../../src/core/metricsDiff';
import { barChart, niceCeiling } from '../../src/core/svgCharts';

describe('SVG charts', () => {
  const hostile = '<script>alert("x")</script> & \'q\'';
  const chart = () =>
    barChart({
      title: `Volume ${hostile}`,
      categories: ['2026-03', hostile],
      series: [
        { name: 'network', values: [2, 1] },
        { name: hostile, values: [1, 0] },
      ],
      stacked: true,
      format: String,
    });

  it('escapes every label: title, categories and series names', () => {
    const svg = chart();
    assert.ok(!svg.includes('<script'), 'no raw markup from labels');
    assert.ok(svg.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;'));
    // Every `<` left starts one of the chart's own elements.
    const tags = [...svg.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(tags)].sort(), ['line', 'rect', 'svg', 'text', 'title']);
  });

  it('is deterministic, and stacks bars to the category total', () => {
    assert.equal(chart(), chart());
    // Axis top: niceCeiling(max(2 + 1, 1 + 0)) = niceCeiling(3) = 5; plot height 360-48-72 = 240,
    // so the stacked first bar reaches 3/5 of 240 = 144 px above the axis at y = 288.
    const rects = [
      ...chart().matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill/g),
    ];
    const first = rects.slice(0, 2).map((m) => [Number(m[1]), Number(m[2])]);
    assert.deepEqual(first, [
      [288 - 96, 96], // network: 2/5 × 240 = 96
      [288 - 144, 48], // the second series on top: 1/5 × 240 = 48
    ]);
  });

  it('rounds the axis to 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual([0, 3, 7, 12, 150, 501].map(niceCeiling), [1, 5, 10, 20, 200, 1000]);
  });
});

describe('markup escaping and metric deltas', () => {
  it('escapes markdown so a title cannot link, emphasise, or start a list', () => {
    assert.equal(
      escapeMarkdown('[x](http://e) *b* <i> @team #1'),
      '\\[x\\](http://e) \\*b\\* \\<i\\> \\@team \\#1',
    );
    assert.equal(escapeMarkdown('- item\nnext | cell'), '\\- item next \\| cell');
    assert.equal(escapeMarkdown('1. first'), '1\\. first');
    assert.equal(escapeXml(`a<b>&"'`), 'a&lt;b&gt;&amp;&quot;&#39;');
  });

  it('formats deltas per kind', () => {
    const d = (kind: 'minutes' | 'rate' | 'count', before: number | null, after: number | null) =>
      ({ scope: 'P1', scopeName: null, metric: 'm', kind, before, after }) as const;
    assert.equal(formatChange(d('minutes', 90, 162)), '+1h 12m');
    assert.equal(formatChange(d('minutes', 162, 90)), '-1h 12m');
    assert.equal(formatChange(d('rate', 1, 0.5)), '-50 pts');
    assert.equal(formatChange(d('count', 2, 3)), '+1');
    assert.equal(formatChange(d('count', null, 3)), '–');
    assert.equal(formatValue('rate', 0.6667), '66.7%');
  });
});
