import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrtBinding } from '../src/ort-binding';

test('a missing onnxruntime-node gives a one-line reason instead of throwing', () => {
  const result = loadOrtBinding(() => {
    throw new Error("Cannot find module 'onnxruntime-node/dist/binding'\nRequire stack:\n- somewhere");
  });
  assert.equal(result.ok, false);
  assert.match(
    result.ok ? '' : result.reason,
    /^onnxruntime-node cannot load: Cannot find module 'onnxruntime-node\/dist\/binding'$/,
  );
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

test('loading the binding and opening a session writes no ONNX Runtime telemetry under $HOME', (t) => {
  if (!loadOrtBinding().ok) return t.skip('fast kernels unavailable');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sat-bench-ort-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.ORT_DISABLE_TELEMETRY; // as a user's shell would have it
  const script = `require(${JSON.stringify(require.resolve('../src/ort-binding'))}).loadOrtBinding().binding.createSession()`;
  const child = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  // ORT's telemetry keeps its event database in ~/.cache/Microsoft/DeveloperTools/.onnxruntime/.
  assert.deepEqual(fs.readdirSync(home), []);
});
