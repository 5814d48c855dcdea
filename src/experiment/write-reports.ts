import * as fs from 'node:fs';
import * as path from 'node:path';
import { markdownReport, type ReportGroup } from '../report/markdown';
import { sweepValueText } from '../report/sweep-cells';
import { writeSyncedTemp } from '../util/atomic-write';
import { rasterizeSvg, renderScatterSvg } from '../report/svg';
import { meanAndSpread, type ReportRow } from '../report/table';
import type { KillSwitch } from './kill-point';
import { experimentCsvText } from './results';
import type { RunMetrics } from './run-store';
import type { ExperimentConfig } from './types';

/** Our mean (± spread over seeds) beside the paper's number, per finished run, in config order. Percent. */
export function reportRows(experiment: ExperimentConfig, finished: ReadonlyMap<string, readonly RunMetrics[]>): ReportRow[] {
  return experiment.runs.flatMap((run) => {
    const list = finished.get(run.id);
    if (!list || list.length === 0) return [];
    const accuracy = meanAndSpread(list.map((m) => 100 * m.accuracy));
    const robustness = meanAndSpread(list.map((m) => 100 * m.robustness));
    return [{ id: run.id, label: run.label, accuracy: accuracy.mean, robustness: robustness.mean, accuracySpread: accuracy.spread, robustnessSpread: robustness.spread, seeds: list.length, paper: run.paper }];
  });
}

/** With a sweep: the rows of each sweep point under a heading (`epsilon = 0.1`), in sweep order. */
function sweepGroups(experiment: ExperimentConfig, rows: readonly ReportRow[]): ReportGroup[] | undefined {
  if (!experiment.sweep) return undefined;
  const groups = new Map<string, ReportRow[]>();
  for (const run of experiment.runs) {
    const heading = Object.entries(run.sweepPoint?.values ?? {}).map(([key, value]) => `${key} = ${sweepValueText(value)}`).join(', ');
    const row = rows.find((r) => r.id === run.id);
    if (!groups.has(heading)) groups.set(heading, []);
    if (row) groups.get(heading)!.push(row);
  }
  return [...groups].filter(([, list]) => list.length > 0).map(([heading, list]) => ({ heading, rows: list }));
}

/** One line on the scale the numbers come from. */
export function settingLine(finished: ReadonlyMap<string, readonly RunMetrics[]>): string {
  const m = [...finished.values()][0]?.[0];
  if (!m) return 'No finished runs yet.';
  return `Preset \`${m.preset}\`: ${m.dataset}, ${m.model}, ε = ${m.epsilon.toFixed(4)} (${(255 * m.epsilon).toFixed(1)}/255), PGD-${m.evalSteps} on ${m.evalExamples} test examples, backend ${m.backend}.`;
}

/** Writes every file's temp copy (fsynced), then renames them all: readers never see a torn report. */
function writeAllAtomic(files: ReadonlyArray<[string, string | Uint8Array]>, kill: KillSwitch): void {
  const temps = files.map(([file, data]) => writeSyncedTemp(file, data));
  kill.reach('report-write');
  files.forEach(([file], i) => fs.renameSync(temps[i], file));
}

/**
 * `<preset dir>/<experiment>.csv` (one row per run, seeds aggregated), `<experiment>.md` (ours beside the paper's), and the
 * Figure 3 style scatter `<experiment>.svg` (+ `.png` when sharp is installed), all from the finished runs.
 */
export async function writeReports(presetDir: string, experiment: ExperimentConfig, finished: ReadonlyMap<string, RunMetrics[]>, kill: KillSwitch): Promise<{ csvPath: string; markdown: string }> {
  const rows = reportRows(experiment, finished);
  const csvPath = path.join(presetDir, `${experiment.id}.csv`);
  const markdown = markdownReport({ title: experiment.title, setting: settingLine(finished) }, rows, sweepGroups(experiment, rows));
  const files: Array<[string, string | Uint8Array]> = [[csvPath, experimentCsvText(experiment, finished)], [path.join(presetDir, `${experiment.id}.md`), markdown]];
  if (rows.length > 0) {
    const svg = await renderScatterSvg(experiment.title, rows);
    files.push([path.join(presetDir, `${experiment.id}.svg`), svg]);
    const png = await rasterizeSvg(svg);
    if (png) files.push([path.join(presetDir, `${experiment.id}.png`), png]);
  }
  fs.mkdirSync(presetDir, { recursive: true });
  writeAllAtomic(files, kill);
  return { csvPath, markdown };
}
