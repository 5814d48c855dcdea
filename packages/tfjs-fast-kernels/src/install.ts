import * as tf from '@tensorflow/tfjs';
import {
  isFastKernel,
  kernelOwner,
  replaceKernel,
  restoreKernel,
  type FastBackendName,
  type FastKernel,
} from './kernel-registry';
import { loadDnnlBinding, type DnnlBinding } from './dnnl-binding';
import {
  nativeBatchNormTrainingGradKernel,
  nativeBatchNormTrainingKernel,
  nativeChannelAffineKernel,
} from './dnnl-kernels/batch-norm';
import { nativeChannelAddKernel } from './dnnl-kernels/channel-add';
import { OwnDenseProduct } from './dnnl-kernels/dense-product';
import { dnnlConv2dBackpropFilterKernel, dnnlConv2dBackpropInputKernel, dnnlConv2dKernel } from './dnnl-kernels/conv';
import { nativeMaxPoolGradKernel } from './dnnl-kernels/max-pool-grad';
import { nativeReluGradKernel } from './dnnl-kernels/relu-grad';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from './js-kernels/batch-norm';
import { CHANNEL_AFFINE } from './js-kernels/channel-affine';
import { loadOrtBinding } from './ort-binding';
import { batchMatMulKernel } from './ort-kernels/batch-mat-mul';
import { conv2dKernel } from './ort-kernels/conv2d';
import { conv2dBackpropFilterKernel } from './ort-kernels/conv2d-backprop-filter';
import { conv2dBackpropInputKernel } from './ort-kernels/conv2d-backprop-input';
import { elementwiseKernel } from './ort-kernels/elementwise';
import { ELEMENTWISE_KERNEL_NAMES, ELEMENTWISE_OPS, type ElementwiseSpec } from './ort-kernels/elementwise-ops';
import { reductionKernel } from './ort-kernels/reduce';
import { OrtSessions } from './ort-sessions';
import { TYPED_ARRAY_KERNELS } from './js-kernels';
import { registerBatchNormGradients } from './batch-norm-op';
import { RELU_GRAD, registerReluGradient } from './relu-gradient';
import { missingInternals } from './tfjs-internals';

/** An ORT-backed kernel: where it is installed, and how to build it against one installation's session pools. */
interface OrtKernelEntry {
  kernelName: string;
  /** Default both; wasm keeps its own kernels for cheap arithmetic (see elementwise-ops.ts). */
  backends?: FastBackendName[];
  /** `dnnl`: the addon, where it loaded (BatchMatMul runs verified shapes on its own loop). */
  build(sessions: OrtSessions, dnnl?: DnnlBinding): FastKernel;
}

const ORT_KERNELS: OrtKernelEntry[] = [
  { kernelName: 'Conv2D', build: (s) => conv2dKernel(s) },
  { kernelName: 'Conv2DBackpropInput', build: (s) => conv2dBackpropInputKernel(s) },
  { kernelName: 'Conv2DBackpropFilter', build: (s) => conv2dBackpropFilterKernel(s.compute) },
  {
    kernelName: 'BatchMatMul',
    build: (s, dnnl) => batchMatMulKernel(s.compute, dnnl && new OwnDenseProduct(dnnl, s.compute.threads)),
  },
  { kernelName: 'Sum', build: (s) => reductionKernel('Sum', s.memoryBound) },
  { kernelName: 'Mean', build: (s) => reductionKernel('Mean', s.memoryBound) },
  ...ELEMENTWISE_KERNEL_NAMES.map((name) => ({
    kernelName: name,
    backends: (ELEMENTWISE_OPS[name] as ElementwiseSpec).backends,
    build: (s: OrtSessions) => elementwiseKernel(name, s.memoryBound),
  })),
];

/**
 * The kernels the addon serves when it loads, in place of ORT's and the typed-array ones: the convolutions on oneDNN,
 * training batch norm, the channel affine map, ReLU's gradient, the 2×2 max-pool gradient and the per-channel bias
 * add as its threaded loops (the affine map on cpu only, the bias add on wasm only).
 */
