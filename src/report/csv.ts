import { stringify } from 'csv-stringify/sync';
import { withChanceFlag } from '../eval/sanity';
import { describe, mcnemarP, pairedTTestP } from '../eval/statistics';
import { unpackBits, type EvalSummary } from '../eval/summary';
import type { ExperimentConfig, ExperimentRun, RunMetrics } from './records';
import { formatSpec } from '../nn/activation-spec';
import { baselineIdFor, sweepCells, sweepColumn } from './sweep-cells';

type Cell = string | number;

const percent = (fraction: number | undefined) =>
  fraction === undefined || Number.isNaN(fraction) ? '' : (100 * fraction).toFixed(2);
const signedDelta = (value: number, baseline: number | undefined) =>
  baseline === undefined ? '' : (100 * (value - baseline)).toFixed(2);
const pValue = (p: number | undefined) => (p === undefined || !Number.isFinite(p) ? '' : p.toPrecision(4));

const PROVENANCE_COLUMNS = [
  'preset',
  'dataset',
  'model',
  'epsilon',
  'eval_steps',
  'eval_step_size_factor',
  'eval_step_size',
  'eval_examples',
  'seed',
  'backend',
];
const SUITE_COLUMNS = ['robustness_worst', 'robustness_aa', 'worst_minus_pgd', 'attack_suite', 'sanity'];
/** One seed: Wilson intervals (evaluation noise) and McNemar p-values on the same examples. */
const SINGLE_SEED_COLUMNS = [
  'accuracy_ci_low',
  'accuracy_ci_high',
  'robustness_ci_low',
  'robustness_ci_high',
  'accuracy_delta_p',
  'robustness_delta_p',
];
/** Several seeds: seed-to-seed spread and a paired t-test on the per-seed deltas. */
const SPREAD_METRICS = ['accuracy', 'robustness', 'robustness_worst'] as const;
const MULTI_SEED_COLUMNS = [
  'seeds',
  ...SPREAD_METRICS.flatMap((m) => [`${m}_std`, `${m}_min`, `${m}_max`]),
  'accuracy_delta_p',
  'robustness_delta_p',
];

const metricOf = (m: RunMetrics, name: (typeof SPREAD_METRICS)[number]) =>
  name === 'accuracy' ? m.accuracy : name === 'robustness' ? m.robustness : (m.evaluation?.robustnessWorst ?? NaN);

/**
 * An experiment's CSV, rows in config order, from the finished runs (one RunMetrics per seed; missing runs are
 * left out). With one seed per run the cells are that seed's; with several, accuracy and robustness (and their
 * deltas) are means over seeds, with std/min/max columns. Deterministic: no timings. `failures` (run id → one
 * description per failed seed) fill the last column, `status`: `ok`, then what cut training short of the preset (a run's
 * `trainingCut`) and what stopped training, with the epoch's
 * numbers; a run whose every seed failed gets a row with that status and no numbers.
 */
export function experimentCsv(
  experiment: ExperimentConfig,
  finished: ReadonlyMap<string, RunMetrics[]>,
  failures: ReadonlyMap<string, readonly string[]> = new Map(),
): string {
  const bySeed = (runId: string) => [...(finished.get(runId) ?? [])].sort((a, b) => a.seed - b.seed);
  const multiSeed = [...finished.values()].some((list) => list.length > 1);
  const runColumns =
    experiment.layout === 'backward-pair' ? ['attacker_backward', 'optimizer_backward'] : ['activation'];
  const header = [
    'run',
    ...Object.keys(experiment.sweep ?? {}).map(sweepColumn),
    ...runColumns,
    'accuracy',
    'robustness',
    'accuracy_delta',
    'robustness_delta',
    'paper_accuracy',
    'paper_robustness',
    ...PROVENANCE_COLUMNS,
    ...SUITE_COLUMNS,
    ...(multiSeed ? MULTI_SEED_COLUMNS : SINGLE_SEED_COLUMNS),
    'status',
  ];
  const rows = experiment.runs.flatMap((run) => {
    const seeds = bySeed(run.id);
    const failed = failures.get(run.id) ?? [];
    if (seeds.length === 0) return failed.length === 0 ? [] : [failedRow(header, experiment, run, failed)];
    const baselineId = baselineIdFor(experiment, run);
    const baseline = bySeed(baselineId);
    const againstBaseline = run.id === baselineId || baseline.length === 0 ? undefined : baseline;
    const row = multiSeed
      ? multiSeedRow(seeds, againstBaseline, baseline)
      : singleSeedRow(seeds[0], againstBaseline?.[0], baseline[0]);
    const cuts = [...new Set(seeds.flatMap((m) => (m.trainingCut ? [m.trainingCut] : [])))];
    return [
      [
        ...leadingCells(experiment, run),
        ...row.head,
        ...paperCells(run),
        ...row.tail,
        ['ok', ...cuts, ...failed].join('; '),
      ],
    ];
  });
  return stringify([header, ...rows]);
}

/** A run with no finished seed: its names, the paper's numbers and its status; no numbers of ours. */
function failedRow(
  header: readonly string[],
  experiment: ExperimentConfig,
  run: ExperimentRun,
  failed: readonly string[],
): Cell[] {
  const leading = leadingCells(experiment, run);
  const [paperAccuracy, paperRobustness] = paperCells(run);
  const named: Record<string, Cell> = {
    paper_accuracy: paperAccuracy,
    paper_robustness: paperRobustness,
    status: failed.join('; '),
  };
  return header.map((column, i) => (i < leading.length ? leading[i] : (named[column] ?? '')));
}

/** The cells before the numbers, in the header's order: run id, swept values, the run's activation(s). */
function leadingCells(experiment: ExperimentConfig, run: ExperimentRun): string[] {
  return [run.id, ...sweepCells(experiment, run), ...runCells(experiment, run)];
}

