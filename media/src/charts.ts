/**
 * The four metrics charts, drawn with Chart.js in the colours of the current theme (the
 * `--vscode-charts-*` variables), without animation so a redraw is instant and stable.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import type { ReportView } from '../../src/extension/metricsProtocol';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const PALETTE = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'];

/** The theme's colours, read from the CSS variables VS Code sets on the page. */
function theme() {
  const style = getComputedStyle(document.body);
  const css = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const highContrast = document.body.classList.contains('vscode-high-contrast');
  return {
    text: css('--vscode-foreground', '#888'),
    grid: css('--vscode-editorWidget-border', css('--vscode-panel-border', '#8884')),
    border: highContrast ? css('--vscode-contrastBorder', '#fff') : 'transparent',
    chart: (i: number) => css(`--vscode-charts-${PALETTE[i % PALETTE.length]}`, '#888'),
    font: css('--vscode-font-family', 'sans-serif'),
  };
}

const charts = new Map<string, Chart>();

/** Each chart's labels as drawn: its x axis, then its datasets' names (for the probe). */
export function chartLabels(): Record<string, string[]> {
  return Object.fromEntries(
    [...charts].map(([id, chart]) => [
      id,
      [
        ...(chart.data.labels ?? []).map((label) => String(label)),
        ...chart.data.datasets.map((set) => String(set.label)),
      ],
    ]),
  );
}

function draw(id: string, config: ChartConfiguration<'bar'>): void {
  charts.get(id)?.destroy();
  const canvas = document.getElementById(id) as HTMLCanvasElement | null;
  if (!canvas) return;
  charts.set(id, new Chart(canvas, config));
}

function options(
  stacked: boolean,
  max?: number,
  whole = false,
): ChartConfiguration<'bar'>['options'] {
  const colors = theme();
  Chart.defaults.color = colors.text;
  Chart.defaults.font.family = colors.font;
  const axis = { grid: { color: colors.grid }, ticks: { color: colors.text }, stacked };
  // Counts get whole-number ticks only.
  const y = { ...axis, ticks: { ...axis.ticks, precision: whole ? 0 : undefined } };
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { labels: { color: colors.text } } },
    scales: { x: axis, y: { ...y, beginAtZero: true, max } },
  };
}

function dataset(label: string, data: (number | null)[], index: number) {
  const colors = theme();
  return {
    label,
    data,
    backgroundColor: colors.chart(index),
    borderColor: colors.border,
    borderWidth: colors.border === 'transparent' ? 0 : 1,
  };
}

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);
const hours = (minutes: number | null) =>
  minutes === null ? null : Math.round((minutes / 60) * 100) / 100;

/** Draws (or redraws) every chart from `report`. */
export function drawCharts(report: ReportView): void {
  const priorities = Object.keys(report.byPriority);
  const blocks = priorities.map((p) => report.byPriority[p]);

  draw('mttrChart', {
    type: 'bar',
    data: {
      labels: priorities,
      datasets: [
        dataset(
          'MTTR (h)',
          blocks.map((b) => hours(b.mttr.mean)),
          0,
        ),
      ],
    },
    options: options(false),
  });
  draw('slaChart', {
    type: 'bar',
    data: {
      labels: priorities,
      datasets: [
        dataset(
          'Response',
          blocks.map((b) => percent(b.responseSla.rate)),
          0,
        ),
        dataset(
          'Resolution',
          blocks.map((b) => percent(b.resolutionSla.rate)),
          1,
        ),
      ],
    },
    options: options(false, 100),
  });

  const byCategory = report.volume.byCategory;
  const periods = [...new Set(Object.values(byCategory).flatMap((p) => Object.keys(p)))].sort();
  draw('volumeChart', {
    type: 'bar',
    data: {
      labels: periods,
      datasets: Object.entries(byCategory).map(([category, counts], i) =>
        dataset(
          category,
          periods.map((period) => counts[period] ?? 0),
          i,
        ),
      ),
    },
    options: options(true, undefined, true),
  });
  draw('reopenChart', {
    type: 'bar',
    data: {
      labels: [...priorities, 'all'],
      datasets: [
        dataset(
          'Reopened (%)',
          [...blocks, report.overall].map((b) => percent(b.reopenRate)),
          3,
        ),
      ],
    },
    options: options(false, 100),
  });
}
