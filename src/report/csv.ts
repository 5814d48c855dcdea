import { stringify } from 'csv-stringify/sync';
import { withChanceFlag } from '../eval/sanity';
import { describe, mcnemarP, pairedSeedDelta, type PairedSeedDelta } from '../eval/statistics';
import { unpackBits, type EvalSummary } from '../eval/summary';
import type { ExperimentConfig, ExperimentRun, RunMetrics } from './records';
import { formatSpec } from '../nn/activation-spec';
import { signedNumber } from './signed-number';
import { baselineIdFor, sweepCells, sweepColumn } from './sweep-cells';

type Cell = string | number;

const percent = (fraction: number | undefined) =>
  fraction === undefined || Number.isNaN(fraction) ? '' : (100 * fraction).toFixed(2);
/** A Δ in points, as the CSV writes it: no '+', and no "-0.00" for a difference that rounds to zero. */
const percentDelta = (fraction: number) => signedNumber(100 * fraction, 2, { plus: '' });
const signedDelta = (value: number, baseline: number | undefined) =>
  baseline === undefined ? '' : percentDelta(value - baseline);
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
/** Several seeds: seed-to-seed spread, and a paired t-test on the per-seed deltas over the seeds both runs finished. */
const SPREAD_METRICS = ['accuracy', 'robustness', 'robustness_worst'] as const;
const MULTI_SEED_COLUMNS = [
  'seeds',
  ...SPREAD_METRICS.flatMap((m) => [`${m}_std`, `${m}_min`, `${m}_max`]),
  // Seeds both the run and its baseline finished: what Δ and its t-test are taken over.
  'delta_pairs',
  'accuracy_delta_p',
  'robustness_delta_p',
];

const metricOf = (m: RunMetrics, name: (typeof SPREAD_METRICS)[number]) =>
  name === 'accuracy' ? m.accuracy : name === 'robustness' ? m.robustness : (m.evaluation?.robustnessWorst ?? NaN);

/** A CSV row by column name; columns it leaves out are written empty. */
type Row = Record<string, Cell>;

