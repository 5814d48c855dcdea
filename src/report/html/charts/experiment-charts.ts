import { deltaPoints, intervalWords } from '../deltas';
import { fileSafe } from '../html-text';
import { cellNumber, collapseEpoch, seedsOf, type ExperimentResults } from '../results-folder';
import { pgdName } from './attack-name';
import { deltaChartSpec } from './delta-chart';
import { scatterSpec } from './scatter';
import { sweepChartSpec, sweepColumns } from './sweep-chart';
import { trainingCurvesSpec } from './training-curves';

/** One chart of the report: where its files go (relative to the preset folder), its Vega spec, what it shows. */
export interface ChartPlan {
  /** Stable id: the SVG's `data-chart` in the page, and the file name without extension. */
  id: string;
  /** Path of the .svg/.png beside the results, relative to the preset folder, without extension. */
  file: string;
  section: 'delta' | 'scatter' | 'sweep' | 'curves';
  spec: object;
  caption: string;
  /** For training curves: whether a seed of a run collapsed. */
  collapsed?: boolean;
}

/** The words for our error bars in this experiment: seed std with several seeds, Wilson intervals with one. */
function barWords(experiment: ExperimentResults): string {
  return experiment.columns.includes('seeds')
    ? 'error bars: ± sample std over seeds (n − 1)'
    : 'error bars: 95 % Wilson intervals of one evaluation (evaluation noise only)';
}

function scatterCaption(experiment: ExperimentResults): string {
  const has = (column: string) => experiment.rows.some((r) => cellNumber(r, column) !== undefined);
  const autoAttack = has('robustness_aa') ? '; rings: robust accuracy under AutoAttack, dotted to the same run' : '';
  const paper = has('paper_robustness') ? "; the paper's ImageNet points in their own panel" : '';
  return `Robustness under ${pgdName(experiment.rows)} (x) against clean accuracy (y): ours on our own axes (${barWords(experiment)}), each point named; runs with the same numbers are drawn side by side${autoAttack}${paper}.`;
}

/** The Δ chart: each run against the baseline, ours beside the paper's; none without a delta to show. */
function deltaPlan(experiment: ExperimentResults, id: string): ChartPlan[] {
  const points = deltaPoints(experiment);
  if (points.length === 0) return [];
  const ours = points.find((p) => p.source === 'ours');
  const words = ours ? `ours: ${intervalWords(ours.interval, ours.pairs)}` : 'no finished seed pairs with the baseline';
  const paper = points.some((p) => p.source === 'paper')
    ? " beside the paper's (diamonds)"
    : ' (the paper has no numbers for these runs)';
  return [
    {
      id: `${id}-delta`,
      file: `figures/${id}-delta`,
      section: 'delta',
      spec: deltaChartSpec(`${experiment.title}: Δ vs ${experiment.baseline}`, points, words, pgdName(experiment.rows)),
      caption: `Δ against ${experiment.baseline}, ours (circles, ${words})${paper}.`,
    },
  ];
}

/** One chart per swept preset key: robustness against its values. */
function sweepPlans(experiment: ExperimentResults, id: string): ChartPlan[] {
  return sweepColumns(experiment.columns).map((column) => ({
    id: `${id}-${fileSafe(column)}`,
    file: `figures/${id}-${fileSafe(column)}`,
    section: 'sweep',
    spec: sweepChartSpec(
      `${experiment.title}: robustness vs ${column.slice(6)}`,
      experiment.rows,
      column,
      barWords(experiment),
    ),
    caption: `Robustness against the swept ${column.slice(6)}.`,
  }));
}

/** Training curves: one chart, a line per run in each metric's panel; none when no run left a training log. */
function curvesPlan(experiment: ExperimentResults, id: string): ChartPlan[] {
  const runs = [...new Set([...experiment.rows.map((r) => r.run), ...experiment.seeds.map((s) => s.run)])].flatMap(
    (run) => {
      const seeds = seedsOf(experiment, run)
        .filter((s) => s.trainLog && s.trainLog.length > 0)
        .map((s) => ({ seed: s.seed, log: s.trainLog!, steps: s.trainSteps, collapsedAtEpoch: collapseEpoch(s) }));
      return seeds.length === 0 ? [] : [{ run, seeds }];
    },
  );
  if (runs.length === 0) return [];
  const collapsed = runs.some((r) => r.seeds.some((c) => c.collapsedAtEpoch !== undefined));
  return [
    {
      id: `${id}-curves`,
      file: `figures/${id}-curves`,
      section: 'curves',
      collapsed,
      spec: trainingCurvesSpec(`${experiment.title}: training`, runs),
      caption: `Training loss and adversarial training accuracy (every tenth of an epoch where the run wrote train-steps.json, else per epoch), and per-epoch held-out PGD-10 robustness, a line per run${runs.some((r) => r.seeds.length > 1) ? ' (the mean over seeds; each seed a thin line)' : ''}${collapsed ? '; the red dashed line marks a catastrophic-overfitting collapse' : ''}.`,
    },
  ];
}

/** Every chart of one experiment, in page order: Δ, scatter, sweeps (if any), then the training curves. */
export function planCharts(experiment: ExperimentResults): ChartPlan[] {
  const id = fileSafe(experiment.id);
  // The scatter keeps its old place beside the CSV (<experiment>.svg / .png), which docs/evaluation.md documents.
  const scatter: ChartPlan = {
    id: `${id}-scatter`,
    file: id,
    section: 'scatter',
    spec: scatterSpec(`${experiment.title}: robustness vs accuracy`, experiment.rows, barWords(experiment)),
    caption: scatterCaption(experiment),
  };
  return [...deltaPlan(experiment, id), scatter, ...sweepPlans(experiment, id), ...curvesPlan(experiment, id)];
}
