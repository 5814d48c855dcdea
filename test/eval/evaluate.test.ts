import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { evaluateModel } from '../../src/eval/evaluate';
import type { EvalResult } from '../../src/eval/result';
import { sanityCell } from '../../src/eval/sanity';
import { examplesRecord, summarizeEvaluation, unpackBits } from '../../src/eval/summary';
import { disposeNetwork } from '../../src/nn/network';
import { trainModel } from '../../src/train/trainer';
import { NO_PROGRESS } from '../../src/util/progress';
import { setupTestBackend } from '../helpers/backend';
import { RELU_PLAN, smokeSetup } from '../helpers/smoke-setup';
import { PRESETS } from '../../configs/presets';
import { blockDataset, blockLinear, RELU_EVAL_PLAN } from './toy-models';

before(setupTestBackend);

/** One smoke model trained once for the tests below (3 epochs of the smoke preset's recipe). */
let trained: Promise<ReturnType<typeof smokeSetup>> | undefined;
function trainedSmokeModel() {
  trained ??= (async () => {
    const setup = smokeSetup({ seed: 0 });
    // An ε ramp keeps epoch 1 clear of the trainer's "not learning" guard on this tiny model.
    const train = {
      ...PRESETS.smoke.train,
      epochs: 3,
      batchSize: 32,
      attack: { ...PRESETS.smoke.train.attack, epsilonRampEpochs: 2 },
    };
    await trainModel(setup.state, setup.dataset, train, {
      runId: 'relu',
      epsilon: 0.1,
      seed: 0,
      progress: NO_PROGRESS,
      maxSteps: 0,
    });
    return setup;
  })();
  return trained;
}
after(async () => {
  if (!trained) return;
  const { state } = await trained;
  state.optimizer.dispose();
  disposeNetwork(state.net);
});

const SMOKE_EVAL = {
  examples: 128,
  batchSize: 64,
  steps: 10,
  stepSizeFactor: 0.25,
  randomStart: true,
  suite: 'smoke' as const,
};

test('on a trained smoke model PGD-10 accuracy is below clean accuracy, and clean accuracy beats chance', async () => {
  const { dataset, state } = await trainedSmokeModel();
  const context = { runId: 'relu', epsilon: 0.1, seed: 0, progress: NO_PROGRESS };
  const result = await evaluateModel(state.net, RELU_PLAN, dataset, SMOKE_EVAL, context);
  assert.ok(result.accuracy > 0.3, `clean accuracy ${result.accuracy}`);
  assert.ok(result.robustness < result.accuracy, `robustness ${result.robustness} vs accuracy ${result.accuracy}`);
  assert.equal(result.robustCorrect.length, 128);
  // An example counted robust is also clean-correct, and the worst case is never above any single attack.
  assert.ok(result.robustCorrect.every((r, i) => r === 0 || result.cleanCorrect[i] === 1));
  assert.deepEqual(
    result.attacks.map((a) => a.name),
    ['pgd-10', 'pgd-smoothed-10', 'pgd-cw-5', 'apgd-ce-10', 'apgd-t3-20', 'square-100'],
  );
  // The cascade only lowers robustness, attack after attack, down to the worst case.
  result.attacks.forEach((attack, k) =>
    assert.ok(k === 0 || attack.robustnessAfter <= result.attacks[k - 1].robustnessAfter, attack.name),
  );
  assert.equal(result.attacks.at(-1)!.robustnessAfter, result.robustnessWorst);
});

/** Cascade and standalone runs agree on every per-example outcome the cascade computes. */
function assertCascadeMatches(cascade: EvalResult, standalone: EvalResult) {
  assert.ok(cascade.cascade && !standalone.cascade);
  assert.deepEqual(cascade.robustCorrect, standalone.robustCorrect, 'robustness (the paper PGD) per example');
  assert.deepEqual(cascade.worstCorrect, standalone.worstCorrect, 'robustness_worst per example');
  assert.deepEqual(cascade.aaCorrect, standalone.aaCorrect, 'robustness_aa per example');
  assert.equal(sanityCell(cascade.sanity), sanityCell(standalone.sanity));
  cascade.attacks.forEach((attack, k) => {
    const alone = standalone.attacks[k];
    assert.equal(attack.broken, alone.broken, attack.name);
    attack.attacked.forEach(
      (ran, i) => ran && assert.equal(attack.fooled[i], alone.fooled[i], `${attack.name}, example ${i}`),
    );
    // Clean-wrong examples and those an earlier attack broke are never attacked.
    attack.attacked.forEach((ran, i) =>
      assert.ok(!ran || (cascade.cleanCorrect[i] === 1 && cascade.attacks.slice(0, k).every((a) => a.fooled[i] === 0))),
    );
  });
  assert.ok(
    cascade.attacks.slice(1).reduce((s, a) => s + countOnes(a.attacked), 0) <
      standalone.attacks.slice(1).reduce((s, a) => s + countOnes(a.attacked), 0),
  );
}

const countOnes = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);

test('on a trained smoke model the cascade gives per example what attacking every example gives; APGD-T is no weaker than APGD-CE', async () => {
  const { dataset, state } = await trainedSmokeModel();
  const context = { runId: 'relu', epsilon: 0.1, seed: 0, progress: NO_PROGRESS };
  const cascade = await evaluateModel(state.net, RELU_PLAN, dataset, SMOKE_EVAL, context);
  const standalone = await evaluateModel(state.net, RELU_PLAN, dataset, SMOKE_EVAL, { ...context, standalone: true });
  assertCascadeMatches(cascade, standalone);
  const alone = (name: string) => standalone.attacks.find((a) => a.name === name)!.robustness!;
  // Noise allowance: 3 of 128 examples.
  assert.ok(
    alone('apgd-t3-20') <= alone('apgd-ce-10') + 3 / 128,
    `APGD-T ${alone('apgd-t3-20')} vs APGD-CE ${alone('apgd-ce-10')}`,
  );
  assert.equal(cascade.attacks[1].robustness, undefined, 'no standalone numbers in a cascade');
});

