import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining, batchNormTrainingOps, channelAffine } from '../src/batch-norm-op';
import { CHANNEL_AFFINE } from '../src/js-kernels/channel-affine';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../src/js-kernels/batch-norm';
import { install } from '../src/install';
import { FAST_BACKENDS, compareWithReference, randomValues } from './fast-harness';
import { BN_CASES as CASES, batchNormAndGradients } from './batch-norm-cases';

// These tests are about the typed-array kernels: with the addon built, its threaded loops would serve them instead
// (test/dnnl-kernels/batch-norm.test.ts runs the same cases there).
process.env.SAT_BENCH_NO_DNNL = '1';

test("fused training batch norm gives TF.js ops' values, statistics and gradients (x, γ, β)", async () => {
  for (const [i, c] of CASES.entries()) {
    await compareWithReference(
      `batch norm ${c.shape.join('x')} +${c.offset}`,
      BATCH_NORM_TRAINING,
      batchNormAndGradients(c, 10 * i),
    );
  }
});

test('the fused backward kernel is what serves the gradient', async () => {
  await compareWithReference('batch norm backward', BATCH_NORM_TRAINING_GRAD, batchNormAndGradients(CASES[0], 99));
});

test('the fused op and the TF.js formulation agree on every fast backend', async () => {
  await tf.setBackend('cpu');
  const x = tf.tensor4d(randomValues(2 * 3 * 3 * 2, 5), [2, 3, 3, 2]);
  const [gamma, beta] = [tf.tensor1d([1, 2]), tf.tensor1d([0, -1])];
  const viaOps = batchNormTrainingOps(x, gamma, beta, 1e-5);
  for (const backend of FAST_BACKENDS) {
    await tf.setBackend(backend);
    install(backend);
    const fused = batchNormTraining(x, gamma, beta, 1e-5);
    const error = tf.max(tf.abs(tf.sub(fused.y, viaOps.y))).dataSync()[0];
    assert.ok(error < 1e-5, `${backend}: fused differs from the ops by ${error}`);
  }
  await tf.setBackend('cpu');
});

test('a fused training step leaves no tensors behind', async () => {
  for (const backend of FAST_BACKENDS) {
    await tf.setBackend(backend);
    install(backend);
    const x = tf.tensor4d(randomValues(4 * 3 * 3 * 5, 7), [4, 3, 3, 5]);
    const gamma = tf.variable(tf.ones([5]));
    const beta = tf.variable(tf.zeros([5]));
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.square(batchNormTraining(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-5).y)) as tf.Scalar,
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    assert.equal(tf.memory().numTensors, before, `${backend}: tensors leaked`);
    tf.dispose([x, gamma, beta]);
  }
});

test("the fused per-channel scale and shift (inference-mode batch norm) gives TF.js's values and gradients", async () => {
  for (const [i, c] of CASES.entries()) {
    const size = c.shape.reduce((a, b) => a * b, 1);
    const channels = c.shape[c.shape.length - 1];
    await compareWithReference(
      `channel affine ${c.shape.join('x')}`,
      CHANNEL_AFFINE,
      () => {
        const x = tf.tensor(
          randomValues(size, 7 * i).map((v) => v + c.offset),
          c.shape,
        );
        const scale = tf.tensor1d(randomValues(channels, 7 * i + 1, -2, 2));
        const shift = tf.tensor1d(randomValues(channels, 7 * i + 2));
        const weights = tf.tensor(randomValues(size, 7 * i + 3), c.shape);
        const grads = tf.grads((a: tf.Tensor, s: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(channelAffine(a, s as tf.Tensor1D, b as tf.Tensor1D), weights)),
        )([x, scale, shift]);
        return [channelAffine(x, scale, shift), ...grads];
      },
      ['cpu'],
    ); // installed on cpu only; wasm runs the TF.js ops
  }
});
