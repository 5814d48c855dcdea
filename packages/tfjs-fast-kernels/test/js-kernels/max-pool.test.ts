import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { isFastKernel } from '../../src/kernel-registry';
import { compareWithReference, randomValues, runOn } from '../fast-harness';

const CASES: Array<{
  x: [number, number, number, number];
  filter: number | [number, number];
  strides: number;
  pad: 'same' | 'valid' | number;
}> = [
  { x: [2, 8, 8, 3], filter: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 3], filter: 2, strides: 2, pad: 'valid' }, // odd sizes: a row and a column no window covers
  { x: [2, 9, 7, 3], filter: 2, strides: 2, pad: 'same' },
  { x: [1, 9, 9, 2], filter: 3, strides: 1, pad: 'same' },
  { x: [2, 11, 10, 1], filter: [2, 3], strides: 3, pad: 1 },
];

test('MaxPool on cpu matches TF.js, including windows that hang over the padding', async () => {
  for (const [i, c] of CASES.entries()) {
    const values = randomValues(
      c.x.reduce((a, b) => a * b, 1),
      i,
    );
    await compareWithReference(
      `pool ${c.filter}/${c.strides}/${c.pad}`,
      'MaxPool',
      () => tf.maxPool(tf.tensor4d(values, c.x), c.filter, c.strides, c.pad),
      ['cpu'],
    );
  }
});

test('MaxPool keeps wasm’s own kernel, which is faster than a JS loop', async () => {
  await runOn('wasm', true, () => tf.scalar(0));
  assert.equal(isFastKernel('MaxPool', 'wasm'), false);
});
