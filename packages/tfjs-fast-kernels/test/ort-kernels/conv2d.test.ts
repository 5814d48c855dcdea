import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { compareFallback, compareWithReference, randomValues, requireOrt } from '../fast-harness';
import { CONV_CASES, DILATED_CASES, describeCase, type ConvCase } from './conv-cases';

// These tests are about the ONNX Runtime convolutions: with the oneDNN addon built, it would serve them instead.
process.env.SAT_BENCH_NO_DNNL = '1';

function convOf(c: ConvCase, seed: number): () => tf.Tensor {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const xValues = randomValues(size(c.x), seed);
  const filterValues = randomValues(size(c.filter), seed + 1);
  return () =>
    tf.conv2d(
      tf.tensor4d(xValues, c.x),
      tf.tensor4d(filterValues, c.filter),
      c.strides,
      c.pad,
      'NHWC',
      c.dilations ?? 1,
    );
}

test('Conv2D matches TF.js on odd sizes, strides 1 to 3, and every kind of padding', async (t) => {
  if (!requireOrt(t)) return;
  for (const [i, c] of CONV_CASES.entries()) await compareWithReference(describeCase(c), 'Conv2D', convOf(c, 10 * i));
});

test('Conv2D matches TF.js with dilations', async (t) => {
  if (!requireOrt(t)) return;
  for (const [i, c] of DILATED_CASES.entries())
    await compareWithReference(describeCase(c), 'Conv2D', convOf(c, 100 + i));
});

test('Conv2D falls back to the original kernel for a ceil-rounded output size', async (t) => {
  if (!requireOrt(t)) return;
  // 10 + 2·1 − 3 = 9 rows of padded input at stride 2: floor gives 5 outputs, ceil 6; ONNX only floors.
  // cpu only: wasm's own Conv2D reads past its input for that extra row (its output depends on stale heap memory).
  const x = randomValues(1 * 10 * 10 * 2, 7);
  const w = randomValues(3 * 3 * 2 * 2, 8);
  await compareFallback(
    'ceil rounding',
    'Conv2D',
    () => tf.conv2d(tf.tensor4d(x, [1, 10, 10, 2]), tf.tensor4d(w, [3, 3, 2, 2]), 2, 1, 'NHWC', 1, 'ceil'),
    ['cpu'],
  );
});

test('a variable’s new value is used after assign, though filters are baked into cached sessions', async (t) => {
  if (!requireOrt(t)) return;
  const x = randomValues(2 * 9 * 9 * 3, 1);
  const before = randomValues(3 * 3 * 3 * 4, 2);
  const after = randomValues(3 * 3 * 3 * 4, 3);
  await compareWithReference('assign between convs', 'Conv2D', () => {
    const input = tf.tensor4d(x, [2, 9, 9, 3]);
    const filter = tf.variable(tf.tensor4d(before, [3, 3, 3, 4]));
    const first = tf.conv2d(input, filter, 1, 'same');
    filter.assign(tf.tensor4d(after, [3, 3, 3, 4]));
    const second = tf.conv2d(input, filter, 1, 'same');
    const inputGradient = tf.grad((v: tf.Tensor) => tf.sum(tf.conv2d(v as tf.Tensor4D, filter, 1, 'same')))(input);
    filter.dispose();
    return [first, second, inputGradient];
  });
});
