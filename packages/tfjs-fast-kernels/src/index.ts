// Fast CPU kernels: ONNX Runtime (through its synchronous native binding) and typed-array loops registered in
// place of TF.js's slow kernels on the `wasm` and `cpu` backends. Installed by one explicit call from cli setup.
import { install } from './install';
import { loadOrtBinding } from './ort-binding';

export interface FastKernelReport { available: boolean; reason?: string; kernels: string[]; ortVersion?: string }

/**
 * Idempotent; registers the fast kernels for that TF.js backend, falling back to the original kernel for unhandled
 * cases. Never throws when onnxruntime-node is missing: returns available:false with a one-line reason (the
 * typed-array kernels, which need no native code, are still installed and listed in `kernels`).
 */
export function installFastKernels(backendName: 'wasm' | 'cpu'): FastKernelReport {
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

export { batchNormTraining, type BatchNormTrainingResult } from './batch-norm-op';
