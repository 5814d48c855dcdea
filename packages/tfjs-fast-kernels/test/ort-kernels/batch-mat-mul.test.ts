import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { compareFallback, compareWithReference, randomValues, requireOrt } from '../fast-harness';

interface MatMulCase {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const CASES: MatMulCase[] = [
  { a: [5, 7], b: [7, 3], transposeA: false, transposeB: false },
  { a: [7, 5], b: [7, 3], transposeA: true, transposeB: false },
  { a: [5, 7], b: [3, 7], transposeA: false, transposeB: true },
  { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { a: [1, 4, 6], b: [1, 6, 2], transposeA: false, transposeB: false },
  { a: [3, 4, 6], b: [3, 2, 6], transposeA: false, transposeB: true },
  { a: [3, 6, 4], b: [3, 6, 2], transposeA: true, transposeB: false },
  // One side a single matrix: broadcast over the other's batch, at ranks 3 and 4.
  { a: [1, 4, 6], b: [3, 6, 5], transposeA: false, transposeB: false },
  { a: [2, 3, 4, 5], b: [1, 1, 3, 5], transposeA: false, transposeB: true },
  { a: [2, 3, 4, 5], b: [2, 3, 4, 3], transposeA: true, transposeB: false },
];

function matMulOf(c: MatMulCase, seed: number): () => tf.Tensor {
  const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);
  const a = randomValues(size(c.a), seed);
  const b = randomValues(size(c.b), seed + 1);
  return () => tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.transposeA, c.transposeB);
}

test('BatchMatMul matches TF.js for every transpose combination, batches and batch broadcasting', async (t) => {
  if (!requireOrt(t)) return;
  for (const [i, c] of CASES.entries()) {
    const label = `${c.a.join('x')}${c.transposeA ? 'ᵀ' : ''} · ${c.b.join('x')}${c.transposeB ? 'ᵀ' : ''}`;
    await compareWithReference(label, 'BatchMatMul', matMulOf(c, 10 * i));
  }
});

test('dense-layer gradients through BatchMatMul match TF.js', async (t) => {
  if (!requireOrt(t)) return;
  const x = randomValues(6 * 9, 1);
  const w = randomValues(9 * 4, 2);
  await compareWithReference('grad of sum(relu(xW))', 'BatchMatMul', () =>
    tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.relu(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D))))([
      tf.tensor2d(x, [6, 9]),
      tf.tensor2d(w, [9, 4]),
    ]),
  );
});

test('BatchMatMul falls back to the original kernel for int32 operands and partial batch broadcasting', async (t) => {
  if (!requireOrt(t)) return;
  // wasm has no int32 matmul of its own, so that case is cpu only.
  await compareFallback(
    'int32',
    'BatchMatMul',
    () =>
      tf.cast(
        tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor2d([5, 6, 7, 8], [2, 2], 'int32')),
        'float32',
      ),
    ['cpu'],
  );
  // TF.js pairs batches [2, 3] with [2, 1] by flat index modulo 2, not as numpy would; the original keeps that.
  const a = randomValues(2 * 3 * 4 * 5, 1);
  const b = randomValues(2 * 1 * 5 * 3, 2);
  await compareFallback('[2, 3] with [2, 1]', 'BatchMatMul', () =>
    tf.matMul(tf.tensor4d(a, [2, 3, 4, 5]), tf.tensor4d(b, [2, 1, 5, 3])),
  );
});
