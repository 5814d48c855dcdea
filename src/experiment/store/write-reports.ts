import * as fs from 'node:fs';
import * as path from 'node:path';
import { markdownReport, type ReportGroup } from '../../report/markdown';
import { sweepValueText } from '../../report/sweep-cells';
import { writeFilesAtomic } from '../../util/atomic-write';
import { describe } from '../../eval/statistics';
import { writeHtmlReport } from '../../report/html/write-html-report';
import type { ReportRow } from '../../report/table';
import { describeFailure, type FailedUnit } from './failed-units';
import { NEVER_KILL, type KillPoints } from './kill-point';
import { experimentCsvText } from './results';
import type { RunMetrics } from './run-store';
import { EXPERIMENTS } from '../config/registry';
import type { ExperimentConfig } from '../config/types';

/** Our mean (± spread over seeds) beside the paper's number, per finished run, in config order. Percent. */
export function reportRows(experiment: ExperimentConfig, finished: ReadonlyMap<string, readonly RunMetrics[]>): ReportRow[] {
  return experiment.runs.flatMap((run) => {
    const list = finished.get(run.id);
    if (!list || list.length === 0) return [];
    // The one standard deviation (sample, n − 1) that the CSV's *_std columns use too.
    const accuracy = describe(list.map((m) => 100 * m.accuracy));
    const robustness = describe(list.map((m) => 100 * m.robustness));
    return [{ id: run.id, label: run.label, accuracy: accuracy.mean, robustness: robustness.mean, accuracySpread: accuracy.std, robustnessSpread: robustness.std, seeds: list.length, paper: run.paper }];
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

/** The units whose training stopped for good, with the numbers of the epoch they stopped in (empty when none). */
function failedSection(failed: ReadonlyMap<string, readonly FailedUnit[]>): string {
  const list = [...failed.values()].flat();
  if (list.length === 0) return '';
  return ['', 'Not in the table: training stopped for good (a collapse to chance or a NaN loss; rerun with --retry-failed):', '', ...list.map((f) => `- ${f.run}: ${describeFailure(f)}`), ''].join('\n');
}


/** Title and baseline of a registered experiment, for the HTML report (which reads every experiment in the folder). */
function knownExperiment(id: string): { title: string; baseline: string } | undefined {
  const config = (EXPERIMENTS as Record<string, ExperimentConfig>)[id];
  return config ? { title: config.title, baseline: config.baseline } : undefined;
}

/**
 * `<preset dir>/<experiment>.csv` (one row per run, seeds aggregated) and `<experiment>.md` (ours beside the paper's)
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
  const rows = reportRows(experiment, finished);
  const csvPath = path.join(presetDir, `${experiment.id}.csv`);
  const markdown = markdownReport({ title: experiment.title, setting: settingLine(finished) }, rows, sweepGroups(experiment, rows)) + failedSection(failed);
  const failures = new Map([...failed].map(([run, list]) => [run, list.map(describeFailure)]));
  fs.mkdirSync(presetDir, { recursive: true });
  // Readers never see a torn report: every temp copy first, then the renames.
  writeFilesAtomic([[csvPath, experimentCsvText(experiment, finished, failures)], [path.join(presetDir, `${experiment.id}.md`), markdown]], () => kill.reach('report-write'));
  const { htmlPath } = await writeHtmlReport(presetDir, knownExperiment, Object.keys(EXPERIMENTS));
  return { csvPath, markdown, htmlPath };
}
