import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { install, providers } from '../../src/install';
import { compareWithReference } from '../fast-harness';
import { POOL_CASES, poolGradientOf } from '../max-pool-cases';
import { requireDnnl } from './require-dnnl';

test('the addon serves MaxPoolGrad on cpu and wasm', async (t) => {
  if (!requireDnnl(t)) return;
  for (const backend of ['cpu', 'wasm'] as const) {
    await tf.setBackend(backend);
    install(backend);
    assert.equal(providers(backend, ['MaxPoolGrad']).MaxPoolGrad, 'native-loops', backend);
  }
});

test("MaxPoolGrad through the addon equals TF.js's, ties and other windows (the typed-array kernel) included", async (t) => {
  if (!requireDnnl(t)) return;
  // Fine levels, then two levels (most windows hold equal maxima, as after a ReLU).
  for (const levels of [1000, 1])
    for (const [i, c] of POOL_CASES.entries())
      await compareWithReference(
        `pool ${c.filter}/${c.strides}/${c.pad} on ${c.x.join('x')}, ${levels} levels`,
        'MaxPoolGrad',
        poolGradientOf(c, 100 * levels + i, levels),
      );
});

test("MaxPoolGrad through the addon picks as TF.js's kernel does among NaN, ±∞ and ±0, 16 channels at a time", async (t) => {
  if (!requireDnnl(t)) return;
  const shape: [number, number, number, number] = [2, 4, 6, 20];
  const special = [NaN, Infinity, -Infinity, 0, -0, 1, -1];
  const values = Float32Array.from({ length: 2 * 4 * 6 * 20 }, (_, i) => special[(i * 7 + (i >> 5)) % special.length]);
  const weights = Float32Array.from({ length: 2 * 2 * 3 * 20 }, (_, i) => 1 + (i % 13));
  await compareWithReference('2×2 windows over special values', 'MaxPoolGrad', () =>
    tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), tf.tensor4d(weights, [2, 2, 3, 20]))),
    )(tf.tensor4d(values, shape)),
  );
});
