import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { evaluateModel } from '../../src/eval/evaluate';
import { examplesRecord, summarizeEvaluation, unpackBits } from '../../src/eval/summary';
import { disposeNetwork } from '../../src/nn/network';
import { trainModel } from '../../src/train/trainer';
import { NO_PROGRESS } from '../../src/util/progress';
import { setupTestBackend } from '../helpers/backend';
import { RELU_PLAN, smokeSetup } from '../helpers/smoke-setup';
import { PRESETS } from '../../configs/presets';
import { blockDataset, blockLinear, RELU_EVAL_PLAN } from './toy-models';

before(setupTestBackend);

test('on a trained smoke model PGD-10 accuracy is below clean accuracy, and clean accuracy beats chance', async () => {
  const { dataset, state } = smokeSetup({ seed: 0 });
  const context = { runId: 'relu', epsilon: 0.1, seed: 0, progress: NO_PROGRESS };
  // An ε ramp keeps epoch 1 clear of the trainer's "not learning" guard on this tiny model.
  const train = { ...PRESETS.smoke.train, epochs: 3, batchSize: 32, attack: { ...PRESETS.smoke.train.attack, epsilonRampEpochs: 2 } };
  await trainModel(state, dataset, train, { ...context, maxSteps: 0 });
  const result = await evaluateModel(state.net, RELU_PLAN, dataset, { examples: 128, batchSize: 64, steps: 10, stepSize: 0.025, randomStart: true, suite: 'smoke' }, context);
  assert.ok(result.accuracy > 0.3, `clean accuracy ${result.accuracy}`);
  assert.ok(result.robustness < result.accuracy, `robustness ${result.robustness} vs accuracy ${result.accuracy}`);
  assert.equal(result.robustCorrect.length, 128);
  // An example counted robust is also clean-correct, and the worst case is never above any single attack.
  assert.ok(result.robustCorrect.every((r, i) => r === 0 || result.cleanCorrect[i] === 1));
  assert.deepEqual(result.attacks.map((a) => a.name), ['pgd-10', 'pgd-smoothed-10', 'pgd-cw-5', 'apgd-ce-10', 'apgd-t3-10', 'square-100']);
  // The cascade only lowers robustness, attack after attack, down to the worst case.
  result.attacks.forEach((attack, k) => assert.ok(k === 0 || attack.robustnessAfter <= result.attacks[k - 1].robustnessAfter, attack.name));
  assert.equal(result.attacks.at(-1)!.robustnessAfter, result.robustnessWorst);
  state.optimizer.dispose();
  disposeNetwork(state.net);
});

test('the worst case over the suite is monotone in ε on every example', async () => {
  const dataset = blockDataset({ classes: 4, blockSize: 4, count: 32, own: [0.3, 0.8], other: [0.1, 0.6], seed: 5 });
  const net = blockLinear(4, 10);
  let previous: Uint8Array | undefined;
  for (const epsilon of [0.02, 0.06, 0.1, 0.15]) {
    const config = { examples: 32, batchSize: 32, steps: 10, stepSize: (2.5 * epsilon) / 10, randomStart: true, suite: 'smoke' as const };
    const result = await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { epsilon, seed: 0, runId: 'blocks', progress: NO_PROGRESS });
    if (previous) result.worstCorrect.forEach((robust, i) => assert.ok(robust <= previous![i], `example ${i} robust at ε ${epsilon} but not below`));
    previous = result.worstCorrect;
  }
  assert.ok(previous!.some((r) => r === 0));
});

test('the summary is plain JSON whose packed vectors unpack to the per-example results', async () => {
  const dataset = blockDataset({ classes: 4, blockSize: 4, count: 20, own: [0.3, 0.8], other: [0.1, 0.6], seed: 6 });
  const config = { examples: 13, batchSize: 8, steps: 5, stepSize: 0.05, randomStart: true, suite: 'smoke' as const };
  const result = await evaluateModel(blockLinear(4, 10), RELU_EVAL_PLAN, dataset, config, { epsilon: 0.1, seed: 0, runId: 'blocks', progress: NO_PROGRESS });
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
  const config = { examples: 20, batchSize: 8, steps: 5, stepSize: 0.05, randomStart: true, suite: 'smoke' as const };
  const context = { epsilon: 0.1, seed: 3, runId: 'blocks', progress: NO_PROGRESS };
  const net = blockLinear(4, 10);
  const whole = await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, context);
  const parts = [await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { ...context, exampleRange: [0, 7] }),
    await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { ...context, exampleRange: [7, 20] })];
  whole.attacks.forEach((attack, k) => assert.deepEqual(Buffer.concat(parts.map((p) => p.attacks[k].fooled)), Buffer.from(attack.fooled), attack.name));
  assert.deepEqual(Array.from(examplesRecord(parts[1]).index).slice(0, 2), [7, 8]);
});
