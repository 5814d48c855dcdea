// Loads @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node when present. They are optional peers whose install
// script downloads libtensorflow, so they are required by name at run time, never imported: the project must
// compile and run without them.
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { findAnySharedLibrary, sharedLibraryCache } from './shared-libraries';

export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
export type TensorflowPackage = (typeof TENSORFLOW_PACKAGES)[number];

export type TensorflowLoad =
  | { loaded: true; packageName: TensorflowPackage; version: string; libtensorflow: string; gpu: boolean }
  | { loaded: false; why: string };

/** What NodeJSKernelBackend exposes that we read (tfjs-node's nodejs_kernel_backend.ts). */
interface NodeBackendShape {
  isUsingGpuDevice?: boolean;
  binding?: { TF_Version?: string };
}

/**
 * libtensorflow 2.9 (tfjs-node 4.x) is built against CUDA 11.2 and cuDNN 8: the sonames it dlopens.
 * Each entry lists the names that satisfy it, the exact one first.
 */
export const CUDA_LIBRARIES = {
  cudart: ['libcudart.so.11.0', 'libcudart.so.11'],
  cublas: ['libcublas.so.11'],
  cublasLt: ['libcublasLt.so.11'],
  cufft: ['libcufft.so.10'],
  curand: ['libcurand.so.10'],
  cusolver: ['libcusolver.so.11'],
  cusparse: ['libcusparse.so.11'],
  cudnn: ['libcudnn.so.8'],
} satisfies Record<string, string[]>;

/**
 * Requires the GPU package, then the CPU one, and initialises the `tensorflow` backend. Loading it makes
 * `tensorflow` the active backend (tfjs-node calls setBackend on import); setupBackend sets the final one.
 * `load` is injectable so tests can simulate an installed or broken package.
 */
export function loadTensorflow(load: (id: string) => unknown = require): TensorflowLoad {
  // Set before libtensorflow starts: cuDNN picks deterministic algorithms, and INFO chatter stays quiet.
  process.env.TF_DETERMINISTIC_OPS ??= '1';
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
  const failures: string[] = [];
  for (const packageName of TENSORFLOW_PACKAGES) {
    try {
      load(packageName);
    } catch (error) {
      failures.push(`${packageName} ${describeLoadError(packageName, error)}`);
      continue;
    }
    if (tf.findBackendFactory('tensorflow') === null) {
      failures.push(
        `${packageName} loaded but registered with another copy of @tensorflow/tfjs (run npm dedupe, or install 4.22.0)`,
      );
      continue;
    }
    const backend = tf.findBackend('tensorflow') as NodeBackendShape | null;
    if (backend === null) {
      failures.push(`${packageName} loaded but its backend failed to initialise`);
      continue;
    }
    const version = (load(`${packageName}/package.json`) as { version: string }).version;
    return {
      loaded: true,
      packageName,
      version,
      libtensorflow: backend.binding?.TF_Version ?? 'unknown',
      gpu: backend.isUsingGpuDevice === true,
    };
  }
  const absent = failures.every((f) => f.endsWith(' is not installed'));
  return {
    loaded: false,
    why: absent ? `${TENSORFLOW_PACKAGES.join(' and ')} are not installed` : failures.join('; '),
  };
}

function describeLoadError(packageName: string, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  if (code === 'MODULE_NOT_FOUND' && text.includes(`'${packageName}'`)) return 'is not installed';
  return `fails to load: ${text.split('\n')[0]}`;
}

/** Which of libtensorflow's CUDA/cuDNN libraries the dynamic loader would find, and what it found instead. */
export function cudaLibraryReport(
  cache: Map<string, string> = sharedLibraryCache(),
): Array<{ name: string; wanted: string; path: string | null; others: string[] }> {
  return Object.entries(CUDA_LIBRARIES).map(([name, sonames]) => {
    const hit = findAnySharedLibrary(sonames, cache);
    const stem = sonames[0].replace(/\.so\..*$/, '.so.');
    const others = [...cache.keys()].filter((soname) => soname.startsWith(stem) && !sonames.includes(soname));
    return { name, wanted: sonames[0], path: hit?.path ?? null, others };
  });
}

/** GPU names and driver from nvidia-smi, or [] when it is absent or sees no GPU. */
export function nvidiaGpus(): string[] {
  try {
    const text = execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], {
      encoding: 'utf8',
      timeout: 10000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => l.replace(/,\s*/, ' (driver ') + ')');
  } catch {
    return [];
  }
}
