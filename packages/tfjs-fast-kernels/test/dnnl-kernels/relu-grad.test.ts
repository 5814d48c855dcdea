import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { install, providers } from '../../src/install';
import { RELU_GRAD } from '../../src/relu-gradient';
import { compareWithReference, randomValues } from '../fast-harness';
import { requireDnnl } from './require-dnnl';

test("the addon serves ReLU's gradient on cpu and on wasm", async (t) => {
  if (!requireDnnl(t)) return;
  for (const backend of ['cpu', 'wasm'] as const) {
    await tf.setBackend(backend);
    install(backend);
    assert.equal(providers(backend, [RELU_GRAD])[RELU_GRAD], 'native-loops', backend);
  }
});

test("tf.grad of a ReLU network runs the fused gradient and equals TF.js's dy · step(x), zeros and NaN included", async (t) => {
  if (!requireDnnl(t)) return;
  // More elements than one thread's share, with exact zeros and a NaN among them.
  const shape = [4, 33, 17, 8];
  const size = shape.reduce((a, b) => a * b, 1);
  const values = randomValues(size, 5);
  for (const i of [0, 7, 100, 4000]) values[i] = 0;
  values[11] = NaN;
  await compareWithReference('relu gradient', RELU_GRAD, () => {
    const x = tf.tensor(values, shape);
    const weights = tf.tensor(randomValues(size, 6), shape);
    // Two ReLUs in a row: the second's gradient flows into the first's.
    const loss = (a: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.add(tf.relu(a), -0.1)), weights));
    return [tf.relu(x), tf.grad(loss)(x)];
  });
});
