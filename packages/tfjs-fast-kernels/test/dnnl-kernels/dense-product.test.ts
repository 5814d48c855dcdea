import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { OwnDenseProduct, type ProductShape } from '../../src/dnnl-kernels/dense-product';
import { install } from '../../src/install';
import { fastCallCounts } from '../../src/kernel-registry';
import { loadOrtBinding } from '../../src/ort-binding';
import { gemmOnOrt } from '../../src/ort-kernels/batch-mat-mul';
import { SessionCache } from '../../src/session-cache';
import { FAST_BACKENDS, randomValues, requireOrt } from '../fast-harness';
import { requireDnnl } from './require-dnnl';

const bits = (values: Float32Array) => new Uint32Array(values.buffer.slice(0));

interface ProductCase {
  a: [number, number];
  b: [number, number];
  transA: boolean;
  transB: boolean;
  note: string;
}

const CASES: ProductCase[] = [
  { a: [5, 3136], b: [3136, 200], transA: false, transB: false, note: "Square's head: 25 blocks of 128" },
  { a: [2, 200], b: [200, 200], transA: false, transB: false, note: 'blocks of 128 and 72' },
  { a: [6, 200], b: [200, 10], transA: false, transB: false, note: 'ten columns: one block of 1024' },
  { a: [54, 200], b: [3136, 200], transA: false, transB: true, note: "dense1's input gradient (B packed)" },
  { a: [54, 3136], b: [54, 200], transA: true, transB: false, note: "dense1's weight gradient" },
  { a: [3, 5000], b: [5000, 65], transA: false, transB: false, note: "65 columns: MLAS's threads split them" },
  { a: [7, 300], b: [20, 300], transA: false, transB: true, note: 'odd sizes, both' },
  { a: [300, 13], b: [20, 300], transA: true, transB: true, note: 'both transposed' },
];

const ONE_ROW: ProductCase = { a: [1, 3136], b: [3136, 200], transA: false, transB: false, note: 'one row' };

const shapeOf = (c: ProductCase): ProductShape => ({
  m: c.transA ? c.a[1] : c.a[0],
  k: c.transA ? c.a[0] : c.a[1],
  n: c.transB ? c.b[0] : c.b[1],
  transA: c.transA,
  transB: c.transB,
});

test("tf.matMul on the addon's own product gives ORT's bits, and the own loop serves it", async (t) => {
  const dnnl = requireDnnl(t);
  if (!dnnl || !requireOrt(t)) return;
  const avx512 = dnnl.cpuIsa.startsWith('avx512');
  if (!avx512) t.diagnostic(`cpu ISA ${dnnl.cpuIsa}: the own loop is not eligible; ORT serves every product`);
  for (const backend of FAST_BACKENDS) {
    await tf.setBackend(backend);
    install(backend);
    for (const [i, c] of [...CASES, ONE_ROW].entries()) {
      const [a, b] = [randomValues(c.a[0] * c.a[1], 10 * i), randomValues(c.b[0] * c.b[1], 10 * i + 1)];
      const product = () => {
        const out = tf.tidy(() => tf.matMul(tf.tensor2d(a, c.a), tf.tensor2d(b, c.b), c.transA, c.transB));
        const values = out.dataSync() as Float32Array;
        out.dispose();
        return values;
      };
      dnnl.setOwnKernels(false);
      const onOrt = product();
      dnnl.setOwnKernels(true);
      product(); // checks the shape
      const before = dnnl.stats().ownDenseProduct;
      const own = product();
      const served: number = dnnl.stats().ownDenseProduct - before;
      const label = `${backend}: ${c.a}${c.transA ? 'ᵀ' : ''} · ${c.b}${c.transB ? 'ᵀ' : ''} (${c.note})`;
      assert.deepEqual(bits(own), bits(onOrt), label);
      // One row goes to MLAS's matrix-vector kernel, another order: it stays on ORT.
      assert.equal(served, avx512 && c !== ONE_ROW ? 1 : 0, `${label}: calls the own loop served`);
    }
    assert.equal(fastCallCounts('BatchMatMul', backend)?.failed, 0);
  }
});

