import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { fastCallCounts } from '../../src/kernel-registry';
import { FAST_BACKENDS, runOn } from '../fast-harness';

test('a clone outlives its source and has the same values', async () => {
  for (const backend of FAST_BACKENDS) {
    const [values] = await runOn(backend, true, () => {
      const source = tf.tensor1d([1, -2, 3.5]);
      const copy = tf.clone(source);
      source.dispose();
      return copy;
    });
    assert.deepEqual(Array.from(values), [1, -2, 3.5], backend);
    assert.ok((fastCallCounts('Identity', backend)?.fast ?? 0) > 0, `${backend}: Identity never ran fast`);
  }
});

test('a same-dtype cast shares data and a dtype-changing cast still converts', async () => {
  for (const backend of FAST_BACKENDS) {
    const [same, converted] = await runOn(backend, true, () => [
      tf.cast(tf.tensor1d([0.5, 2]), 'float32'),
      tf.cast(tf.tensor1d([1.7, -2.2]), 'int32'),
    ]);
    assert.deepEqual(Array.from(same), [0.5, 2], backend);
    assert.deepEqual(Array.from(converted), [1, -2], backend);
  }
});

test('sharing leaks no backend memory across many gradient steps', async () => {
  for (const backend of FAST_BACKENDS) {
    await runOn(backend, true, () => tf.scalar(0));
    const x = tf.randomNormal([16, 8, 8, 4], 0, 1, 'float32', 1);
    const step = () =>
      tf.tidy(() =>
        tf
          .grad((v: tf.Tensor) => tf.sum(tf.relu(tf.mul(v, v))))(x)
          .dataSync(),
      );
    step();
    const before = tf.memory();
    for (let i = 0; i < 50; i++) step();
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors, `${backend}: tensors`);
    assert.equal(after.numBytes, before.numBytes, `${backend}: bytes`);
    x.dispose();
  }
});
