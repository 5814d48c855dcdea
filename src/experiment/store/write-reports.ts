import * as fs from 'node:fs';
import { markdownReport } from '../../report/markdown';
import { resultsTable } from '../../report/table';
import { writeFilesAtomic } from '../../util/atomic-write';
import { writeHtmlReport } from '../../report/html/write-html-report';
import { describeFailure, type FailedUnit } from './failed-units';
import { NEVER_KILL, type KillPoints } from './kill-point';
import { experimentCsvPath, experimentMarkdownPath } from './preset-folder';
import { experimentCsvText } from './results';
import { readResultsFolder } from './results-folder';
import type { RunMetrics } from '../../report/records';
import { EXPERIMENTS } from '../config/registry';
import type { ExperimentConfig } from '../config/types';

/** One line on the scale the numbers come from. */
export function settingLine(finished: ReadonlyMap<string, readonly RunMetrics[]>): string {
  const m = [...finished.values()][0]?.[0];
  if (!m) return 'No finished runs yet.';
  return `Preset \`${m.preset}\`: ${m.dataset}, ${m.model}, ε = ${m.epsilon.toFixed(4)} (${(255 * m.epsilon).toFixed(1)}/255), PGD-${m.evalSteps} on ${m.evalExamples} test examples, backend ${m.backend}.`;
}

/** The units whose training stopped for good, with the numbers of the epoch they stopped in (empty when none). */
function failedSection(failed: ReadonlyMap<string, readonly FailedUnit[]>): string {
  const list = [...failed.values()].flat();
  if (list.length === 0) return '';
  return [
    '',
    'Not in the table: training stopped for good (a collapse to chance or a NaN loss; rerun with --retry-failed):',
    '',
    ...list.map((f) => `- ${f.run}: ${describeFailure(f)}`),
    '',
  ].join('\n');
}

/** Title and baseline of a registered experiment, for the HTML report (which reads every experiment in the folder). */
function knownExperiment(id: string): { title: string; baseline: string } | undefined {
  const config = (EXPERIMENTS as Record<string, ExperimentConfig>)[id];
  return config ? { title: config.title, baseline: config.baseline } : undefined;
}

/**
 * `<preset dir>/<experiment>.csv` (one row per run, seeds aggregated) and `<experiment>.md` (the results table, the paper's Δ beside ours)
 * from the finished runs; then the folder's `index.html` (every experiment in it) with its charts: the Figure 3
 * scatter as `<experiment>.svg` / `.png`, the others under `figures/`.
 */
export async function writeReports(
  presetDir: string,
  experiment: ExperimentConfig,
  finished: ReadonlyMap<string, RunMetrics[]>,
  failed: ReadonlyMap<string, readonly FailedUnit[]> = new Map(),
  kill: KillPoints = NEVER_KILL,
): Promise<{ csvPath: string; markdown: string; htmlPath: string }> {
  const csvPath = experimentCsvPath(presetDir, experiment.id);
  const failures = new Map([...failed].map(([run, list]) => [run, list.map(describeFailure)]));
  const csv = experimentCsvText(experiment, finished, failures);
  // The .md is read off the CSV's cells: one definition of every number.
  const table = resultsTable(csv, { baseline: experiment.baseline, paper: true });
  const markdown =
    markdownReport({ title: experiment.title, setting: settingLine(finished) }, table) + failedSection(failed);
  fs.mkdirSync(presetDir, { recursive: true });
  // Readers never see a torn report: every temp copy first, then the renames.
  writeFilesAtomic(
    [
      [csvPath, csv],
      [experimentMarkdownPath(presetDir, experiment.id), markdown],
    ],
    () => kill.reach('report-write'),
  );
  const folder = readResultsFolder(presetDir, knownExperiment, Object.keys(EXPERIMENTS));
  const { htmlPath } = await writeHtmlReport(folder);
  return { csvPath, markdown, htmlPath };
}
