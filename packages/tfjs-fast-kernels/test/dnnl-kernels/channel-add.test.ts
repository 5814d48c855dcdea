import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { install, providers, uninstall } from '../../src/install';
import { fastCallCounts } from '../../src/kernel-registry';
import { randomValues } from '../fast-harness';
import { requireDnnl } from './require-dnnl';

test('the addon serves the bias Add on wasm, and leaves Add on cpu to ORT', async (t) => {
  if (!requireDnnl(t)) return;
  await tf.setBackend('wasm');
  install('wasm');
  assert.equal(providers('wasm', ['Add']).Add, 'native-loops');
  await tf.setBackend('cpu');
  install('cpu');
  assert.notEqual(providers('cpu', ['Add']).Add, 'native-loops');
});

/** Values with exact zeros of both signs, NaN, infinities and subnormals among random ones. */
function awkwardValues(size: number, seed: number): Float32Array {
  const values = randomValues(size, seed, -3, 3);
  [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 3e38].forEach((v, i) => (values[(i * 37) % size] = v));
  return values;
}

/** The bits of a + b on wasm, with the fast kernels installed or not. */
async function addBits(a: tf.Tensor, b: tf.Tensor, fast: boolean): Promise<Uint32Array> {
  if (fast) install('wasm');
  else uninstall('wasm');
  const sum = tf.add(a, b);
  const bits = new Uint32Array(((await sum.data()) as Float32Array).slice().buffer);
  sum.dispose();
  return bits;
}

test("the bias Add gives wasm's own Add bit for bit, either order, and hands other Adds back", async (t) => {
  if (!requireDnnl(t)) return;
  await tf.setBackend('wasm');
  const cases: Array<{ a: number[]; b: number[]; fast: boolean }> = [
    { a: [4, 9, 7, 32], b: [32], fast: true }, // a conv's bias
    { a: [32], b: [4, 9, 7, 32], fast: true }, // the bias first
    { a: [5, 200], b: [200], fast: true }, // a dense layer's
    { a: [3, 5, 5, 16], b: [1, 1, 1, 16], fast: true },
    { a: [1, 10], b: [10], fast: true },
    { a: [4, 6], b: [4, 6], fast: false }, // same shape: wasm's
    { a: [4, 6], b: [4, 1], fast: false }, // a per-row broadcast
    { a: [4, 6], b: [], fast: false }, // a scalar
    { a: [6], b: [1, 4, 6], fast: true },
    { a: [4, 6], b: [1, 1, 1, 6], fast: false }, // the bias has more axes than the map
  ];
  for (const [i, c] of cases.entries()) {
    const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);
    const [a, b] = [
      tf.tensor(awkwardValues(size(c.a), 2 * i + 1), c.a),
      tf.tensor(awkwardValues(size(c.b), 2 * i + 2), c.b),
    ];
    const expected = await addBits(a, b, false);
    install('wasm');
    const before = { ...fastCallCounts('Add', 'wasm')! };
    const actual = await addBits(a, b, true);
    const after = fastCallCounts('Add', 'wasm')!;
    const label = `${c.a.join('x')} + ${c.b.join('x')}`;
    assert.deepEqual(actual, expected, label);
    assert.equal(after.fast - before.fast, c.fast ? 1 : 0, `${label}: ran fast`);
    assert.equal(after.fallback - before.fallback, c.fast ? 0 : 1, `${label}: handed back`);
    tf.dispose([a, b]);
  }
  const ints = tf.add(tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.tensor1d([3, 4], 'int32'));
  assert.deepEqual(Array.from(await ints.data()), [4, 6]);
  ints.dispose();
});