/** The paper's accuracy and robustness, empty for runs the paper has not. */
function paperCells(run: ExperimentRun): [string, string] {
  return [run.paper?.accuracy.toFixed(2) ?? '', run.paper?.robustness.toFixed(2) ?? ''];
}

function runCells(experiment: ExperimentConfig, run: ExperimentRun): string[] {
  return experiment.layout === 'backward-pair'
    ? [formatSpec(run.backward.attack), formatSpec(run.backward.train)]
    : [formatSpec(run.forward)];
}

function provenance(m: RunMetrics, seedCell: Cell): Cell[] {
  // Metrics written before the factor existed leave its two cells empty.
  const factor = m.evalStepSizeFactor;
  const step = factor === undefined ? ['', ''] : [+factor.toPrecision(6), (factor * m.epsilon).toFixed(6)];
  return [
    m.preset,
    m.dataset,
    m.model,
    m.epsilon.toFixed(6),
    m.evalSteps,
    ...step,
    m.evalExamples,
    seedCell,
    m.backend,
  ];
}

/** Paired McNemar p on one per-example vector, when both runs stored it for the same number of examples. */
function mcnemarOn(key: 'cleanCorrect' | 'robustCorrect', a?: EvalSummary, b?: EvalSummary): number | undefined {
  const length = key === 'cleanCorrect' ? 'testExamples' : 'attackedExamples';
  if (!a || !b || a[length] !== b[length]) return undefined;
  return mcnemarP(unpackBits(a.perExample[key], a[length]), unpackBits(b.perExample[key], b[length]));
}

/** The evaluation's sanity cell, flagged `chance-accuracy` when the clean accuracy is at chance (src/eval/sanity.ts). */
const sanityOf = (m: RunMetrics) => withChanceFlag(m.evaluation!.sanity.cell, m.accuracy, m.evaluation!.numClasses);

/** `head`: accuracy, robustness and their deltas; `tail`: everything after the paper's numbers. */
function singleSeedRow(
  m: RunMetrics,
  compareTo: RunMetrics | undefined,
  baseline: RunMetrics | undefined,
): { head: Cell[]; tail: Cell[] } {
  const e = m.evaluation;
  return {
    head: [
      percent(m.accuracy),
      percent(m.robustness),
      signedDelta(m.accuracy, baseline?.accuracy),
      signedDelta(m.robustness, baseline?.robustness),
    ],
    tail: [
      ...provenance(m, m.seed),
      percent(e?.robustnessWorst),
      percent(e?.robustnessAa),
      percent(e?.worstMinusPgd),
      e?.suite ?? '',
      e ? sanityOf(m) : '',
      percent(e?.accuracyCi.low),
      percent(e?.accuracyCi.high),
      percent(e?.robustnessCi.low),
      percent(e?.robustnessCi.high),
      pValue(mcnemarOn('cleanCorrect', e, compareTo?.evaluation)),
      pValue(mcnemarOn('robustCorrect', e, compareTo?.evaluation)),
    ],
  };
}

function multiSeedRow(
  seeds: RunMetrics[],
  compareTo: RunMetrics[] | undefined,
  baseline: RunMetrics[],
): { head: Cell[]; tail: Cell[] } {
  const spread = (list: RunMetrics[], name: (typeof SPREAD_METRICS)[number]) =>
    describe(list.map((m) => metricOf(m, name)));
  const mean = (list: RunMetrics[], name: (typeof SPREAD_METRICS)[number]) =>
    list.length === 0 ? undefined : spread(list, name).mean;
  // Deltas are paired by seed: only seeds both runs finished enter the t-test.
  const pairedP = (name: 'accuracy' | 'robustness') => {
    if (!compareTo) return undefined;
    const deltas = seeds.flatMap((m) =>
      compareTo.filter((b) => b.seed === m.seed).map((b) => metricOf(m, name) - metricOf(b, name)),
    );
    return pairedTTestP(deltas);
  };
  const failed = [
    ...new Set(seeds.flatMap((m) => (m.evaluation && sanityOf(m) !== 'ok' ? sanityOf(m).split('+') : []))),
  ];
  const evaluated = seeds.filter((m) => m.evaluation);
  const accuracy = spread(seeds, 'accuracy').mean;
  const robustness = spread(seeds, 'robustness').mean;
  return {
    head: [
      percent(accuracy),
      percent(robustness),
      signedDelta(accuracy, mean(baseline, 'accuracy')),
      signedDelta(robustness, mean(baseline, 'robustness')),
    ],
    tail: [
      ...provenance(seeds[0], seeds.map((m) => m.seed).join('+')),
      percent(evaluated.length ? spread(evaluated, 'robustness_worst').mean : undefined),
      // Empty unless every seed ran AutoAttack.
      percent(
        evaluated.length && evaluated.every((m) => m.evaluation!.robustnessAa !== undefined)
          ? describe(evaluated.map((m) => m.evaluation!.robustnessAa!)).mean
          : undefined,
      ),
      percent(evaluated.length ? describe(evaluated.map((m) => m.evaluation!.worstMinusPgd)).mean : undefined),
      [...new Set(evaluated.map((m) => m.evaluation!.suite))].join('+'),
      evaluated.length ? (failed.length ? failed.join('+') : 'ok') : '',
      seeds.length,
      ...SPREAD_METRICS.flatMap((name) => {
        const list = name === 'robustness_worst' ? evaluated : seeds;
        const s = list.length ? spread(list, name) : undefined;
        return [percent(s?.std), percent(s?.min), percent(s?.max)];
      }),
      pValue(pairedP('accuracy')),
      pValue(pairedP('robustness')),
    ],
  };
}
