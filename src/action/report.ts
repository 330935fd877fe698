/**
 * The default-branch run: the metrics report as JSON and markdown, and its charts as SVG,
 * written to the artifact folder for `actions/upload-artifact`; the markdown also goes to
 * the job summary.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { computeMetrics } from '../core/metricsReport';
import { renderReport } from '../core/reportFormat';
import type { IncidentRepository } from '../core/repository';
import { metricsCharts } from '../core/svgCharts';

/** Writes the report and charts into `dir`; returns the files and the summary markdown. */
export async function writeReport(repo: IncidentRepository, dir: string) {
  const report = await computeMetrics(repo, { requireHistory: true });
  const folder = resolve(repo.root, dir);
  await mkdir(folder, { recursive: true });
  const markdown = renderReport(report, 'markdown');
  const files: [string, string][] = [
    ['metrics.json', renderReport(report, 'json')],
    ['metrics.md', markdown],
    ...metricsCharts(report).map(({ file, svg }): [string, string] => [file, svg]),
  ];
  for (const [name, text] of files) await writeFile(join(folder, name), text, 'utf8');
  const list = files.map(([name]) => `\`${name}\``).join(', ');
  const summary = `## Incident metrics\n\n${markdown}\nCharts and data in the artifact: ${list}\n`;
  return { folder, files: files.map(([name]) => name), summary };
}
