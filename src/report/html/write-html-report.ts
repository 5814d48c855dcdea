import * as path from 'node:path';
import { writeFilesAtomic } from '../../util/atomic-write';
import { planCharts } from './charts/experiment-charts';
import { rasterizeSvg, renderVegaSvg } from './charts/render';
import { htmlPage } from './page';
import type { ResultsFolder } from '../records';

export interface HtmlReport {
  htmlPath: string;
  /** Every chart file written beside it (SVG, and PNG when sharp is installed), absolute paths. */
  chartFiles: string[];
}

/**
 * `<presetDir>/index.html` for every experiment in the folder, plus each chart as .svg and .png under the preset
 * folder. Built from the folder's records alone (CSV, metrics, manifests, train logs, as the store read them), so
 * `run` and `report` write the same page. All files are written to fsynced temps first, then renamed: readers never see a torn
 * file, and a failure leaves no temp behind.
 */
export async function writeHtmlReport(folder: ResultsFolder): Promise<HtmlReport> {
  const { presetDir } = folder;
  const charts = [];
  const files: Array<[string, string | Uint8Array]> = [];
  for (const experiment of folder.experiments) {
    for (const plan of planCharts(experiment)) {
      const svg = await renderVegaSvg(plan.spec);
      const png = await rasterizeSvg(svg);
      files.push([path.join(presetDir, `${plan.file}.svg`), svg]);
      if (png) files.push([path.join(presetDir, `${plan.file}.png`), png]);
      charts.push({
        experiment: experiment.id,
        plan,
        svg: svg.replace(/^<svg /, `<svg data-chart-svg="${plan.id}" `),
        png: png !== undefined,
      });
    }
  }
  const htmlPath = path.join(presetDir, 'index.html');
  files.push([htmlPath, htmlPage(folder, charts)]);
  // writeFilesAtomic removes every temp copy when a write or a rename fails, so none is left in the results folder.
  writeFilesAtomic(files);
  return { htmlPath, chartFiles: files.slice(0, -1).map(([file]) => file) };
}