const NATIVE_KERNELS: Array<{
  kernelName: string;
  provider: 'onednn' | 'native-loops';
  backends?: FastBackendName[];
  build(dnnl: DnnlBinding): FastKernel;
}> = [
  { kernelName: 'Conv2D', provider: 'onednn', build: dnnlConv2dKernel },
  { kernelName: 'Conv2DBackpropInput', provider: 'onednn', build: dnnlConv2dBackpropInputKernel },
  { kernelName: 'Conv2DBackpropFilter', provider: 'onednn', build: dnnlConv2dBackpropFilterKernel },
  { kernelName: BATCH_NORM_TRAINING, provider: 'native-loops', build: nativeBatchNormTrainingKernel },
  { kernelName: BATCH_NORM_TRAINING_GRAD, provider: 'native-loops', build: nativeBatchNormTrainingGradKernel },
  { kernelName: CHANNEL_AFFINE, provider: 'native-loops', backends: ['cpu'], build: nativeChannelAffineKernel },
  { kernelName: RELU_GRAD, provider: 'native-loops', build: nativeReluGradKernel },
  { kernelName: 'MaxPoolGrad', provider: 'native-loops', build: nativeMaxPoolGradKernel },
  // On cpu, Add stays on ORT (which serves every broadcast); on wasm the bias adds leave its broadcasting loop.
  { kernelName: 'Add', provider: 'native-loops', backends: ['wasm'], build: nativeChannelAddKernel },
];

function nativeEntries(backendName: FastBackendName) {
  return NATIVE_KERNELS.filter((k) => (k.backends ?? [backendName]).includes(backendName));
}

/** What a kernel the fast path installs runs on: named by the install report, `doctor` and the backend label. */
export type KernelProvider = 'onednn' | 'native-loops' | 'onnxruntime' | 'typed-array';

/** The owner the oneDNN kernels are installed with, so providers() and uninstall can tell them apart. */
class DnnlOwner {
  constructor(readonly binding: DnnlBinding) {}
}

function ortEntries(backendName: FastBackendName, servedElsewhere: readonly string[] = []): OrtKernelEntry[] {
  return ORT_KERNELS.filter(
    (k) => (k.backends ?? [backendName]).includes(backendName) && !servedElsewhere.includes(k.kernelName),
  );
}

/** Kernel names ORT serves on that backend when its binding loads. */
export function ortKernelNames(backendName: FastBackendName): string[] {
  return ortEntries(backendName).map((k) => k.kernelName);
}

export interface InstallResult {
  ortVersion?: string;
  /** Why the ORT kernels are not installed (the typed-array kernels are installed regardless). */
  ortMissingReason?: string;
  /** oneDNN's version when the addon serves the convolutions. */
  dnnlVersion?: string;
  /** Why the convolutions are not on oneDNN (addon not built, or turned off). */
  dnnlMissingReason?: string;
  kernels: string[];
  /** What each installed kernel runs on, as installed now (an earlier installation is kept). */
  providers: Record<string, KernelProvider>;
}

/**
 * Registers the oneDNN convolutions (when the addon loads), the ORT kernels (when the binding loads) for the rest,
 * and the typed-array kernels; already-installed ones are kept.
 */
