import { pairBySeed, pairedDifferenceInterval, pairedSeedDelta } from '../../eval/statistics';
import { unpackBits } from '../../eval/summary';
import type { RunMetrics } from '../records';
import { baselineForRunId } from '../sweep-cells';
import { cellNumber, seedsOf, type ExperimentResults } from './results-folder';

export type DeltaMetric = 'accuracy' | 'robustness';

/** How an error bar on our Δ was made. */
export type DeltaInterval =
  | 'seed-std' // several seeds: mean ± sample std of the per-seed deltas (same seed, run − baseline)
  | 'paired-wilson' // one seed: Newcombe's paired Wilson interval on the same test examples (95 %)
  | 'none'; // one seed without per-example outcomes (metrics from before they were stored)

/** One point of the Δ chart, in percentage points. */
export interface DeltaPoint {
  run: string;
  metric: DeltaMetric;
  source: 'ours' | 'paper';
  delta: number;
  low?: number;
  high?: number;
  interval: DeltaInterval | 'paper';
  /** Seeds paired with the baseline (ours), 0 for the paper. */
  pairs: number;
}

const valueOf = (m: RunMetrics, metric: DeltaMetric) => (metric === 'accuracy' ? m.accuracy : m.robustness);

/** Per-example 0/1 outcomes behind a metric, when the metrics carry them. */
function outcomes(m: RunMetrics, metric: DeltaMetric): Uint8Array | undefined {
  const e = m.evaluation;
  if (!e?.perExample) return undefined;
  return metric === 'accuracy'
    ? unpackBits(e.perExample.cleanCorrect, e.testExamples)
    : unpackBits(e.perExample.robustCorrect, e.attackedExamples);
}

/**
 * Our Δ of one run against the baseline, paired by seed. Several pairs: the mean of the per-seed deltas with
 * ± their sample standard deviation. One pair: the paired Wilson interval on the same examples (the interval
 * behind McNemar's test in the CSV). Undefined when no seed of the run has a finished baseline twin.
 */
export function ourDelta(
  run: readonly RunMetrics[],
  baseline: readonly RunMetrics[],
  metric: DeltaMetric,
): Omit<DeltaPoint, 'run' | 'metric' | 'source'> | undefined {
  const pairs = pairBySeed(run, baseline);
  if (pairs.length === 0) return undefined;
  if (pairs.length > 1) {
    const s = pairedSeedDelta(run, baseline, (m) => 100 * valueOf(m, metric));
    return { delta: s.mean, low: s.mean - s.std, high: s.mean + s.std, interval: 'seed-std', pairs: s.pairs };
  }
  const [m, b] = pairs[0];
  const delta = 100 * (valueOf(m, metric) - valueOf(b, metric));
  const [x, y] = [outcomes(m, metric), outcomes(b, metric)];
  if (!x || !y || x.length !== y.length) return { delta, interval: 'none', pairs: 1 };
  const ci = pairedDifferenceInterval(x, y);
  return { delta, low: 100 * ci.low, high: 100 * ci.high, interval: 'paired-wilson', pairs: 1 };
}

/**
 * Every non-baseline run's Δ accuracy and Δ robustness: ours (with its error bar) beside the paper's, each against
 * the baseline at the run's own sweep point.
 */
export function deltaPoints(experiment: ExperimentResults): DeltaPoint[] {
  const finished = (run: string) => seedsOf(experiment, run).flatMap((s) => (s.metrics ? [s.metrics] : []));
  const baselineOf = (run: string) => baselineForRunId(run, experiment.baseline);
  return experiment.rows
    .filter((row) => row.run !== baselineOf(row.run))
    .flatMap((row) =>
      (['accuracy', 'robustness'] as const).flatMap((metric) => {
        const points: DeltaPoint[] = [];
        const baselineRow = experiment.rows.find((r) => r.run === baselineOf(row.run));
        const ours = ourDelta(finished(row.run), finished(baselineOf(row.run)), metric);
        if (ours) points.push({ run: row.run, metric, source: 'ours', ...ours });
        const [paper, paperBase] = [
          cellNumber(row, `paper_${metric}`),
          baselineRow && cellNumber(baselineRow, `paper_${metric}`),
        ];
        if (paper !== undefined && paperBase !== undefined)
          points.push({ run: row.run, metric, source: 'paper', delta: paper - paperBase, interval: 'paper', pairs: 0 });
        return points;
      }),
    );
}

/** The error bar in words, for captions and hover text. */
export function intervalWords(interval: DeltaPoint['interval'], pairs: number): string {
  switch (interval) {
    case 'seed-std':
      return `mean ± sample std of ${pairs} per-seed deltas`;
    case 'paired-wilson':
      return '95 % paired Wilson interval (Newcombe) on the same test examples: evaluation noise of one trained model';
    case 'none':
      return 'no interval: these metrics predate per-example outcomes';
    case 'paper':
      return "the paper's ImageNet numbers (no interval reported)";
  }
}
