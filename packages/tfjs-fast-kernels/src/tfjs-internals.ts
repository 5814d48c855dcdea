// Every private TF.js field this package reads, in one place. The fast kernels read and write tensor buffers in
// place, which TF.js's public API does not offer; these fields are what 4.22 has (see package.json's pin). When an
// upgrade moves one, `missingInternals` names it, test/tfjs-internals.test.ts fails with that name, and
// installFastKernels refuses to install instead of corrupting tensors.
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';

/** The dtypes fast kernels read and write directly: float32 and int32 as such, bool as one byte per element. */
export type FastDtype = 'float32' | 'int32' | 'bool';
export type FastArray = Float32Array | Int32Array | Uint8Array;

/** Reference counting shared by both backends (MathBackendCPU and BackendWasm). */
export interface BackendInternals {
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

/** MathBackendCPU: `data` maps a dataId to its JS typed array; makeTensorInfo adopts an array as a tensor. */
export interface CpuInternals extends BackendInternals {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: FastDtype, values?: FastArray): TensorInfo;
}

/** BackendWasm: `dataIdMap` gives a tensor's byte offset in the wasm heap; makeOutput allocates there. */
export interface WasmInternals extends BackendInternals {
  dataIdMap: { get(dataId: object): { memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: FastDtype): TensorInfo;
  wasm: { HEAPU8: Uint8Array };
}

/** Each field as `path: expected type`, checked against a live backend. */
const REQUIRED: Record<'cpu' | 'wasm', Array<[string, 'function' | 'object']>> = {
  cpu: [
    ['disposeData', 'function'],
    ['incRef', 'function'],
    ['data', 'object'],
    ['data.get', 'function'],
    ['makeTensorInfo', 'function'],
  ],
  wasm: [
    ['disposeData', 'function'],
    ['incRef', 'function'],
    ['dataIdMap', 'object'],
    ['dataIdMap.get', 'function'],
    ['makeOutput', 'function'],
    ['wasm', 'object'],
    ['wasm.HEAPU8', 'object'],
  ],
};

function lookup(root: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value == null ? undefined : (value as Record<string, unknown>)[key]), root);
}

/** The private fields this package needs that `backend` lacks, each as "MathBackendCPU.data.get (function)". */
export function missingInternals(backendName: 'cpu' | 'wasm', backend: KernelBackend): string[] {
  const className = backendName === 'cpu' ? 'MathBackendCPU' : 'BackendWasm';
  return REQUIRED[backendName]
    .filter(([path, type]) => typeof lookup(backend, path) !== type)
    .map(([path, type]) => `${className}.${path} (${type})`);
}

export function cpuInternals(backend: KernelBackend): CpuInternals {
  return backend as unknown as CpuInternals;
}

export function wasmInternals(backend: KernelBackend): WasmInternals {
  return backend as unknown as WasmInternals;
}
