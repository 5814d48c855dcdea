// Fast CPU kernels for TF.js 4.22's `wasm` and `cpu` backends: ONNX Runtime (through its synchronous native binding)
// and typed-array loops registered in place of TF.js's slow kernels, plus the Conv2DBackpropFilter wasm lacks and a
// fused training-mode batch norm. One explicit call installs them: installFastKernels(backendName).
import { install } from './install';
import { loadOrtBinding } from './ort-binding';
import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter';

export interface FastKernelReport {
  available: boolean;
  reason?: string;
  kernels: string[];
  ortVersion?: string;
}

/**
 * Idempotent; registers the fast kernels for that TF.js backend (on wasm, first the Conv2DBackpropFilter it lacks,
 * which the fast one falls back to), falling back to the original kernel for unhandled cases. Never throws when
 * onnxruntime-node is missing: returns available:false with a one-line reason (the typed-array kernels, which need
 * no native code, are still installed and listed in `kernels`). Throws, naming the fields, on a TF.js whose private
 * fields moved (see tfjs-internals.ts).
 */
export function installFastKernels(backendName: 'wasm' | 'cpu'): FastKernelReport {
  if (backendName === 'wasm') registerWasmConv2DBackpropFilter();
  const result = install(backendName);
  if (result.ortMissingReason !== undefined) {
    return { available: false, reason: result.ortMissingReason, kernels: result.kernels };
  }
  return { available: true, kernels: result.kernels, ortVersion: result.ortVersion };
}

/** Whether onnxruntime-node's native binding loads here, and why not. */
export function probeFastKernels(): { available: boolean; reason?: string; ortVersion?: string } {
  const ort = loadOrtBinding();
  return ort.ok ? { available: true, ortVersion: ort.binding.version } : { available: false, reason: ort.reason };
}

export { batchNormTraining, channelAffine, type BatchNormTrainingResult } from './batch-norm-op';
export { missingInternals } from './tfjs-internals';
export { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter';
