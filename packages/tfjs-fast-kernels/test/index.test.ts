import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { installFastKernels, probeFastKernels } from '../src/index';
import { isFastKernel, originalKernel } from '../src/kernel-registry';
import { ortKernelNames, ortSessionStats, uninstall } from '../src/install';
import { TYPED_ARRAY_KERNELS } from '../src/js-kernels';
import { FAST_BACKENDS, requireOrt } from './fast-harness';

// These tests are about the ONNX Runtime convolutions: with the oneDNN addon built, it would serve them instead.
process.env.SAT_BENCH_NO_DNNL = '1';

test('installing reports every replaced kernel and the ORT version', async (t) => {
  if (!requireOrt(t)) return;
  for (const backend of FAST_BACKENDS) {
    await tf.setBackend(backend);
    const report = installFastKernels(backend);
    assert.equal(report.available, true);
    assert.equal(report.ortVersion, probeFastKernels().ortVersion);
    const ortNames = ortKernelNames(backend);
    const typed = TYPED_ARRAY_KERNELS.filter(
      (k) => !ortNames.includes(k.kernelName) && (k.backends ?? [backend]).includes(backend),
    );
    assert.deepEqual(report.kernels, [...ortNames, ...typed.map((k) => k.kernelName)]);
    for (const name of report.kernels) assert.ok(isFastKernel(name, backend), `${name} on ${backend}`);
  }
});

test('installing twice keeps the first installation', async (t) => {
  if (!requireOrt(t)) return;
  await tf.setBackend('cpu');
  installFastKernels('cpu');
  const first = tf.getKernel('Conv2D', 'cpu')?.kernelFunc;
  installFastKernels('cpu');
  assert.equal(tf.getKernel('Conv2D', 'cpu')?.kernelFunc, first);
});

test('uninstalling restores the original kernels; wasm keeps the Conv2DBackpropFilter it lacked, which the fast one wrapped', async (t) => {
  if (!requireOrt(t)) return;
  for (const backend of FAST_BACKENDS) {
    installFastKernels(backend);
    const original = originalKernel('Conv2D', backend);
    uninstall(backend);
    assert.equal(tf.getKernel('Conv2D', backend), original);
    assert.equal(isFastKernel('Sum', backend), false);
  }
  assert.notEqual(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
  assert.equal(isFastKernel('Conv2DBackpropFilter', 'wasm'), false);
});

test('a conv training step leaks no tensors, bytes or ORT sessions over many calls', async (t) => {
  if (!requireOrt(t)) return;
  for (const backend of FAST_BACKENDS) {
    await tf.setBackend(backend);
    installFastKernels(backend);
    const x = tf.randomNormal([4, 12, 12, 3], 0, 1, 'float32', 1);
    const w = tf.randomNormal([3, 3, 3, 8], 0, 1, 'float32', 2);
    const step = () =>
      tf.tidy(() => {
        const loss = (input: tf.Tensor, filter: tf.Tensor) =>
          tf.sum(tf.maxPool(tf.relu(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same')), 2, 2, 'valid'));
        tf.grads(loss)([x, w]).forEach((g) => g.dataSync());
      });
    step();
    const before = tf.memory();
    const sessionsBefore = ortSessionStats(backend);
    for (let i = 0; i < 100; i++) step();
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors, `${backend}: tensors`);
    assert.equal(after.numBytes, before.numBytes, `${backend}: bytes`);
    // One session per kernel and shape: forward conv, input gradient, filter gradient.
    assert.deepEqual(ortSessionStats(backend), sessionsBefore, `${backend}: sessions`);
    assert.equal(sessionsBefore?.created, 3, `${backend}: sessions created`);
    tf.dispose([x, w]);
    uninstall(backend);
  }
});

test('the providers doctor predicts are the ones install puts in place', async (t) => {
  if (!requireOrt(t)) return;
  for (const backend of FAST_BACKENDS) {
    await tf.setBackend(backend);
    const report = installFastKernels(backend);
    const probe = probeFastKernels();
    assert.deepEqual(report.providers, probe.providers[backend], backend);
    // This file turns the addon off: the convolutions are on ONNX Runtime, and the report says why not oneDNN.
    assert.equal(report.providers.Conv2D, 'onnxruntime');
    assert.match(report.dnnlReason ?? '', /SAT_BENCH_NO_DNNL=1/);
    uninstall(backend);
  }
});
