import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import {
  cpuInternals,
  wasmInternals,
  type BackendInternals,
  type CpuInternals,
  type FastArray,
  type FastDtype,
  type WasmInternals,
} from './tfjs-internals';

/**
 * Raw views of TF.js tensors on the `cpu` backend (JS typed arrays) and the `wasm` backend (its heap),
 * so kernels can read inputs and write outputs in place without readSync copies.
 *
 * On wasm, allocating may grow the heap and detach earlier views: allocate every output first, then take views.
 */
export interface TensorAccess {
  /** An output tensor of that shape and dtype, zero-filled on cpu, uninitialised on wasm. */
  allocate(shape: readonly number[], dtype?: FastDtype): TensorInfo;
  /** A view of a float32, int32 or bool tensor's data, or null when it is another dtype or held some other way. */
  view(info: TensorInfo): FastArray | null;
  /** Frees an output allocated here that will not be returned. */
  release(info: TensorInfo): void;
  /** A new handle on the same data (tensors are immutable, so a copy is never needed), of any dtype. */
  share(info: TensorInfo, shape?: readonly number[]): TensorInfo;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function shareData(backend: BackendInternals, info: TensorInfo, shape: readonly number[] = info.shape): TensorInfo {
  backend.incRef(info.dataId);
  return { dataId: info.dataId, shape: [...shape], dtype: info.dtype };
}

/** The typed array a FastDtype is held in (bool: one byte per element), or null for other dtypes. */
function arrayType(dtype: string) {
  return dtype === 'float32' ? Float32Array : dtype === 'int32' ? Int32Array : dtype === 'bool' ? Uint8Array : null;
}

/** Whether fast kernels can allocate and view tensors of `dtype` (not string or complex64). */
export function isFastDtype(dtype: string): dtype is FastDtype {
  return arrayType(dtype) !== null;
}

function cpuAccess(backend: CpuInternals): TensorAccess {
  return {
    allocate: (shape, dtype = 'float32') =>
      backend.makeTensorInfo([...shape], dtype, new (arrayType(dtype)!)(sizeOf(shape))),
    view: (info) => {
      const values = backend.data.get(info.dataId)?.values;
      const expected = arrayType(info.dtype);
      return expected && values instanceof expected && values.length === sizeOf(info.shape) ? values : null;
    },
    release: (info) => void backend.disposeData(info.dataId, true),
    share: (info, shape) => shareData(backend, info, shape),
  };
}

function wasmAccess(backend: WasmInternals): TensorAccess {
  return {
    allocate: (shape, dtype = 'float32') => backend.makeOutput([...shape], dtype),
    view: (info) => {
      const type = arrayType(info.dtype);
      const offset = backend.dataIdMap.get(info.dataId)?.memoryOffset;
      if (type === null || offset == null) return null;
      return new type(backend.wasm.HEAPU8.buffer as ArrayBuffer, offset, sizeOf(info.shape));
    },
    release: (info) => void backend.disposeData(info.dataId, true),
    share: (info, shape) => shareData(backend, info, shape),
  };
}

/** The accessor for a backend instance, chosen by the backend's registered name. */
export function accessFor(backendName: 'wasm' | 'cpu', backend: KernelBackend): TensorAccess {
  return backendName === 'wasm' ? wasmAccess(wasmInternals(backend)) : cpuAccess(cpuInternals(backend));
}

/**
 * The usual kernel body: check the input dtypes (float32 unless `inputDtypes` says bool), allocate the outputs,
 * then take every view (after all allocations, since a wasm heap growth detaches older views) and compute.
 * Null means "fall back"; any output allocated by then is released.
 */
export function computeWithViews<I extends FastArray[] = Float32Array[], O extends FastArray[] = Float32Array[]>(
  access: TensorAccess,
  inputs: readonly TensorInfo[],
  outputs: ReadonlyArray<readonly number[] | { shape: readonly number[]; dtype: FastDtype }>,
  compute: (inputViews: I, outputViews: O) => void,
  inputDtypes: readonly FastDtype[] = inputs.map(() => 'float32'),
): TensorInfo[] | null {
  if (inputs.some((t, i) => t.dtype !== inputDtypes[i])) return null;
  const allocated = outputs.map((o) =>
    'dtype' in o ? access.allocate(o.shape, o.dtype) : access.allocate(o as readonly number[]),
  );
  const views: FastArray[] = [];
  for (const info of [...inputs, ...allocated]) {
    const view = access.view(info);
    if (view === null) {
      allocated.forEach((out) => access.release(out));
      return null;
    }
    views.push(view);
  }
  try {
    compute(views.slice(0, inputs.length) as I, views.slice(inputs.length) as O);
  } catch (error) {
    allocated.forEach((out) => access.release(out));
    throw error;
  }
  return allocated;
}
