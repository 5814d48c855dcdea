import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OnnxGraph } from '../src/onnx-proto';
import { loadOrtBinding } from '../src/ort-binding';
import { SessionCache } from '../src/session-cache';
import { requireOrt } from './fast-harness';

function scaleGraph(size: number): OnnxGraph {
  return {
    nodes: [{ op: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
    inputs: [{ name: 'x', shape: [size] }],
    outputs: [{ name: 'y', shape: [size] }],
  };
}

function cacheOf(capacity: number): SessionCache {
  const ort = loadOrtBinding();
  assert.ok(ort.ok, 'binding loads');
  return new SessionCache(ort.binding, { capacity, threads: 1 });
}

test('a cached session is built once and reused for the same key', (t) => {
  if (!requireOrt(t)) return;
  const cache = cacheOf(4);
  let builds = 0;
  const out = new Float32Array(3);
  for (let i = 0; i < 5; i++) {
    cache.run(
      'double:3',
      () => (builds++, scaleGraph(3)),
      { x: { data: new Float32Array([1, 2, i]), dims: [3] } },
      { y: { data: out, dims: [3] } },
    );
  }
  assert.equal(builds, 1);
  assert.deepEqual(Array.from(out), [2, 4, 8]);
  cache.dispose();
});

test('the least recently used session is evicted beyond capacity', (t) => {
  if (!requireOrt(t)) return;
  const cache = cacheOf(2);
  const runSize = (size: number) =>
    cache.run(
      `double:${size}`,
      () => scaleGraph(size),
      { x: { data: new Float32Array(size), dims: [size] } },
      { y: { data: new Float32Array(size), dims: [size] } },
    );
  runSize(1);
  runSize(2);
  runSize(1); // 1 is now the most recent, so 2 goes when 3 arrives
  runSize(3);
  runSize(1);
  assert.deepEqual(cache.stats(), { alive: 2, created: 3 });
  runSize(2);
  assert.deepEqual(cache.stats(), { alive: 2, created: 4 });
  cache.dispose();
  assert.equal(cache.stats().alive, 0);
});
