import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { compareFallback, compareWithReference, randomValues, requireOrt } from '../fast-harness';

// Every input has at least MIN_ORT_ELEMENTS (16384) elements; smaller ones go to the original kernel.
const CASES: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
  { shape: [8, 15, 17, 9], axis: [0, 1, 2], keepDims: false },
  { shape: [8, 15, 17, 9], axis: [1, 2], keepDims: true },
  { shape: [8, 15, 17, 9], axis: [0, 2], keepDims: false },
  { shape: [300, 61], axis: 0, keepDims: false },
  { shape: [300, 61], axis: -1, keepDims: true },
  { shape: [20, 30, 31], axis: [0, 1, 2], keepDims: false },
  { shape: [20000], axis: 0, keepDims: true },
];

test('Sum and Mean over any axes match TF.js', async (t) => {
  if (!requireOrt(t)) return;
  for (const [i, c] of CASES.entries()) {
    const x = randomValues(
      c.shape.reduce((a, b) => a * b, 1),
      i,
      -3,
      5,
    );
    const label = `${c.shape.join('x')} over ${c.axis}${c.keepDims ? ' (keepDims)' : ''}`;
    await compareWithReference(`sum of ${label}`, 'Sum', () => tf.sum(tf.tensor(x, c.shape), c.axis, c.keepDims));
    await compareWithReference(`mean of ${label}`, 'Mean', () => tf.mean(tf.tensor(x, c.shape), c.axis, c.keepDims));
  }
});

test('batch-norm moments and a bias gradient match TF.js', async (t) => {
  if (!requireOrt(t)) return;
  const x = randomValues(16 * 12 * 12 * 8, 9);
  await compareWithReference('moments', 'Mean', () => {
    const { mean, variance } = tf.moments(tf.tensor4d(x, [16, 12, 12, 8]), [0, 1, 2]);
    return [mean, variance];
  });
  await compareWithReference('bias gradient', 'Sum', () =>
    tf.grad((b: tf.Tensor) => tf.sum(tf.square(tf.add(tf.tensor4d(x, [16, 12, 12, 8]), b))))(tf.zeros([8])),
  );
});

test('Sum falls back to the original kernel for small tensors and int32 data', async (t) => {
  if (!requireOrt(t)) return;
  const x = randomValues(3 * 4 * 5, 3);
  await compareFallback('small', 'Sum', () => tf.sum(tf.tensor3d(x, [3, 4, 5]), [0, 2]));
  const ints = Array.from({ length: 20000 }, (_, i) => i % 7);
  await compareFallback('int32', 'Sum', () => tf.cast(tf.sum(tf.tensor2d(ints, [200, 100], 'int32'), 0), 'float32'));
});
