// Fast CPU kernels for TF.js 4.22's `wasm` and `cpu` backends: ONNX Runtime (through its synchronous native binding)
// and typed-array loops registered in place of TF.js's slow kernels, plus the Conv2DBackpropFilter wasm lacks and a
// fused training-mode batch norm; the convolutions on oneDNN instead where its addon was built at install time.
// One explicit call installs them: installFastKernels(backendName).
import { loadDnnlBinding } from './dnnl-binding';
import { install, plannedProviders, type KernelProvider } from './install';
import { loadOrtBinding } from './ort-binding';
import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter';

export interface FastKernelReport {
  available: boolean;
  reason?: string;
  kernels: string[];
  ortVersion?: string;
  /** What each installed kernel runs on: 'onednn', 'onnxruntime' or 'typed-array'. */
  providers: Record<string, KernelProvider>;
  /** oneDNN's version when the addon serves the convolutions; else why not, in dnnlReason. */
  dnnlVersion?: string;
  dnnlReason?: string;
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
  const common = {
    kernels: result.kernels,
    providers: result.providers,
    ...(result.dnnlVersion ? { dnnlVersion: result.dnnlVersion } : { dnnlReason: result.dnnlMissingReason }),
  };
  if (result.ortMissingReason !== undefined) return { available: false, reason: result.ortMissingReason, ...common };
  return { available: true, ortVersion: result.ortVersion, ...common };
}

export interface FastKernelProbe {
  /** Whether onnxruntime-node's native binding loads here (the fast path needs it), and why not. */
  available: boolean;
  reason?: string;
  ortVersion?: string;
  /** The oneDNN addon: its oneDNN version and the CPU instructions it uses, or why it does not load. */
  dnnl: { available: true; version: string; isa: string } | { available: false; reason: string };
  /** What each kernel would run on, per backend, were the fast kernels installed now. */
  providers: Record<'cpu' | 'wasm', Record<string, KernelProvider>>;
}

export function probeFastKernels(): FastKernelProbe {
  const ort = loadOrtBinding();
  const loaded = loadDnnlBinding();
  const dnnl: FastKernelProbe['dnnl'] = loaded.ok
    ? { available: true, version: loaded.binding.dnnlVersion, isa: loaded.binding.cpuIsa }
    : { available: false, reason: loaded.reason };
  const loads = { ort: ort.ok, dnnl: loaded.ok };
  const providers = { cpu: plannedProviders('cpu', loads), wasm: plannedProviders('wasm', loads) };
  return ort.ok
    ? { available: true, ortVersion: ort.binding.version, dnnl, providers }
    : { available: false, reason: ort.reason, dnnl, providers };
}

export { batchNormTraining, channelAffine, type BatchNormTrainingResult } from './batch-norm-op';
export { DNNL_OFF_VARIABLE } from './dnnl-binding';
export { reluGradient } from './relu-gradient';
export type { KernelProvider } from './install';
export { missingInternals } from './tfjs-internals';
export { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter';
