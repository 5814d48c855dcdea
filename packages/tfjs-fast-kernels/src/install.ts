import * as tf from '@tensorflow/tfjs';
import {
  isFastKernel,
  kernelOwner,
  replaceKernel,
  restoreKernel,
  type FastBackendName,
  type FastKernel,
} from './kernel-registry';
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
import { missingInternals } from './tfjs-internals';

/** An ORT-backed kernel: where it is installed, and how to build it against one installation's session pools. */
interface OrtKernelEntry {
  kernelName: string;
  /** Default both; wasm keeps its own kernels for cheap arithmetic (see elementwise-ops.ts). */
  backends?: FastBackendName[];
  build(sessions: OrtSessions): FastKernel;
}

const ORT_KERNELS: OrtKernelEntry[] = [
  { kernelName: 'Conv2D', build: (s) => conv2dKernel(s) },
  { kernelName: 'Conv2DBackpropInput', build: (s) => conv2dBackpropInputKernel(s) },
  { kernelName: 'Conv2DBackpropFilter', build: (s) => conv2dBackpropFilterKernel(s.compute) },
  { kernelName: 'BatchMatMul', build: (s) => batchMatMulKernel(s.compute) },
  { kernelName: 'Sum', build: (s) => reductionKernel('Sum', s.memoryBound) },
  { kernelName: 'Mean', build: (s) => reductionKernel('Mean', s.memoryBound) },
  ...ELEMENTWISE_KERNEL_NAMES.map((name) => ({
    kernelName: name,
    backends: (ELEMENTWISE_OPS[name] as ElementwiseSpec).backends,
    build: (s: OrtSessions) => elementwiseKernel(name, s.memoryBound),
  })),
];

function ortEntries(backendName: FastBackendName): OrtKernelEntry[] {
  return ORT_KERNELS.filter((k) => (k.backends ?? [backendName]).includes(backendName));
}

/** Kernel names ORT serves on that backend when its binding loads. */
export function ortKernelNames(backendName: FastBackendName): string[] {
  return ortEntries(backendName).map((k) => k.kernelName);
}

export interface InstallResult {
  ortVersion?: string;
  /** Why the ORT kernels are not installed (the typed-array kernels are installed regardless). */
  ortMissingReason?: string;
  kernels: string[];
}

/** Registers the ORT kernels (when the binding loads) and the typed-array kernels; already-installed ones are kept. */
export function install(backendName: FastBackendName): InstallResult {
  assertInternals(backendName);
  const ort = loadOrtBinding();
  const ortNames = ort.ok ? ortKernelNames(backendName) : [];
  const typedKernels = TYPED_ARRAY_KERNELS.filter(
    (k) => !ortNames.includes(k.kernelName) && (k.backends ?? [backendName]).includes(backendName),
  );
  for (const kernel of typedKernels) replaceKernel(kernel, backendName, TYPED_ARRAY_KERNELS);
  registerBatchNormGradients();
  const typed = typedKernels.map((k) => k.kernelName);
  if (!ort.ok) return { ortMissingReason: ort.reason, kernels: typed };
  if (ortNames.some((name) => !isFastKernel(name, backendName))) {
    // One set of session pools per installation; uninstall disposes it through the kernels that own it.
    const sessions = new OrtSessions(ort.binding);
    for (const entry of ortEntries(backendName)) replaceKernel(entry.build(sessions), backendName, sessions);
  }
  return { ortVersion: ort.binding.version, kernels: [...ortNames, ...typed] };
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
  const names = new Set([...ortKernelNames(backendName), ...TYPED_ARRAY_KERNELS.map((k) => k.kernelName)]);
  for (const name of names) {
    const owner = restoreKernel(name, backendName);
    if (owner) owners.add(owner);
  }
  for (const owner of owners) if (owner instanceof OrtSessions) owner.dispose();
}

/** Live and ever-created ORT sessions of the installation on that backend (tests check they stay bounded). */
export function ortSessionStats(backendName: FastBackendName): { alive: number; created: number } | undefined {
  const owner = kernelOwner('Conv2D', backendName);
  return owner instanceof OrtSessions ? owner.stats() : undefined;
}
