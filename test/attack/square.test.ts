import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ATTACK_NAMES, ATTACKS } from '../../src/attack/registry';
import { square, squareShare } from '../../src/attack/square';
import { batchToTensors } from '../../src/data/to-tensor';
import { makeModelOracle } from '../../src/nn/oracle';
import { setupTestBackend } from '../helpers/backend';
import { blockDataset, blockLinear, quantisedBlockLinear, RELU_EVAL_PLAN } from '../eval/toy-models';
import type { ModelOracle } from '../../src/attack/oracle';
import { square as scoreEveryCandidate } from './dense/square';
import { MODELS } from '../../src/nn/models';
import { disposeNetwork } from '../../src/nn/network';
import { planFor, randomImages, tinyOptions } from '../nn/models/fixtures';

before(setupTestBackend);

test("the square's share follows the paper's schedule, stretched to the query budget", () => {
  // 10 000 queries: p_init up to iteration 10, halved after 10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000.
  assert.deepEqual(
    [0, 10, 11, 50, 51, 200, 201, 8000, 8001].map((i) => squareShare(i, 10000, 0.8)),
    [0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.1, 0.8 / 256, 0.8 / 512],
  );
  // 5000 queries (AutoAttack): iteration i counts as 2i.
  assert.deepEqual(
    [5, 6, 25, 26].map((i) => squareShare(i, 5000, 0.8)),
    [0.8, 0.4, 0.4, 0.2],
  );
});

/** 32 examples of 4 classes, 16 pixels a block, read by a model that rounds pixels to 1/8 and has zero gradient. */
async function quantisedProblem() {
  const dataset = blockDataset({
    classes: 4,
    blockSize: 16,
    count: 32,
    own: [0.45, 0.75],
    other: [0.25, 0.55],
    seed: 21,
  });
  const oracle = makeModelOracle(quantisedBlockLinear(4, 10), RELU_EVAL_PLAN, 'eval');
  const { x, y } = batchToTensors(
    await dataset.read(
      'test',
      Int32Array.from({ length: 32 }, (_, i) => i),
    ),
    dataset.shape,
  );
  return { oracle, x, y, seeds: { seed: 3, exampleIds: Int32Array.from({ length: 32 }, (_, i) => i) } };
}

test('Square breaks a model whose gradient is zero by construction, where every gradient attack fails', async () => {
  const { oracle, x, y, seeds } = await quantisedProblem();
  const settings = {
    epsilon: 0.15,
    steps: 20,
    stepSize: 0.02,
    restarts: 1,
    randomStart: false,
    loss: 'crossEntropy' as const,
    targets: 3,
  };
  const counts: Record<string, number> = {};
  for (const name of ATTACK_NAMES) {
    const result = await ATTACKS[name].run(
      oracle,
      x,
      y,
      { ...settings, steps: name === 'square' ? 300 : settings.steps },
      seeds,
    );
    counts[name] = Array.from(result.fooled.dataSync()).reduce((s, v) => s + v, 0);
    tf.dispose([result.adversarial, result.fooled]);
  }
  const clean = tf.tidy(
    () => tf.sum(tf.cast(tf.notEqual(tf.argMax(oracle.logits(x), 1), tf.cast(y, 'int32')), 'float32')).dataSync()[0],
  );
  for (const name of ATTACK_NAMES.filter((n) => n !== 'square'))
    assert.equal(counts[name], clean, `${name} moved no example: ${JSON.stringify(counts)}`);
  assert.ok(counts.square >= clean + 8, JSON.stringify({ ...counts, clean }));
  tf.dispose([x, y]);
});

test("Square's outcome for an example does not depend on the batch it is in", async () => {
  const { oracle, x, y, seeds } = await quantisedProblem();
  const config = { epsilon: 0.15, queries: 100, initialShare: 0.8 };
  const whole = await square(oracle, x, y, config, seeds);
  const part = tf.tidy(() => ({ x: tf.slice(x, [5], [7]) as tf.Tensor4D, y: tf.slice(y, [5], [7]) as tf.Tensor1D }));
  const alone = await square(oracle, part.x, part.y, config, {
    seed: 3,
    exampleIds: Array.from(seeds.exampleIds).slice(5, 12),
  });
  assert.deepEqual(Array.from(alone.fooled.dataSync()), Array.from(whole.fooled.dataSync()).slice(5, 12));
  assert.deepEqual(
    alone.adversarial.dataSync(),
    tf.tidy(() => tf.slice(whole.adversarial, [5], [7]).dataSync()),
  );
  tf.dispose([x, y, part.x, part.y, whole.adversarial, whole.fooled, alone.adversarial, alone.fooled]);
});