export function install(backendName: FastBackendName): InstallResult {
  assertInternals(backendName);
  const ort = loadOrtBinding();
  const dnnl = loadDnnlBinding();
  const dnnlNames = dnnl.ok ? nativeEntries(backendName).map((k) => k.kernelName) : [];
  const ortNames = ort.ok ? ortKernelNames(backendName).filter((name) => !dnnlNames.includes(name)) : [];
  const typedKernels = TYPED_ARRAY_KERNELS.filter(
    (k) =>
      !ortNames.includes(k.kernelName) &&
      !dnnlNames.includes(k.kernelName) &&
      (k.backends ?? [backendName]).includes(backendName),
  );
  for (const kernel of typedKernels) replaceKernel(kernel, backendName, TYPED_ARRAY_KERNELS);
  registerBatchNormGradients();
  if (dnnl.ok) {
    registerReluGradient();
    const owner = new DnnlOwner(dnnl.binding);
    for (const entry of nativeEntries(backendName)) replaceKernel(entry.build(dnnl.binding), backendName, owner);
  }
  if (ort.ok && ortNames.some((name) => !isFastKernel(name, backendName))) {
    // One set of session pools per installation; uninstall disposes it through the kernels that own it.
    const sessions = new OrtSessions(ort.binding);
    const addon = dnnl.ok ? dnnl.binding : undefined;
    for (const entry of ortEntries(backendName, dnnlNames))
      replaceKernel(entry.build(sessions, addon), backendName, sessions);
  }
  const kernels = [...dnnlNames, ...ortNames, ...typedKernels.map((k) => k.kernelName)];
  return {
    ...(ort.ok ? { ortVersion: ort.binding.version } : { ortMissingReason: ort.reason }),
    ...(dnnl.ok ? { dnnlVersion: dnnl.binding.dnnlVersion } : { dnnlMissingReason: dnnl.reason }),
    kernels,
    providers: providers(backendName, kernels),
  };
}

/**
 * What install would put on each kernel with these natives loading, without registering anything (doctor's
 * lines): the convolutions on oneDNN first, ORT for the rest of its kernels, typed arrays for what is left.
 */
export function plannedProviders(
  backendName: FastBackendName,
  loads: { ort: boolean; dnnl: boolean },
): Record<string, KernelProvider> {
  const result: Record<string, KernelProvider> = {};
  if (loads.dnnl) for (const k of nativeEntries(backendName)) result[k.kernelName] = k.provider;
  if (loads.ort) for (const name of ortKernelNames(backendName)) result[name] ??= 'onnxruntime';
  for (const k of TYPED_ARRAY_KERNELS)
    if ((k.backends ?? [backendName]).includes(backendName)) result[k.kernelName] ??= 'typed-array';
  return result;
}

/** The provider of each of `kernelNames` as registered on that backend now (absent when not ours). */
export function providers(
  backendName: FastBackendName,
  kernelNames: readonly string[],
): Record<string, KernelProvider> {
  const result: Record<string, KernelProvider> = {};
  for (const name of kernelNames) {
    const owner = kernelOwner(name, backendName);
    const native = NATIVE_KERNELS.find((k) => k.kernelName === name);
    if (owner instanceof DnnlOwner && native) result[name] = native.provider;
    else if (owner instanceof OrtSessions) result[name] = 'onnxruntime';
    else if (owner === TYPED_ARRAY_KERNELS) result[name] = 'typed-array';
  }
  return result;
}

/** Refuses loudly, naming each field, when this TF.js lacks a private field the kernels read or write. */
function assertInternals(backendName: FastBackendName): void {
  const backend = tf.findBackend(backendName);
  const missing = backend ? missingInternals(backendName, backend) : [];
  if (missing.length > 0) {
    throw new Error(
      `tfjs-fast-kernels: TF.js ${tf.version_core} lacks private fields the fast kernels use: ${missing.join(', ')}. ` +
        'This package supports @tensorflow/tfjs 4.22.0: pin that version, or update src/tfjs-internals.ts.',
    );
  }
}

/** Restores the backend's original kernels and disposes the ORT sessions (tests, and switching engines). */
export function uninstall(backendName: FastBackendName): void {
  const owners = new Set<object>();
  const names = new Set([
    ...NATIVE_KERNELS.map((k) => k.kernelName),
    ...ortKernelNames(backendName),
    ...TYPED_ARRAY_KERNELS.map((k) => k.kernelName),
  ]);
  for (const name of names) {
    const owner = restoreKernel(name, backendName);
    if (owner) owners.add(owner);
  }
  for (const owner of owners) if (owner instanceof OrtSessions) owner.dispose();
}

/** Live and ever-created ORT sessions of the installation on that backend (tests check they stay bounded). */
export function ortSessionStats(backendName: FastBackendName): { alive: number; created: number } | undefined {
  for (const name of ortKernelNames(backendName)) {
    const owner = kernelOwner(name, backendName);
    if (owner instanceof OrtSessions) return owner.stats();
  }
  return undefined;
}