/** The header, in the order the CSV has always had: names, our numbers, the paper's, provenance, the rest, status. */
function experimentColumns(experiment: ExperimentConfig, multiSeed: boolean): string[] {
  return [
    'run',
    ...Object.keys(experiment.sweep ?? {}).map(sweepColumn),
    ...(experiment.layout === 'backward-pair' ? ['attacker_backward', 'optimizer_backward'] : ['activation']),
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
}

/**
 * An experiment's CSV, rows in config order, from the finished runs (one RunMetrics per seed; missing runs are
 * left out). With one seed per run the cells are that seed's; with several, accuracy and robustness are means over
 * seeds, with std/min/max columns, and their deltas are means of the per-seed deltas over the seeds both the run and
 * its baseline finished (`delta_pairs` of them). Deterministic: no timings. `failures` (run id → one
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
  const rows = experiment.runs.flatMap((run): Row[] => {
    const seeds = bySeed(run.id);
    const failed = failures.get(run.id) ?? [];
    // A run with no finished seed: its names, the paper's numbers and its status; no numbers of ours.
    if (seeds.length === 0)
      return failed.length === 0 ? [] : [{ ...namesOf(experiment, run), ...paperOf(run), status: failed.join('; ') }];
    const baselineId = baselineIdFor(experiment, run);
    const baseline = bySeed(baselineId);
    const againstBaseline = run.id === baselineId || baseline.length === 0 ? undefined : baseline;
    const numbers = multiSeed
      ? multiSeedRow(seeds, againstBaseline, run.id === baselineId)
      : singleSeedRow(seeds[0], againstBaseline?.[0], baseline[0]);
    const cuts = [...new Set(seeds.flatMap((m) => (m.trainingCut ? [m.trainingCut] : [])))];
    return [
      { ...namesOf(experiment, run), ...numbers, ...paperOf(run), status: ['ok', ...cuts, ...failed].join('; ') },
    ];
  });
  return stringify(rows, { header: true, columns: experimentColumns(experiment, multiSeed) });
}

/** The cells that name a row: run id, swept values, the run's activation(s). */
function namesOf(experiment: ExperimentConfig, run: ExperimentRun): Row {
  const sweepKeys = Object.keys(experiment.sweep ?? {});
  const swept = sweepCells(experiment, run);
  const activations: Row =
    experiment.layout === 'backward-pair'
      ? { attacker_backward: formatSpec(run.backward.attack), optimizer_backward: formatSpec(run.backward.train) }
      : { activation: formatSpec(run.forward) };
  return {
    run: run.id,
    ...Object.fromEntries(sweepKeys.map((key, i) => [sweepColumn(key), swept[i]])),
    ...activations,
  };
}

/** The paper's accuracy and robustness, empty for runs the paper has not. */
function paperOf(run: ExperimentRun): Row {
  return {
    paper_accuracy: run.paper?.accuracy.toFixed(2) ?? '',
    paper_robustness: run.paper?.robustness.toFixed(2) ?? '',
  };
}

function provenance(m: RunMetrics, seedCell: Cell): Row {
  // Metrics written before the factor existed leave its two cells empty.
  const factor = m.evalStepSizeFactor;
  return {
    preset: m.preset,
    dataset: m.dataset,
    model: m.model,
    epsilon: m.epsilon.toFixed(6),
    eval_steps: m.evalSteps,
    eval_step_size_factor: factor === undefined ? '' : +factor.toPrecision(6),
    eval_step_size: factor === undefined ? '' : (factor * m.epsilon).toFixed(6),
    eval_examples: m.evalExamples,
    seed: seedCell,
    backend: m.backend,
  };
}

/** Paired McNemar p on one per-example vector, when both runs stored it for the same number of examples. */
function mcnemarOn(key: 'cleanCorrect' | 'robustCorrect', a?: EvalSummary, b?: EvalSummary): number | undefined {
  const length = key === 'cleanCorrect' ? 'testExamples' : 'attackedExamples';
  if (!a || !b || a[length] !== b[length]) return undefined;
  return mcnemarP(unpackBits(a.perExample[key], a[length]), unpackBits(b.perExample[key], b[length]));
}

/** The evaluation's sanity cell, flagged `chance-accuracy` when the clean accuracy is at chance (src/eval/sanity.ts). */
const sanityOf = (m: RunMetrics) => withChanceFlag(m.evaluation!.sanity.cell, m.accuracy, m.evaluation!.numClasses);

/** Our numbers of one seed: accuracy, robustness, their deltas, provenance, the suite's cells and the intervals. */
function singleSeedRow(m: RunMetrics, compareTo: RunMetrics | undefined, baseline: RunMetrics | undefined): Row {
  const e = m.evaluation;
  return {
    accuracy: percent(m.accuracy),
    robustness: percent(m.robustness),
    accuracy_delta: signedDelta(m.accuracy, baseline?.accuracy),
    robustness_delta: signedDelta(m.robustness, baseline?.robustness),
    ...provenance(m, m.seed),
    robustness_worst: percent(e?.robustnessWorst),
    robustness_aa: percent(e?.robustnessAa),
    worst_minus_pgd: percent(e?.worstMinusPgd),
    attack_suite: e?.suite ?? '',
    sanity: e ? sanityOf(m) : '',
    accuracy_ci_low: percent(e?.accuracyCi.low),
    accuracy_ci_high: percent(e?.accuracyCi.high),
    robustness_ci_low: percent(e?.robustnessCi.low),
    robustness_ci_high: percent(e?.robustnessCi.high),
    accuracy_delta_p: pValue(mcnemarOn('cleanCorrect', e, compareTo?.evaluation)),
    robustness_delta_p: pValue(mcnemarOn('robustCorrect', e, compareTo?.evaluation)),
  };
}

/**
 * Our numbers over several seeds: means, the seed-to-seed spread, and Δ against the baseline. Δ, its paired t-test
 * and `delta_pairs` all come from the seeds both runs finished (pairedSeedDelta); the baseline's own row has Δ 0.00
 * and no test.
 */
function multiSeedRow(seeds: RunMetrics[], compareTo: RunMetrics[] | undefined, isBaseline: boolean): Row {
  const spread = (list: RunMetrics[], name: (typeof SPREAD_METRICS)[number]) =>
    describe(list.map((m) => metricOf(m, name)));
  const paired = (name: 'accuracy' | 'robustness') =>
    compareTo && pairedSeedDelta(seeds, compareTo, (m) => metricOf(m, name));
  const [accuracyDelta, robustnessDelta] = [paired('accuracy'), paired('robustness')];
  const deltaCell = (delta: PairedSeedDelta | undefined) =>
    isBaseline ? percentDelta(0) : delta && delta.pairs > 0 ? percentDelta(delta.mean) : '';
  const evaluated = seeds.filter((m) => m.evaluation);
  return {
    accuracy: percent(spread(seeds, 'accuracy').mean),
    robustness: percent(spread(seeds, 'robustness').mean),
    accuracy_delta: deltaCell(accuracyDelta),
    robustness_delta: deltaCell(robustnessDelta),
    ...provenance(seeds[0], seeds.map((m) => m.seed).join('+')),
    ...suiteMeans(evaluated),
    seeds: seeds.length,
    ...Object.fromEntries(
      SPREAD_METRICS.flatMap((name) => {
        const list = name === 'robustness_worst' ? evaluated : seeds;
        const s = list.length ? spread(list, name) : undefined;
        return [
          [`${name}_std`, percent(s?.std)],
          [`${name}_min`, percent(s?.min)],
          [`${name}_max`, percent(s?.max)],
        ];
      }),
    ),
    delta_pairs: robustnessDelta?.pairs ?? '',
    accuracy_delta_p: pValue(accuracyDelta?.p),
    robustness_delta_p: pValue(robustnessDelta?.p),
  };
}

/** The suite's cells over the seeds that were evaluated: means, the suites used, the sanity checks any seed failed. */
function suiteMeans(evaluated: RunMetrics[]): Row {
  const meanOf = (value: (e: EvalSummary) => number) =>
    evaluated.length ? describe(evaluated.map((m) => value(m.evaluation!))).mean : undefined;
  const failed = [...new Set(evaluated.flatMap((m) => (sanityOf(m) !== 'ok' ? sanityOf(m).split('+') : [])))];
  return {
    robustness_worst: percent(meanOf((e) => e.robustnessWorst)),
    // Empty unless every seed ran AutoAttack.
    robustness_aa: percent(
      evaluated.every((m) => m.evaluation!.robustnessAa !== undefined) ? meanOf((e) => e.robustnessAa!) : undefined,
    ),
    worst_minus_pgd: percent(meanOf((e) => e.worstMinusPgd)),
    attack_suite: [...new Set(evaluated.map((m) => m.evaluation!.suite))].join('+'),
    sanity: evaluated.length ? (failed.length ? failed.join('+') : 'ok') : '',
  };
}
