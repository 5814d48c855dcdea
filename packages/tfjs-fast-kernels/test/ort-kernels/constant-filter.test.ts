import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { OnnxGraph } from '../../src/onnx-proto';
import { loadOrtBinding } from '../../src/ort-binding';
import { ConstantFilterSessions } from '../../src/ort-kernels/constant-filter';
import { SessionCache } from '../../src/session-cache';
import { requireOrt, runOn } from '../fast-harness';

// y = x · w for a [1, 2] x and a [2, 1] "filter" w.
const GRAPH: OnnxGraph = {
  nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
  inputs: [
    { name: 'x', shape: [1, 2] },
    { name: 'w', shape: [2, 1] },
  ],
  outputs: [{ name: 'y', shape: [1, 1] }],
};

test('each filter version gets its own constant, and only the last two versions keep a session', async (t) => {
  if (!requireOrt(t)) return;
  await runOn('cpu', false, () => tf.scalar(0));
  const ort = loadOrtBinding();
  assert.ok(ort.ok);
  const cache = new SessionCache(ort.binding, { capacity: 16, threads: 1 });
  const constants = new ConstantFilterSessions(cache);
  const x = new Float32Array([1, 10]);
  const filters = [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
  ].map((w) => tf.tensor2d(w, [2, 1]));
  const results = filters.map((filter) => {
    const out = new Float32Array(1);
    const data = filter.dataSync() as Float32Array;
    constants.run(
      'matmul',
      filter,
      data,
      () => GRAPH,
      { x: { data: x, dims: [1, 2] } },
      { y: { data: out, dims: [1, 1] } },
    );
    return out[0];
  });
  // 1·w0 + 10·w1 for each version.
  assert.deepEqual(results, [21, 43, 65, 87]);
  assert.deepEqual(cache.stats(), { alive: 2, created: 4 });
  // The newest version is still cached: running it again builds nothing.
  constants.run(
    'matmul',
    filters[3],
    filters[3].dataSync() as Float32Array,
    () => GRAPH,
    { x: { data: x, dims: [1, 2] } },
    { y: { data: new Float32Array(1), dims: [1, 1] } },
  );
  assert.equal(cache.stats().created, 4);
  cache.dispose();
  tf.dispose(filters);
});
