import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { compareWithReference, randomValues, requireOrt } from '../fast-harness';
import { CONV_CASES, describeCase, type ConvCase } from './conv-cases';

// These tests are about the ONNX Runtime convolutions: with the oneDNN addon built, it would serve them instead.
process.env.SAT_BENCH_NO_DNNL = '1';

/** d/dw of sum(conv(x, w) · r): a random r makes every dy element count. */
function filterGradientOf(c: ConvCase, seed: number): () => tf.Tensor {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const xValues = randomValues(size(c.x), seed);
  const filterValues = randomValues(size(c.filter), seed + 1);
  return () => {
    const x = tf.tensor4d(xValues, c.x);
    const probe = tf.conv2d(x, tf.tensor4d(filterValues, c.filter), c.strides, c.pad);
    const weights = tf.tensor(randomValues(probe.size, seed + 2), probe.shape);
    return tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, c.strides, c.pad), weights)))(
      tf.tensor4d(filterValues, c.filter),
    );
  };
}

test('Conv2DBackpropFilter matches TF.js on odd sizes, strides 1 to 3, and every kind of padding', async (t) => {
  if (!requireOrt(t)) return;
  for (const [i, c] of CONV_CASES.entries()) {
    await compareWithReference(describeCase(c), 'Conv2DBackpropFilter', filterGradientOf(c, 10 * i));
  }
});
