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
