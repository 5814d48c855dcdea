import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { channelAffine } from '../../src/batch-norm-op';
import { install, providers } from '../../src/install';
import { CHANNEL_AFFINE } from '../../src/js-kernels/channel-affine';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../../src/js-kernels/batch-norm';
import { BN_CASES, batchNormAndGradients } from '../batch-norm-cases';
import { FAST_BACKENDS, compareWithReference, randomValues } from '../fast-harness';
import { requireDnnl } from './require-dnnl';

// More rows than one block of the addon's sums (1024 rows): several blocks and a short last one, summed in order.
const CASES = [...BN_CASES, { shape: [5, 30, 29, 6], offset: 3, epsilon: 1e-5 }];

test('the addon serves training batch norm on both backends and the channel affine map on cpu', async (t) => {
  if (!requireDnnl(t)) return;
  for (const backend of FAST_BACKENDS) {
    await tf.setBackend(backend);
    install(backend);
    const names = [BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, CHANNEL_AFFINE];
    const expected =
      backend === 'cpu'
        ? ['native-loops', 'native-loops', 'native-loops']
        : ['native-loops', 'native-loops', undefined];
    assert.deepEqual(
      names.map((name) => providers(backend, names)[name]),
      expected,
      backend,
    );
  }
});

test("the addon's batch norm gives TF.js ops' values, statistics and gradients (x, γ, β)", async (t) => {
  if (!requireDnnl(t)) return;
  for (const [i, c] of CASES.entries()) {
    await compareWithReference(
      `batch norm ${c.shape.join('x')} +${c.offset}`,
      [BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD],
      batchNormAndGradients(c, 10 * i),
    );
  }
});

test("the addon's channel affine map and its input gradient match TF.js's Multiply and Add", async (t) => {
  if (!requireDnnl(t)) return;
  const shape = [3, 20, 21, 5];
  const size = shape.reduce((a, b) => a * b, 1);
  await compareWithReference(
    'channel affine',
    CHANNEL_AFFINE,
    () => {
      const x = tf.tensor(randomValues(size, 1), shape);
      const scale = tf.tensor1d(randomValues(5, 2));
      const shift = tf.tensor1d(randomValues(5, 3));
      const weights = tf.tensor(randomValues(size, 4), shape);
      const y = channelAffine(x, scale, shift);
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(channelAffine(a, scale, shift), weights)))(x);
      return [y, dx];
    },
    ['cpu'],
  );
});

test('batch norm on the addon leaks no tensors over repeated training steps', async (t) => {
  if (!requireDnnl(t)) return;
  for (const backend of FAST_BACKENDS) {
    await tf.setBackend(backend);
    install(backend);
    const step = batchNormAndGradients(CASES[0], 7);
    tf.dispose(tf.tidy(step));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) tf.dispose(tf.tidy(step));
    assert.equal(tf.memory().numTensors, before, backend);
  }
});
