import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import table1 from '../../configs/table1';
import type { EvalResult } from '../../src/eval/result';
import { summarizeEvaluation } from '../../src/eval/summary';
import type { RunMetrics } from '../../src/report/records';
import { experimentCsv } from '../../src/report/csv';

const BASE = [
  'run',
  'attacker_backward',
  'optimizer_backward',
  'accuracy',
  'robustness',
  'accuracy_delta',
  'robustness_delta',
  'paper_accuracy',
  'paper_robustness',
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
  'robustness_worst',
  'robustness_aa',
  'worst_minus_pgd',
  'attack_suite',
  'sanity',
];

const bits = (ones: number, length: number) => Uint8Array.from({ length }, (_, i) => (i < ones ? 1 : 0));

/** An evaluation of 100 examples (200 clean) with the first `robust` robust, the first `worst` robust to every attack. */
function evaluation(clean: number, robust: number, worst: number) {
  const result = {
    accuracy: clean / 200,
    robustness: robust / 100,
    testExamples: 200,
    attackedExamples: 100,
    robustCorrect: bits(robust, 100),
    cleanCorrect: bits(clean, 100),
    cleanCorrectAll: bits(clean, 200),
    firstExample: 0,
    labels: new Int32Array(100),
    cleanPrediction: new Int32Array(100),
    suite: 'smoke',
    epsilon: 0.1,
    numClasses: 10,
    attacks: [
      {
        name: 'pgd-5',
        attack: 'pgd',
        loss: 'crossEntropy',
        gradient: 'true',
        steps: 5,
        oracleCallsPerExample: 6,
        autoAttack: false,
        attacked: bits(100, 100),
        fooled: bits(100 - robust, 100).reverse(),
        broken: 100 - robust,
        robustnessAfter: robust / 100,
        robustness: robust / 100,
      },
    ],
    worstCorrect: bits(worst, 100),
    robustnessWorst: worst / 100,
    deadGradient: new Uint8Array(100),
    sanity: [{ name: 'pgd-gap', passed: robust - worst <= 2, value: (robust - worst) / 100, limit: 0.02, detail: '' }],
    sanityExamples: 32,
    sanityOracleCallsPerExample: 30,
    cascade: false,
  } satisfies EvalResult;
  return summarizeEvaluation(result);
}

function metrics(run: string, seed: number, clean: number, robust: number, worst = robust): RunMetrics {
  const e = evaluation(clean, robust, worst);
  return {
    experiment: 'table1',
    run,
    preset: 'smoke',
    configHash: 'x',
    seed,
    backend: 'cpu',
    dataset: 'glyphs',
    model: 'smallcnn',
    epsilon: 0.1,
    evalSteps: 5,
    evalStepSizeFactor: 0.25,
    evalExamples: 100,
    accuracy: e.accuracy,
    robustness: e.robustness,
    trainSteps: 10,
    trainSeconds: 1 + seed,
    trainImagesPerSecond: 5,
    evalSeconds: 2,
    evaluation: e,
  };
}

const rowsOf = (text: string) => parse(text, { columns: true }) as Array<Record<string, string>>;

