import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { providers, install } from '../../src/install';
import { compareFallback, compareWithReference, FAST_BACKENDS, randomValues } from '../fast-harness';
import { CONV_CASES, DILATED_CASES, describeCase, type ConvCase } from '../ort-kernels/conv-cases';
import { requireDnnl } from './require-dnnl';

const CONV_KERNELS = ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The conv's output, and its gradients to x and to the filter through a random weighting of every output. */
function convAndGradients(c: ConvCase, seed: number): () => tf.Tensor[] {
  const xValues = randomValues(size(c.x), seed);
  const filterValues = randomValues(size(c.filter), seed + 1);
  return () => {
    const x = tf.tensor4d(xValues, c.x);
    const filter = tf.tensor4d(filterValues, c.filter);
    const y = tf.conv2d(x, filter, c.strides, c.pad);
    const weights = tf.tensor(randomValues(y.size, seed + 2), y.shape);
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), weights));
    return [y, ...tf.grads(loss)([x, filter])];
  };
}

async function assertOnDnnl(kernelName: string): Promise<void> {
  for (const backend of FAST_BACKENDS) {
    await tf.setBackend(backend);
    install(backend);
    assert.equal(providers(backend, [kernelName])[kernelName], 'onednn', `${kernelName} on ${backend}`);
  }
}

test('the oneDNN convolutions are what install puts in place', async (t) => {
  if (!requireDnnl(t)) return;
  for (const name of CONV_KERNELS) await assertOnDnnl(name);
});

test('Conv2D and both its gradients on oneDNN match TF.js on odd sizes, batch 1, strides 1 to 3, and every kind of padding', async (t) => {
  if (!requireDnnl(t)) return;
  for (const [i, c] of CONV_CASES.entries())
    await compareWithReference(describeCase(c), CONV_KERNELS, convAndGradients(c, 10 * i));
});

test('Conv2D on oneDNN matches TF.js with dilations', async (t) => {
  if (!requireDnnl(t)) return;
  for (const [i, c] of DILATED_CASES.entries()) {
    const xValues = randomValues(size(c.x), 100 + i);
    const filterValues = randomValues(size(c.filter), 200 + i);
    await compareWithReference(describeCase(c), 'Conv2D', () =>
      tf.conv2d(tf.tensor4d(xValues, c.x), tf.tensor4d(filterValues, c.filter), c.strides, c.pad, 'NHWC', c.dilations),
    );
  }
});

test('Conv2D on oneDNN leaves a ceil-rounded output size to TF.js', async (t) => {
  if (!requireDnnl(t)) return;
  const x = randomValues(1 * 10 * 10 * 2, 7);
  const w = randomValues(3 * 3 * 2 * 2, 8);
  await compareFallback(
    'ceil rounding',
    'Conv2D',
    () => tf.conv2d(tf.tensor4d(x, [1, 10, 10, 2]), tf.tensor4d(w, [3, 3, 2, 2]), 2, 1, 'NHWC', 1, 'ceil'),
    ['cpu'],
  );
});

test('the addon refuses buffers that do not match the geometry instead of reading past them', (t) => {
  const dnnl = requireDnnl(t);
  if (!dnnl) return;
  const geometry = [1, 4, 4, 1, 4, 4, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1];
  const ok = () => dnnl.conv(0, geometry, new Float32Array(16), new Float32Array(9), new Float32Array(16));
  ok();
  assert.throws(
    () => dnnl.conv(0, geometry, new Float32Array(15), new Float32Array(9), new Float32Array(16)),
    /lengths do not match/,
  );
  assert.throws(() => dnnl.conv(0, geometry.slice(1), new Float32Array(16), new Float32Array(9), new Float32Array(16)));
});

test('a conv training step leaks no tensors, and the plan cache stays bounded', async (t) => {
  const dnnl = requireDnnl(t);
  if (!dnnl) return;
  for (const backend of FAST_BACKENDS) {
    await tf.setBackend(backend);
    install(backend);
    const x = tf.randomNormal([4, 12, 12, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 8], 0, 1, 'float32', 2);
    const step = (input: tf.Tensor4D) =>
      tf.tidy(() => {
        const loss = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')));
        tf.grads(loss)([input, w]).forEach((g) => g.dataSync());
      });
    step(x);
    const before = tf.memory().numTensors;
    const created: number = dnnl.stats().created;
    for (let i = 0; i < 50; i++) step(x);
    assert.equal(tf.memory().numTensors, before, `${backend}: tensors`);
    assert.equal(dnnl.stats().created, created, `${backend}: plans rebuilt for a geometry already cached`);
    // Every batch size is a new geometry (three plans each): the cache evicts down to its bound.
    dnnl.setCacheCapacity(4);
    try {
      for (let batch = 1; batch <= 6; batch++) {
        const xs = tf.randomNormal([batch, 12, 12, 3]) as tf.Tensor4D;
        step(xs);
        xs.dispose();
        assert.ok(dnnl.stats().alive <= 4, `${backend}: ${dnnl.stats().alive} plans alive`);
      }
    } finally {
      dnnl.setCacheCapacity(96);
    }
    assert.equal(tf.memory().numTensors, before, `${backend}: tensors after the batch sweep`);
    tf.dispose([x, w]);
  }
});
