/**
 * Bar charts as standalone SVG, written by hand so a CI artifact needs no browser, no chart
 * library and no network: MTTR per priority, SLA compliance per priority, and volume per
 * period stacked by category. Every label goes through `escapeXml`; output is deterministic.
 */
import { formatMinutes } from './duration';
import type { MetricsReport } from './metricsReport';
import { escapeXml } from './markupText';

/** One series of bars: a value per category, null where there is none. */
export interface Series {
  name: string;
  values: (number | null)[];
}

/** A bar chart: categories on the x axis, one bar per series (or one stacked bar). */
export interface BarChart {
  title: string;
  categories: string[];
  series: Series[];
  stacked?: boolean;
  /** The y axis' top; the largest value rounded up when absent. */
  max?: number;
  format: (value: number) => string;
}

const WIDTH = 720;
const HEIGHT = 360;
const LEFT = 72;
const RIGHT = 16;
const TOP = 48;
const BOTTOM = 72;
const COLORS = ['#3b6fb6', '#e07b39', '#4e9a57', '#b8463f', '#8561b3', '#8c6d4f', '#c55a9f'];

/** Renders a bar chart as an SVG document. */
export function barChart(chart: BarChart): string {
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const totals = chart.categories.map((_, i) =>
    chart.stacked
      ? chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : Math.max(0, ...chart.series.map((s) => s.values[i] ?? 0)),
  );
  const max = chart.max ?? niceCeiling(Math.max(0, ...totals));
  const y = (value: number) => TOP + plotH - (max > 0 ? (value / max) * plotH : 0);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" ` +
      `viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(chart.title)}" ` +
      'font-family="sans-serif" font-size="12">',
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="24" font-size="16" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  for (let step = 0; step <= 4; step++) {
    const value = (max * step) / 4;
    const at = n(y(value));
    out.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${at}" y2="${at}" stroke="#dddddd"/>`,
      `<text x="${LEFT - 6}" y="${n(y(value) + 4)}" text-anchor="end" fill="#555555">` +
        `${escapeXml(chart.format(value))}</text>`,
    );
  }
  const groupW = chart.categories.length > 0 ? plotW / chart.categories.length : plotW;
  chart.categories.forEach((category, i) => {
    const x0 = LEFT + i * groupW;
    out.push(...bars(chart, i, x0, groupW, y));
    const cx = n(x0 + groupW / 2);
    const ly = HEIGHT - BOTTOM + 16;
    const turn = chart.categories.length > 8 ? ` transform="rotate(-40 ${cx} ${ly})"` : '';
    const anchor = turn ? 'end' : 'middle';
    out.push(
      `<text x="${cx}" y="${ly}" text-anchor="${anchor}"${turn}>${escapeXml(category)}</text>`,
    );
  });
  if (chart.categories.length === 0) {
    out.push(
      `<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="#777777">` +
        'no records</text>',
    );
  }
  out.push(...legend(chart.series), '</svg>');
  return `${out.join('\n')}\n`;
}

function bars(
  chart: BarChart,
  i: number,
  x0: number,
  groupW: number,
  y: (value: number) => number,
): string[] {
  const out: string[] = [];
  const inner = groupW * 0.7;
  const barW = chart.stacked ? inner : inner / Math.max(1, chart.series.length);
  let base = 0;
  chart.series.forEach((series, s) => {
    const value = series.values[i];
    const x = x0 + (groupW - inner) / 2 + (chart.stacked ? 0 : s * barW);
    const label = `${series.name}: ${value === null ? 'no data' : chart.format(value)}`;
    if (value === null || value === undefined) {
      if (!chart.stacked) {
        out.push(
          `<text x="${n(x + barW / 2)}" y="${n(y(0) - 4)}" text-anchor="middle" ` +
            `fill="#777777">–<title>${escapeXml(label)}</title></text>`,
        );
      }
      return;
    }
    const top = y(base + value);
    const height = y(base) - top;
    out.push(
      `<rect x="${n(x)}" y="${n(top)}" width="${n(barW - 2)}" height="${n(height)}" ` +
        `fill="${COLORS[s % COLORS.length]}"><title>${escapeXml(label)}</title></rect>`,
    );
    if (!chart.stacked) {
      out.push(
        `<text x="${n(x + barW / 2)}" y="${n(top - 4)}" text-anchor="middle">` +
          `${escapeXml(chart.format(value))}</text>`,
      );
    }
    if (chart.stacked) base += value;
  });
  return out;
}

function legend(series: Series[]): string[] {
  if (series.length < 2) return [];
  const out: string[] = [];
  let x = LEFT;
  series.forEach((s, i) => {
    const name = s.name.length > 24 ? `${s.name.slice(0, 23)}…` : s.name;
    out.push(
      `<rect x="${n(x)}" y="32" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/>`,
      `<text x="${n(x + 14)}" y="41">${escapeXml(name)}</text>`,
    );
    x += 24 + name.length * 7;
  });
  return out;
}

/** 1, 2 or 5 times a power of ten, at or above `value`. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** The three charts of a metrics report, each with its file name. */
export function metricsCharts(report: MetricsReport): { file: string; svg: string }[] {
  const priorities = Object.keys(report.byPriority);
  const label = (key: string) => {
    const name = report.byPriority[key].name;
    return name ? `${key} ${name}` : key;
  };
  const mttr = barChart({
    title: 'MTTR (mean) per priority',
    categories: priorities.map(label),
    series: [{ name: 'MTTR', values: priorities.map((p) => report.byPriority[p].mttr.mean) }],
    format: formatMinutes,
  });
  const rate = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
  const sla = barChart({
    title: 'SLA compliance per priority',
    categories: priorities.map(label),
    series: [
      {
        name: 'response',
        values: priorities.map((p) => rate(report.byPriority[p].responseSla.rate)),
      },
      {
        name: 'resolution',
        values: priorities.map((p) => rate(report.byPriority[p].resolutionSla.rate)),
      },
    ],
    max: 100,
    format: (v) => `${Math.round(v * 10) / 10}%`,
  });
  const byCategory = report.volume.byCategory;
  const periods = [...new Set(Object.values(byCategory).flatMap((p) => Object.keys(p)))]
    .sort()
    .slice(-24);
  const volume = barChart({
    title: `Records per ${report.volume.period}, by category`,
    categories: periods,
    series: Object.entries(byCategory).map(([name, counts]) => ({
      name,
      values: periods.map((p) => counts[p] ?? 0),
    })),
    stacked: true,
    format: (v) => String(Math.round(v * 10) / 10),
  });
  return [
    { file: 'mttr-by-priority.svg', svg: mttr },
    { file: 'sla-compliance.svg', svg: sla },
    { file: 'volume.svg', svg: volume },
  ];
}