test('one seed: the documented columns, then suite, Wilson and McNemar columns; the baseline has no p-value', () => {
  const finished = new Map([
    ['relu-relu', [metrics('relu-relu', 0, 160, 40)]],
    ['psoftplus-relu', [metrics('psoftplus-relu', 0, 160, 45, 41)]],
  ]);
  const text = experimentCsv(table1, finished);
  const rows = rowsOf(text);
  assert.deepEqual(Object.keys(rows[0]), [
    ...BASE,
    'accuracy_ci_low',
    'accuracy_ci_high',
    'robustness_ci_low',
    'robustness_ci_high',
    'accuracy_delta_p',
    'robustness_delta_p',
    'status',
  ]);
  assert.deepEqual([rows[0].robustness_delta_p, rows[0].sanity], ['', 'ok']);
  // Robust vectors differ on examples 40..44 only, all in the second run's favour: exact p = 2 / 2^5 = 0.0625.
  assert.equal(rows[1].robustness_delta_p, '0.06250');
  assert.equal(rows[1].accuracy_delta_p, '1.000'); // identical clean vectors
  assert.deepEqual(
    [rows[1].robustness_delta, rows[1].robustness_worst, rows[1].worst_minus_pgd, rows[1].sanity],
    ['5.00', '41.00', '4.00', 'pgd-gap'],
  );
  // Wilson 40/100: centre (0.4 + 0.0192073)/1.0384146 = 0.403699,
  // half (1.959964/1.0384146)·√(0.0024 + 0.00009604) = 1.887458 · 0.0499604 = 0.094298 → [30.94, 49.80].
  assert.deepEqual([rows[0].robustness_ci_low, rows[0].robustness_ci_high], ['30.94', '49.80']);
});

test('several seeds: means with std/min/max and a paired t-test on the per-seed deltas', () => {
  // Robustness deltas of 1, 2 and 3 examples (1, 2, 3 pts): t = 3.4641, df 2, p = 1 − √12/√14 = 0.07418.
  const base = [0, 1, 2].map((seed) => metrics('relu-relu', seed, 160, 40 + seed));
  const run = [0, 1, 2].map((seed) => metrics('psoftplus-relu', seed, 160, 41 + 2 * seed));
  const rows = rowsOf(
    experimentCsv(
      table1,
      new Map([
        ['relu-relu', base],
        ['psoftplus-relu', run],
      ]),
    ),
  );
  assert.ok(Object.keys(rows[0]).includes('robustness_std') && !Object.keys(rows[0]).includes('robustness_ci_low'));
  assert.deepEqual(Object.keys(rows[0]).slice(0, BASE.length), BASE);
  assert.deepEqual(
    [rows[1].robustness, rows[1].robustness_min, rows[1].robustness_max, rows[1].robustness_std],
    ['43.00', '41.00', '45.00', '2.00'],
  );
  assert.deepEqual([rows[1].seed, rows[1].seeds, rows[1].robustness_delta], ['0+1+2', '3', '2.00']);
  assert.equal(rows[1].robustness_delta_p, '0.07418');
  assert.equal(rows[1].accuracy_delta_p, '1.000'); // every accuracy delta is 0
});

test('several seeds: Δ is the mean of the per-seed deltas over the seeds both runs finished, with their count', () => {
  // Baseline seeds 0, 1 at 40, 42 %; the run's seeds 0, 1, 2 at 44, 45, 94 %. Paired deltas 4 and 3: Δ 3.50 over 2
  // pairs, t = 3.5/0.5 = 7, df 1, p = 1 − 2·atan(7)/π = 0.09033. Unpaired means would give 61.00 − 41.00 = 20.00.
  const rows = rowsOf(
    experimentCsv(
      table1,
      new Map([
        ['relu-relu', [0, 1].map((seed) => metrics('relu-relu', seed, 160, 40 + 2 * seed))],
        ['psoftplus-relu', [44, 45, 94].map((robust, seed) => metrics('psoftplus-relu', seed, 160, robust))],
      ]),
    ),
  );
  assert.deepEqual(
    [rows[1].robustness, rows[1].robustness_delta, rows[1].robustness_delta_p, rows[1].delta_pairs, rows[1].seeds],
    ['61.00', '3.50', '0.09033', '2', '3'],
  );
  assert.deepEqual([rows[1].accuracy_delta, rows[1].accuracy_delta_p], ['0.00', '1.000']);
  // The baseline against itself: Δ 0, no test, no pairs to state.
  assert.deepEqual([rows[0].robustness_delta, rows[0].robustness_delta_p, rows[0].delta_pairs], ['0.00', '', '']);
});