test('with AutoAttack on a toy model: the cascade matches attacking every example, and robustness_aa is PGD ∪ AutoAttack', async () => {
  const dataset = blockDataset({ classes: 4, blockSize: 4, count: 16, own: [0.3, 0.8], other: [0.1, 0.6], seed: 8 });
  const config = {
    examples: 16,
    batchSize: 10,
    steps: 10,
    stepSizeFactor: 0.25,
    randomStart: true,
    suite: 'autoattack' as const,
  };
  const context = { epsilon: 0.1, seed: 2, runId: 'blocks', progress: NO_PROGRESS };
  const net = blockLinear(4, 10);
  const cascade = await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, context);
  const standalone = await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { ...context, standalone: true });
  assertCascadeMatches(cascade, standalone);
  assert.deepEqual(
    cascade.attacks.map((a) => a.name),
    ['pgd-10', 'apgd-ce-100', 'apgd-t9-100', 'fab-t9-100', 'square-5000'],
  );
  assert.equal(cascade.robustnessAa, cascade.robustnessWorst);
  assert.ok(
    cascade.robustnessAa! <= cascade.robustness && cascade.robustnessAa! > 0,
    `AA ${cascade.robustnessAa}, PGD ${cascade.robustness}`,
  );
  // Shards of the cascade give the same flags as the whole.
  const parts = [
    await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { ...context, exampleRange: [0, 6] }),
    await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { ...context, exampleRange: [6, 16] }),
  ];
  cascade.attacks.forEach((attack, k) =>
    assert.deepEqual(Buffer.concat(parts.map((p) => p.attacks[k].fooled)), Buffer.from(attack.fooled), attack.name),
  );
  assert.deepEqual(Buffer.concat(parts.map((p) => p.aaCorrect!)), Buffer.from(cascade.aaCorrect!));
});

test('the worst case over the suite is monotone in ε on every example', async () => {
  const dataset = blockDataset({ classes: 4, blockSize: 4, count: 32, own: [0.3, 0.8], other: [0.1, 0.6], seed: 5 });
  const net = blockLinear(4, 10);
  let previous: Uint8Array | undefined;
  for (const epsilon of [0.02, 0.06, 0.1, 0.15]) {
    const config = {
      examples: 32,
      batchSize: 32,
      steps: 10,
      stepSizeFactor: 2.5 / 10,
      randomStart: true,
      suite: 'smoke' as const,
    };
    const result = await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, {
      epsilon,
      seed: 0,
      runId: 'blocks',
      progress: NO_PROGRESS,
    });
    if (previous)
      result.worstCorrect.forEach((robust, i) =>
        assert.ok(robust <= previous![i], `example ${i} robust at ε ${epsilon} but not below`),
      );
    previous = result.worstCorrect;
  }
  assert.ok(previous!.some((r) => r === 0));
});

test('the summary is plain JSON whose packed vectors unpack to the per-example results', async () => {
  const dataset = blockDataset({ classes: 4, blockSize: 4, count: 20, own: [0.3, 0.8], other: [0.1, 0.6], seed: 6 });
  const config = {
    examples: 13,
    batchSize: 8,
    steps: 5,
    stepSizeFactor: 0.5,
    randomStart: true,
    suite: 'smoke' as const,
  };
  const result = await evaluateModel(blockLinear(4, 10), RELU_EVAL_PLAN, dataset, config, {
    epsilon: 0.1,
    seed: 0,
    runId: 'blocks',
    progress: NO_PROGRESS,
  });
  const summary = JSON.parse(JSON.stringify(summarizeEvaluation(result)));
  assert.deepEqual(unpackBits(summary.perExample.robustCorrect, 13), result.robustCorrect);
  assert.deepEqual(unpackBits(summary.perExample.cleanCorrect, 20), result.cleanCorrectAll);
  assert.equal(summary.worstMinusPgd, result.robustness - result.robustnessWorst);
  assert.ok(summary.robustnessCi.low <= summary.robustness && summary.robustness <= summary.robustnessCi.high);
  const record = examplesRecord(result);
  assert.deepEqual(Array.from(record.label), Array.from(dataset.labels.slice(0, 13)));
  // Robustness under the paper's PGD is the share of examples its column marks as not broken.
  const broken = Array.from(record.attacks[0].success).reduce((s, v) => s + v, 0);
  assert.equal(1 - broken / 13, result.robustness);
});

test('two shards of the examples give the same per-example outcomes as the whole evaluation', async () => {
  const dataset = blockDataset({ classes: 4, blockSize: 4, count: 24, own: [0.3, 0.8], other: [0.1, 0.6], seed: 7 });
  const config = {
    examples: 20,
    batchSize: 8,
    steps: 5,
    stepSizeFactor: 0.5,
    randomStart: true,
    suite: 'smoke' as const,
  };
  const context = { epsilon: 0.1, seed: 3, runId: 'blocks', progress: NO_PROGRESS };
  const net = blockLinear(4, 10);
  const whole = await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, context);
  const parts = [
    await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { ...context, exampleRange: [0, 7] }),
    await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { ...context, exampleRange: [7, 20] }),
  ];
  whole.attacks.forEach((attack, k) =>
    assert.deepEqual(Buffer.concat(parts.map((p) => p.attacks[k].fooled)), Buffer.from(attack.fooled), attack.name),
  );
  assert.deepEqual(Array.from(examplesRecord(parts[1]).index).slice(0, 2), [7, 8]);
});
