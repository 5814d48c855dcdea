import * as assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fastCallCounts, type FastBackendName } from '../src/kernel-registry';
import { install, uninstall } from '../src/install';
import { probeFastKernels } from '../src/index';
import { seededUniform } from './seeded';

/**
 * Shared by the fast-kernel tests: every fast result is compared with TF.js's own `cpu` kernels (which exist for
 * every op, including the Conv2DBackpropFilter wasm lacks), computed with the fast kernels uninstalled.
 */
export const FAST_BACKENDS: FastBackendName[] = ['cpu', 'wasm'];

/** Skips (with a visible reason) when ORT cannot load, or fails when SAT_BENCH_REQUIRE_FAST=1 demands it. */
export function requireOrt(t: TestContext): boolean {
  const probe = probeFastKernels();
  if (probe.available) return true;
  if (process.env.SAT_BENCH_REQUIRE_FAST === '1') assert.fail(`SAT_BENCH_REQUIRE_FAST=1 but ${probe.reason}`);
  t.skip(`fast kernels unavailable: ${probe.reason}`);
  return false;
}

/** Random float32 values in [lo, hi) from a seeded generator. */
export function randomValues(size: number, seed: number, lo = -1, hi = 1): Float32Array {
  return seededUniform(size, seed, lo, hi);
}

/** Runs `compute` on a backend with the fast kernels installed or not, returning plain arrays. */
export async function runOn(
  backend: FastBackendName,
  fast: boolean,
  compute: () => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  await tf.ready();
  if (fast) install(backend);
  else uninstall(backend);
  const outputs = tf.tidy(() => [compute()].flat());
  const values = outputs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outputs);
  return values;
}

/**
 * |actual − expected| ≤ tolerance · max|expected| everywhere (a relative error on the tensor's scale), and NaN
 * exactly where expected has NaN.
 */
export function assertMatches(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
  tolerance = 1e-5,
): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length} vs ${expected.length}`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++)
    if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < actual.length; i++) {
    if (Number.isNaN(expected[i]) && Number.isNaN(actual[i])) continue;
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= tolerance * Math.max(scale, 1e-6)) && actual[i] !== expected[i]) {
      assert.fail(`${label}: element ${i} is ${actual[i]}, expected ${expected[i]} (scale ${scale})`);
    }
  }
}

/**
 * Compares `compute` on every fast backend against TF.js's cpu kernels, and checks that `kernelName` (each of them,
 * when a list) really ran fast. `backends` narrows the list (wasm has no original Conv2DBackpropFilter to fall back to).
 */
export async function compareWithReference(
  label: string,
  kernelName: string | string[],
  compute: () => tf.Tensor | tf.Tensor[],
  backends: FastBackendName[] = FAST_BACKENDS,
): Promise<void> {
  const expected = await runOn('cpu', false, compute);
  for (const backend of backends) {
    const { actual, counts } = await runCounted(backend, [kernelName].flat(), compute);
    expected.forEach((values, i) => assertMatches(actual[i], values, `${label} on ${backend}, output ${i}`));
    for (const [name, count] of Object.entries(counts))
      assert.ok(count.fast > 0, `${label} on ${backend}: ${name} never ran fast`);
  }
}

/**
 * For cases the fast kernel must not handle: checks it fell back, and that the result equals the backend's own
 * kernel (not the cpu one: wasm's kernels differ from cpu's in such corners, e.g. ceil-rounded output sizes).
 */
export function compareFallback(
  label: string,
  kernelName: string,
  compute: () => tf.Tensor | tf.Tensor[],
  backends: FastBackendName[] = FAST_BACKENDS,
): Promise<void> {
  return compareWithOwnKernel(label, kernelName, compute, 'fallback', backends);
}

/**
 * Checks that `kernelName` was served as `served` (fast, or handed back) on each backend, and that the result equals
 * the backend's own kernel's exactly (for kernels that only move data, or compute as the backend does).
 */
export async function compareWithOwnKernel(
  label: string,
  kernelName: string,
  compute: () => tf.Tensor | tf.Tensor[],
  served: 'fast' | 'fallback',
  backends: FastBackendName[] = FAST_BACKENDS,
): Promise<void> {
  for (const backend of backends) {
    const expected = await runOn(backend, false, compute);
    const { actual, counts } = await runCounted(backend, [kernelName], compute);
    expected.forEach((values, i) => assertMatches(actual[i], values, `${label} on ${backend}, output ${i}`, 0));
    const count = counts[kernelName];
    const ok = served === 'fast' ? count.fast > 0 && count.fallback === 0 : count.fallback > 0 && count.fast === 0;
    assert.ok(ok, `${label} on ${backend}: ${kernelName} was not served ${served === 'fast' ? 'fast' : 'by TF.js'}`);
  }
}

/** Runs with the fast kernels installed and reports how each of `kernelNames` was served during the run. */
async function runCounted(backend: FastBackendName, kernelNames: string[], compute: () => tf.Tensor | tf.Tensor[]) {
  await tf.setBackend(backend);
  install(backend);
  const none = { fast: 0, fallback: 0, failed: 0 };
  const before = kernelNames.map((name) => ({ ...(fastCallCounts(name, backend) ?? none) }));
  const actual = await runOn(backend, true, compute);
  const counts: Record<string, { fast: number; fallback: number }> = {};
  kernelNames.forEach((name, i) => {
    const after = fastCallCounts(name, backend) ?? none;
    assert.equal(
      after.failed,
      before[i].failed,
      `${name} on ${backend}: the fast kernel threw (see the warning above)`,
    );
    counts[name] = { fast: after.fast - before[i].fast, fallback: after.fallback - before[i].fallback };
  });
  return { actual, counts };
}