test('a run with no seed in common with its baseline has no Δ', () => {
  const rows = rowsOf(
    experimentCsv(
      table1,
      new Map([
        ['relu-relu', [0, 1].map((seed) => metrics('relu-relu', seed, 160, 40))],
        ['psoftplus-relu', [2, 3].map((seed) => metrics('psoftplus-relu', seed, 160, 45))],
      ]),
    ),
  );
  assert.deepEqual([rows[1].robustness_delta, rows[1].robustness_delta_p, rows[1].delta_pairs], ['', '', '0']);
});

test('the CSV is byte-identical whatever the timings', () => {
  const make = (offset: number) =>
    new Map([['relu-relu', [{ ...metrics('relu-relu', 0, 150, 30), trainSeconds: offset, evalSeconds: offset }]]]);
  assert.equal(experimentCsv(table1, make(1)), experimentCsv(table1, make(99)));
});

test('provenance shows the evaluation step both as a multiple of ε and absolute', () => {
  // ε 0.1 × factor 0.25 = 0.025.
  const row = rowsOf(experimentCsv(table1, new Map([['relu-relu', [metrics('relu-relu', 0, 150, 30)]]])))[0];
  assert.deepEqual([row.eval_step_size_factor, row.eval_step_size], ['0.25', '0.025000']);
});

test('a run whose seeds all failed gets a row with its status and no numbers; a finished run says ok', () => {
  const failures = new Map([
    [
      'psoftplus-relu',
      ['training-collapsed (seed 0, epoch 1: loss 2.3026, adversarial accuracy 10.2%, second half 9.8%, chance 10.0%)'],
    ],
  ]);
  const rows = rowsOf(experimentCsv(table1, new Map([['relu-relu', [metrics('relu-relu', 0, 150, 30)]]]), failures));
  assert.deepEqual(
    rows.map((r) => [r.run, r.accuracy, r.robustness, r.paper_accuracy, r.status.split(' ')[0]]),
    [
      ['relu-relu', '75.00', '30.00', '68.80', 'ok'],
      ['psoftplus-relu', '', '', '68.30', 'training-collapsed'],
    ],
  );
  assert.equal(rows[1].attacker_backward, 'psoftplus');
  assert.match(rows[1].status, /epoch 1: loss 2\.3026, adversarial accuracy 10\.2%/);
});

test('a run whose training was cut says so in its status after ok; an unmarked one stays ok', () => {
  const cut = { ...metrics('psoftplus-relu', 0, 150, 30), trainingCut: 'training cut at step 2 of 64 (--max-steps 2)' };
  const rows = rowsOf(
    experimentCsv(
      table1,
      new Map([
        ['relu-relu', [metrics('relu-relu', 0, 150, 30)]],
        ['psoftplus-relu', [cut]],
      ]),
    ),
  );
  assert.deepEqual(
    rows.map((r) => r.status),
    ['ok', 'ok; training cut at step 2 of 64 (--max-steps 2)'],
  );
});

test('a model at chance clean accuracy is flagged chance-accuracy in the sanity cell, whatever else passed', () => {
  // 10 classes: chance 10 %, flagged up to 1.5 × 10 = 15 % (30 of 200), not at 31 of 200 (15.5 %).
  const [atChance, above] = [metrics('relu-relu', 0, 30, 8), metrics('relu-relu', 0, 31, 8)];
  assert.equal(rowsOf(experimentCsv(table1, new Map([['relu-relu', [atChance]]])))[0].sanity, 'chance-accuracy');
  assert.equal(rowsOf(experimentCsv(table1, new Map([['relu-relu', [above]]])))[0].sanity, 'ok');
  const gap = metrics('relu-relu', 0, 18, 8, 2); // pgd-gap fails too (6 pts)
  assert.equal(rowsOf(experimentCsv(table1, new Map([['relu-relu', [gap]]])))[0].sanity, 'chance-accuracy+pgd-gap');
});
