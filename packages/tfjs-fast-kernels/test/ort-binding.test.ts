import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOrtBinding } from '../src/ort-binding';

test('a missing onnxruntime-node gives a one-line reason instead of throwing', () => {
  const result = loadOrtBinding(() => {
    throw new Error("Cannot find module 'onnxruntime-node/dist/binding'\nRequire stack:\n- somewhere");
  });
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.reason, /^onnxruntime-node cannot load: Cannot find module 'onnxruntime-node\/dist\/binding'$/);
});

test('a binding that loads reports its version', (t) => {
  const result = loadOrtBinding();
  if (!result.ok) {
    if (process.env.SAT_BENCH_REQUIRE_FAST === '1') assert.fail(`SAT_BENCH_REQUIRE_FAST=1 but ${result.reason}`);
    t.skip(`fast kernels unavailable: ${result.reason}`);
    return;
  }
  assert.match(result.binding.version, /^\d+\.\d+\.\d+/);
});