test('Square that does not score candidates of known margin has the flags and points of Square scoring all, for fewer rows', async () => {
  // 40 examples of 4 classes, 8 pixels a block (32 pixels): by the last queries the window is one pixel, about half
  // of those redraws give a pixel the sign it already has, and most of the rest repeat a rejected flip (measured:
  // 80 % of the rows not scored).
  const dataset = blockDataset({
    classes: 4,
    blockSize: 8,
    count: 40,
    own: [0.45, 0.75],
    other: [0.25, 0.55],
    seed: 8,
  });
  const ids = Int32Array.from({ length: 40 }, (_, i) => i);
  const { x, y } = batchToTensors(await dataset.read('test', ids), dataset.shape);
  const model = makeModelOracle(blockLinear(4, 10), RELU_EVAL_PLAN, 'eval');
  let scoredRows = 0;
  const counting: ModelOracle = {
    ...model,
    logits: (points) => ((scoredRows += points.shape[0]), model.logits(points)),
  };
  const seeds = { seed: 12, exampleIds: ids };
  for (const epsilon of [0.08, 0.1]) {
    const config = { epsilon, queries: 400, initialShare: 0.8 };
    scoredRows = 0;
    const every = await scoreEveryCandidate(counting, x, y, config, seeds);
    const everyRows = scoredRows;
    scoredRows = 0;
    const skipping = await square(counting, x, y, config, seeds);
    const fooled = Array.from(every.fooled.dataSync());
    assert.deepEqual(Array.from(skipping.fooled.dataSync()), fooled, `ε ${epsilon}`);
    assert.deepEqual(skipping.adversarial.dataSync(), every.adversarial.dataSync(), `ε ${epsilon}`);
    const share = fooled.reduce((a, b) => a + b, 0) / fooled.length;
    assert.ok(share > 0.1 && share < 0.9, `ε ${epsilon} should fool some, not all: ${share}`);
    assert.ok(scoredRows < 0.5 * everyRows, `ε ${epsilon}: ${scoredRows} rows scored vs ${everyRows}`);
    tf.dispose([every.adversarial, every.fooled, skipping.adversarial, skipping.fooled]);
  }
  tf.dispose([x, y]);
});

test("Square through the model's window scorer has the flags and points of Square on whole forward passes", async () => {
  // A SmallCNN labelling its own random images, so every example starts correct and ε decides how many fall.
  const options = tinyOptions({ inputShape: { height: 12, width: 12, channels: 1 }, width: 0.25 });
  const net = MODELS.smallcnn.build(options);
  try {
    const model = makeModelOracle(net, planFor('relu'), 'eval');
    const wholePasses: ModelOracle = { gradient: model.gradient, logits: model.logits };
    const x = randomImages(24, options, 3);
    const y = tf.tidy(() => tf.cast(tf.argMax(model.logits(x), 1), 'float32') as tf.Tensor1D);
    const config = { epsilon: 0.1, queries: 300, initialShare: 0.8 };
    const seeds = { seed: 2, exampleIds: Int32Array.from({ length: 24 }, (_, i) => i) };
    const windowed = await square(model, x, y, config, seeds);
    const whole = await square(wholePasses, x, y, config, seeds);
    const fooled = Array.from(whole.fooled.dataSync());
    const share = fooled.reduce((a, b) => a + b, 0) / fooled.length;
    assert.ok(share > 0.1 && share < 0.9, `should fool some, not all: ${share}`);
    assert.deepEqual(Array.from(windowed.fooled.dataSync()), fooled);
    assert.deepEqual(windowed.adversarial.dataSync(), whole.adversarial.dataSync());
    tf.dispose([x, y, windowed.adversarial, windowed.fooled, whole.adversarial, whole.fooled]);
  } finally {
    disposeNetwork(net);
  }
});
