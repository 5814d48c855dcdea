// The WebGPU part of the suite: opens Dawn on whatever Vulkan driver is there (a real GPU named by VK_DRIVER_FILES,
// else SwiftShader when Chromium's copy is on disk), computes the same thing on plain TF.js `cpu` and on `webgpu`,
// and measures the difference. Without a driver the tests skip with the reason; SAT_BENCH_REQUIRE_WEBGPU=1 (CI)
// turns that skip into a failure.
import type { TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { releaseBackend, setupBackend } from '../../src/engine/backend';
import { findSwiftShaderIcd } from '../../src/engine/backends/software-vulkan';

export type WebgpuForTests = { ok: true; label: string } | { ok: false; why: string };

/** Registers `webgpu` (leaving `cpu` registered too). Call once per file, in before(); releaseWebgpuForTests in after(). */
export async function openWebgpuForTests(): Promise<WebgpuForTests> {
  if ((process.env.VK_DRIVER_FILES ?? '') === '') {
    const icd = findSwiftShaderIcd();
    if (icd !== null) process.env.VK_DRIVER_FILES = icd;
  }
  try {
    const choice = await setupBackend('webgpu');
    // TF.js runs ops whose inputs are all under 1000 elements and still on the CPU in JS, not as shaders; these
    // tests are about the shaders, so every op goes to the GPU.
    tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
    return { ok: true, label: choice.label };
  } catch (error) {
    const why = `no WebGPU adapter (${(error as Error).message.split('\n')[0]})`;
    if (process.env.SAT_BENCH_REQUIRE_WEBGPU === '1')
      throw new Error(`SAT_BENCH_REQUIRE_WEBGPU=1 but ${why}`, { cause: error });
    return { ok: false, why };
  }
}

export function releaseWebgpuForTests(): void {
  releaseBackend(); // otherwise Dawn keeps the test process alive
}

/** Skips the test (visibly, with the reason) when WebGPU did not open. */
export function skipWithoutWebgpu(t: TestContext, gpu: WebgpuForTests | undefined): boolean {
  if (gpu?.ok) return false;
  t.skip(gpu?.why ?? 'WebGPU was not opened');
  return true;
}

/** `compute` on one backend; its tensors are read (async: webgpu has no synchronous read) and disposed. */
export async function computeOn(backend: 'cpu' | 'webgpu', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  assert.ok(await tf.setBackend(backend), `tf.setBackend(${backend}) failed`);
  const outputs = tf.tidy(compute);
  try {
    return await Promise.all(outputs.map(async (t) => Float32Array.from(await t.data())));
  } finally {
    tf.dispose(outputs);
  }
}

/** The same computation on plain TF.js cpu (the reference) and on webgpu. Inputs must be built inside `compute`. */
export async function onBoth(compute: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; gpu: Float32Array[] }> {
  const cpu = await computeOn('cpu', compute);
  const gpu = await computeOn('webgpu', compute);
  return { cpu, gpu };
}

export interface ParityError {
  /** max |webgpu − cpu| over every element of every output. */
  maxAbs: number;
  /** maxAbs over the largest |cpu| value of the same output: the measure the tolerances bound. */
  relative: number;
}

export function parityError(gpu: readonly Float32Array[], cpu: readonly Float32Array[]): ParityError {
  assert.equal(gpu.length, cpu.length);
  let maxAbs = 0;
  let relative = 0;
  gpu.forEach((values, k) => {
    const reference = cpu[k];
    assert.equal(values.length, reference.length, `output ${k}: ${values.length} vs ${reference.length} values`);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < values.length; i++) {
      const diff = Math.abs(values[i] - reference[i]);
      worst = Number.isNaN(diff) ? Infinity : Math.max(worst, diff);
      scale = Math.max(scale, Math.abs(reference[i]));
    }
    maxAbs = Math.max(maxAbs, worst);
    relative = Math.max(relative, worst / Math.max(scale, 1e-30));
  });
  return { maxAbs, relative };
}

/** Asserts the relative error is within `tolerance` and reports the measured error in the test output. */
export function assertParity(
  t: TestContext,
  gpu: readonly Float32Array[],
  cpu: readonly Float32Array[],
  tolerance: number,
): ParityError {
  const error = parityError(gpu, cpu);
  t.diagnostic(
    `parity: max |webgpu - cpu| = ${error.maxAbs.toExponential(2)}, relative to max |cpu| = ${error.relative.toExponential(2)} (tolerance ${tolerance.toExponential(0)})`,
  );
  assert.ok(
    error.relative <= tolerance,
    `relative error ${error.relative} above ${tolerance} (max |Δ| ${error.maxAbs})`,
  );
  return error;
}
