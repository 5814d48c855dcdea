import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { install } from '../../src/install';
import { fastCallCounts } from '../../src/kernel-registry';
import { compareFallback, compareWithOwnKernel, randomValues, requireOrt } from '../fast-harness';

const valuesOf = (shape: number[], seed: number) =>
  randomValues(
    shape.reduce((a, b) => a * b, 1),
    seed,
  );

test("GatherV2 copies rows as TF.js's kernel picks them: every axis, repeated and reordered indices, each dtype", async (t) => {
  if (!requireOrt(t)) return;
  const shape = [5, 4, 3, 2];
  const cases: Array<{ axis: number; indices: number[] | number[][] }> = [
    { axis: 0, indices: [4, 0, 0, 2] }, // the attacks' rows, one twice
    { axis: 0, indices: [] },
    { axis: 1, indices: [3, 1] },
    {
      axis: 2,
      indices: [
        [2, 0],
        [1, 1],
      ],
    }, // indices of rank 2
    { axis: -1, indices: [1, 0, 1] },
  ];
  for (const [i, c] of cases.entries())
    for (const dtype of ['float32', 'int32', 'bool'] as const)
      await compareWithOwnKernel(
        `gather axis ${c.axis} of ${JSON.stringify(c.indices)}, ${dtype}`,
        'GatherV2',
        () => {
          const values = valuesOf(shape, i + 1);
          const x = dtype === 'float32' ? tf.tensor(values, shape) : tf.cast(tf.tensor(values, shape).mul(5), dtype);
          return tf.cast(tf.gather(x, tf.tensor(c.indices, undefined, 'int32'), c.axis), 'float32');
        },
        'fast',
      );
});

test('GatherV2 hands batch dims and indices out of range back to TF.js', async (t) => {
  if (!requireOrt(t)) return;
  await compareFallback('gather with batchDims 1', 'GatherV2', () =>
    tf.gather(
      tf.tensor(valuesOf([2, 3, 4], 7), [2, 3, 4]),
      tf.tensor2d(
        [
          [0, 2],
          [1, 1],
        ],
        [2, 2],
        'int32',
      ),
      1,
      1,
    ),
  );
});

test("Tile repeats as TF.js's kernel does: a broadcast condition, inner and outer repeats, each dtype", async (t) => {
  if (!requireOrt(t)) return;
  const cases: Array<{ shape: number[]; reps: number[] }> = [
    { shape: [6, 1, 1, 1], reps: [1, 5, 3, 2] }, // tf.where's per-example mask
    { shape: [2, 3], reps: [3, 2] },
    { shape: [2, 1, 3], reps: [1, 4, 1] },
    { shape: [4], reps: [3] },
    { shape: [3, 2, 2], reps: [1, 1, 1] },
    { shape: [1, 1], reps: [2, 3] },
  ];
  for (const [i, c] of cases.entries())
    for (const dtype of ['float32', 'int32', 'bool'] as const)
      await compareWithOwnKernel(
        `tile ${c.shape.join('x')} by ${c.reps.join('x')}, ${dtype}`,
        'Tile',
        () => {
          const values = valuesOf(c.shape, 20 + i);
          const x =
            dtype === 'float32' ? tf.tensor(values, c.shape) : tf.cast(tf.tensor(values, c.shape).mul(5), dtype);
          return tf.cast(tf.tile(x, c.reps), 'float32');
        },
        'fast',
      );
});

test('Tile hands string tensors to TF.js (no typed array holds them), without a failure', async (t) => {
  if (!requireOrt(t)) return;
  await tf.setBackend('cpu');
  install('cpu');
  const before = { ...fastCallCounts('Tile', 'cpu')! };
  const words = tf.tensor1d(['a', 'b'], 'string');
  const tiled = tf.tile(words, [2]);
  assert.deepEqual(await tiled.data(), ['a', 'b', 'a', 'b']);
  const after = fastCallCounts('Tile', 'cpu')!;
  assert.deepEqual([after.fallback - before.fallback, after.failed - before.failed], [1, 0]);
  tf.dispose([words, tiled]);
});

test("tf.where with a per-example condition (the attacks' replacements) gives TF.js's result through the fast Tile", async (t) => {
  if (!requireOrt(t)) return;
  await compareWithOwnKernel(
    'where over [7, 4, 3, 1]',
    'Tile',
    () => {
      const mask = tf.tensor1d([1, 0, 0, 1, 1, 0, 1], 'bool').reshape([7, 1, 1, 1]);
      return tf.where(
        mask,
        tf.tensor(valuesOf([7, 4, 3, 1], 40), [7, 4, 3, 1]),
        tf.tensor(valuesOf([7, 4, 3, 1], 41), [7, 4, 3, 1]),
      );
    },
    'fast',
  );
});
