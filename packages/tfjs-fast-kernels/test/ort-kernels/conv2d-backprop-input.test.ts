import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { compareFallback, compareWithReference, randomValues, requireOrt } from '../fast-harness';
import { CONV_CASES, describeCase, type ConvCase } from './conv-cases';

// These tests are about the ONNX Runtime convolutions: with the oneDNN addon built, it would serve them instead.
process.env.SAT_BENCH_NO_DNNL = '1';

/** d/dx of sum(conv(x, w) · r): a random r makes every dy element count. */
function inputGradientOf(c: ConvCase, seed: number): () => tf.Tensor {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const xValues = randomValues(size(c.x), seed);
  const filterValues = randomValues(size(c.filter), seed + 1);
  return () => {
    const filter = tf.tensor4d(filterValues, c.filter);
    const probe = tf.conv2d(tf.tensor4d(xValues, c.x), filter, c.strides, c.pad);
    const weights = tf.tensor(randomValues(probe.size, seed + 2), probe.shape);
    return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, filter, c.strides, c.pad), weights)))(
      tf.tensor4d(xValues, c.x),
    );
  };
}

test('Conv2DBackpropInput matches TF.js on odd sizes, strides 1 to 3, and every kind of padding', async (t) => {
  if (!requireOrt(t)) return;
  for (const [i, c] of CONV_CASES.entries()) {
    await compareWithReference(describeCase(c), 'Conv2DBackpropInput', inputGradientOf(c, 10 * i));
  }
});

test('Conv2DBackpropInput falls back to the original kernel for a ceil-rounded output size', async (t) => {
  if (!requireOrt(t)) return;
  // Input 10, filter 3, pad 1, stride 2: ceil((10 − 3 + 2) / 2 + 1) = 6 dy rows, where ONNX's floor rule gives 5.
  const dy = randomValues(1 * 6 * 6 * 3, 1);
  const w = randomValues(3 * 3 * 2 * 3, 2);
  await compareFallback('ceil rounding', 'Conv2DBackpropInput', () =>
    tf.conv2dTranspose(tf.tensor4d(dy, [1, 6, 6, 3]), tf.tensor4d(w, [3, 3, 2, 3]), [1, 10, 10, 2], 2, 1, 'ceil'),
  );
});
