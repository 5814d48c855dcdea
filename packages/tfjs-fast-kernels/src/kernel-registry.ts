import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { accessFor, type TensorAccess } from './tensor-access';

export type FastBackendName = 'wasm' | 'cpu';

/** What a fast kernel gets: TF.js's inputs and attributes, plus raw access to the backend's buffers. */
export interface FastKernelArgs {
  inputs: Record<string, TensorInfo | undefined>;
  attrs: NamedAttrMap;
  access: TensorAccess;
}

/** Returns the output(s), or null to hand this call to the original kernel (an unhandled case). */
export type FastKernelRun = (args: FastKernelArgs) => TensorInfo | TensorInfo[] | null;

export interface FastKernel {
  kernelName: string;
  run: FastKernelRun;
  /** Backends it pays off on (default both): wasm's own kernels are sometimes faster than a JS loop. */
  backends?: FastBackendName[];
}

/** Our kernelFunc carries the config it replaced, so install is idempotent and uninstall can restore it. */
interface MarkedKernelFunc extends KernelFunc {
  fastOriginal?: KernelConfig | null;
  fastOwner?: object;
  fastCounts?: FastCallCounts;
}

/**
 * How often a replaced kernel ran fast, fell back (a case it does not handle) or failed (ORT threw; the original
 * kernel then ran). Tests use it to prove the fast path ran.
 */
export interface FastCallCounts {
  fast: number;
  fallback: number;
  failed: number;
}

function registered(kernelName: string, backendName: string): KernelConfig | undefined {
  return tf.getKernel(kernelName, backendName);
}

/** True when `kernelName` on that backend is already one of ours. */
export function isFastKernel(kernelName: string, backendName: FastBackendName): boolean {
  const current = registered(kernelName, backendName);
  return (current?.kernelFunc as MarkedKernelFunc | undefined)?.fastOriginal !== undefined;
}

/**
 * Replaces the registered kernel with `fast`, keeping the original config to fall back to. The original's
 * setupFunc/disposeFunc move over, so a backend initialised later still sets the original up. When there is no
 * original (wasm has no Conv2DBackpropFilter), unhandled cases throw a message naming the kernel.
 */
export function replaceKernel(fast: FastKernel, backendName: FastBackendName, owner: object): boolean {
  if (fast.backends && !fast.backends.includes(backendName)) return false;
  if (isFastKernel(fast.kernelName, backendName)) return false;
  const original = registered(fast.kernelName, backendName) ?? null;
  const fallback = original?.kernelFunc ?? missingKernel(fast.kernelName, backendName);
  const counts: FastCallCounts = { fast: 0, fallback: 0, failed: 0 };
  const kernelFunc: MarkedKernelFunc = (args) => {
    const { inputs, attrs = {}, backend } = args;
    let result: ReturnType<FastKernelRun>;
    try {
      result = fast.run({
        inputs: inputs as FastKernelArgs['inputs'],
        attrs,
        access: accessFor(backendName, backend as KernelBackend),
      });
    } catch (error) {
      // A training run should not die on an ORT corner case the tests missed: say so once, use TF.js's kernel.
      if (counts.failed++ === 0 && original) {
        console.warn(
          `sat-bench: fast ${fast.kernelName} kernel failed (${(error as Error).message.split('\n')[0]}); TF.js's own kernel runs such calls instead.`,
        );
      }
      if (!original) throw error;
      return fallback(args);
    }
    if (result) {
      counts.fast++;
      return result;
    }
    counts.fallback++;
    return fallback(args);
  };
  kernelFunc.fastOriginal = original;
  kernelFunc.fastOwner = owner;
  kernelFunc.fastCounts = counts;
  if (original) tf.unregisterKernel(fast.kernelName, backendName);
  tf.registerKernel({
    kernelName: fast.kernelName,
    backendName,
    kernelFunc,
    setupFunc: original?.setupFunc,
    disposeFunc: original?.disposeFunc,
  });
  return true;
}

/** Puts the original kernel back (or removes ours if there was none). Returns the owner it was installed with. */
export function restoreKernel(kernelName: string, backendName: FastBackendName): object | undefined {
  const current = registered(kernelName, backendName);
  const marked = current?.kernelFunc as MarkedKernelFunc | undefined;
  if (marked?.fastOriginal === undefined) return undefined;
  tf.unregisterKernel(kernelName, backendName);
  if (marked.fastOriginal) tf.registerKernel(marked.fastOriginal);
  return marked.fastOwner;
}

/** The kernel config ours replaced (null when the backend had none), for tests comparing against it. */
export function originalKernel(kernelName: string, backendName: FastBackendName): KernelConfig | null | undefined {
  return (registered(kernelName, backendName)?.kernelFunc as MarkedKernelFunc | undefined)?.fastOriginal;
}

/** The owner our kernel for `kernelName` was installed with (the ORT kernels' session pools). */
export function kernelOwner(kernelName: string, backendName: FastBackendName): object | undefined {
  return (registered(kernelName, backendName)?.kernelFunc as MarkedKernelFunc | undefined)?.fastOwner;
}

/** Call counts of our kernel for `kernelName` on that backend, or undefined when it is not installed. */
export function fastCallCounts(kernelName: string, backendName: FastBackendName): FastCallCounts | undefined {
  return (registered(kernelName, backendName)?.kernelFunc as MarkedKernelFunc | undefined)?.fastCounts;
}

function missingKernel(kernelName: string, backendName: string): KernelFunc {
  return () => {
    throw new Error(
      `${kernelName} on ${backendName}: the fast kernel does not handle this case and the backend has no kernel of its own. ` +
        'Register a fallback kernel before installFastKernels, or use the cpu backend.',
    );
  };
}