test("the own product follows MLAS's column split: ORT's bits at one and at two threads, which differ", (t) => {
  const dnnl = requireDnnl(t);
  if (!dnnl || !requireOrt(t) || !dnnl.cpuIsa.startsWith('avx512')) return;
  const ort = loadOrtBinding();
  assert.ok(ort.ok);
  for (const c of CASES) {
    const shape = shapeOf(c);
    const [a, b] = [randomValues(shape.m * shape.k, 1), randomValues(shape.k * shape.n, 2)];
    const byThreads = [1, 2].map((threads) => {
      const sessions = new SessionCache(ort.binding, { capacity: 4, threads });
      const [onOrt, own] = [new Float32Array(shape.m * shape.n), new Float32Array(shape.m * shape.n)];
      gemmOnOrt(sessions, shape, a, b, onOrt);
      sessions.dispose();
      const geometry = [shape.m, shape.k, shape.n, Number(shape.transA), Number(shape.transB), threads];
      assert.ok(dnnl.denseProduct(geometry, a, b, own));
      assert.deepEqual(bits(own), bits(onOrt), `${c.note}, ${threads} thread(s)`);
      return onOrt;
    });
    // 65 columns on two threads: 48 summed in blocks of 256, 17 in blocks of 1024 (one thread: all in 128).
    if (shape.n === 65) assert.notDeepEqual(bits(byThreads[0]), bits(byThreads[1]), 'the split changes the sums');
  }
  // One thread: the row count leaves the order as it is (OwnDenseProduct checks one row count for all of them).
  const sessions = new SessionCache(ort.binding, { capacity: 16, threads: 1 });
  const b = randomValues(3136 * 200, 7);
  for (const m of [2, 3, 5, 7, 11, 13, 54, 99]) {
    const shape: ProductShape = { m, k: 3136, n: 200, transA: false, transB: false };
    const a = randomValues(m * 3136, m);
    const [onOrt, own] = [new Float32Array(m * 200), new Float32Array(m * 200)];
    gemmOnOrt(sessions, shape, a, b, onOrt);
    assert.ok(dnnl.denseProduct([m, 3136, 200, 0, 0, 1], a, b, own));
    assert.deepEqual(bits(own), bits(onOrt), `${m} rows, one thread`);
  }
  sessions.dispose();
});

test('a shape whose check disagrees stays on the reference, and an addon that declines learns nothing', (t) => {
  const dnnl = requireDnnl(t);
  if (!dnnl || !dnnl.cpuIsa.startsWith('avx512')) return;
  const shape: ProductShape = { m: 4, k: 300, n: 30, transA: false, transB: false };
  const [a, b] = [randomValues(4 * 300, 3), randomValues(300 * 30, 4)];
  const own = new OwnDenseProduct(dnnl, 1);
  // A reference off by one unit in the last place in one output.
  const nearly = (x: Float32Array, y: Float32Array, out: Float32Array) => {
    dnnl.denseProduct([4, 300, 30, 0, 0, 1], x, y, out);
    new Uint32Array(out.buffer, out.byteOffset, out.length)[17] ^= 1;
  };
  const out = new Float32Array(4 * 30).fill(7);
  assert.equal(own.run(shape, a, b, out, nearly), false);
  assert.equal(
    own.run(shape, a, b, out, () => assert.fail('the verdict is kept')),
    false,
  );
  assert.ok(
    out.every((v) => v === 7),
    'nothing written',
  );
  // Own kernels off: no verdict; back on, the shape is checked then (and agrees with the addon itself).
  const fresh = new OwnDenseProduct(dnnl, 1);
  const exact = (x: Float32Array, y: Float32Array, o: Float32Array) =>
    dnnl.denseProduct([4, 300, 30, 0, 0, 1], x, y, o);
  dnnl.setOwnKernels(false);
  assert.equal(fresh.run(shape, a, b, out, exact), false);
  dnnl.setOwnKernels(true);
  assert.equal(fresh.run(shape, a, b, out, exact), true);
  const expected = new Float32Array(4 * 30);
  dnnl.denseProduct([4, 300, 30, 0, 0, 1], a, b, expected);
  assert.deepEqual(bits(out), bits(expected));
  // One thread: the verdict holds for any row count; two: each row count is checked (the column split depends on it).
  const six = { ...shape, m: 6 };
  const [a6, out6] = [randomValues(6 * 300, 5), new Float32Array(6 * 30)];
  assert.equal(
    fresh.run(six, a6, b, out6, () => assert.fail('no check for another row count')),
    true,
  );
  const twoThreads = new OwnDenseProduct(dnnl, 2);
  const exactOnTwo = (x: Float32Array, y: Float32Array, o: Float32Array) =>
    dnnl.denseProduct([x.length / 300, 300, 30, 0, 0, 2], x, y, o);
  let checks = 0;
  const counted = (x: Float32Array, y: Float32Array, o: Float32Array) => (checks++, exactOnTwo(x, y, o));
  assert.equal(twoThreads.run(shape, a, b, out, counted), true);
  assert.equal(twoThreads.run(six, a6, b, out6, counted), true);
  assert.equal(checks, 2);
});
