// Loads the oneDNN addon (native/dnnl-kernels.cc: oneDNN convolutions, threaded batch-norm and ReLU-gradient loops, dense
// products in ORT's order) that `npm install` builds where a C++ compiler, Node's headers and libdnnl exist
// (native/build.js). Optional: without it the convolutions stay on ONNX Runtime.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The addon's exports. Float32Arrays are views of TF.js's buffers; outputs are written in place. */
export interface DnnlBinding {
  /** kind 0: out = conv(a = x, b = filter); 1: out = dx from (a = dy, b = filter); 2: out = dfilter from (a = x, b = dy). */
  conv(kind: 0 | 1 | 2, geometry: number[], a: Float32Array, b: Float32Array, out: Float32Array): void;
  /**
   * The plan cache (plans alive now, ever built, the bound, the oneDNN implementation of the latest one), and the calls
   * the own kernels served: backward data of one-input-channel convolutions, and dense products.
   */
  stats(): {
    alive: number;
    created: number;
    capacity: number;
    lastImpl: string;
    ownBackwardData: number;
    ownDenseProduct: number;
  };
  setCacheCapacity(plans: number): void;
  /** Training batch norm over the last axis (channels = gamma's length), as src/js-kernels/batch-norm.ts computes it. */
  batchNorm(
    epsilon: number,
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
  ): void;
  batchNormGrad(
    epsilon: number,
    dy: Float32Array,
    x: Float32Array,
    gamma: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    dx: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
  ): void;
  /** y = x·scale + shift per channel (the last axis). */
  channelAffine(x: Float32Array, scale: Float32Array, shift: Float32Array, y: Float32Array): void;
  /** y = x + bias per channel (the last axis; channels = bias's length). */
  channelAdd(x: Float32Array, bias: Float32Array, y: Float32Array): void;
  /** dx = dy · step(x) (ReLU's gradient), step as ONNX Runtime's Clip and Ceil give it. */
  reluGrad(dy: Float32Array, x: Float32Array, dx: Float32Array): void;
  /** MaxPoolGrad of 2×2 windows at stride 2; shape [batch, inHeight, inWidth, channels, outHeight, outWidth]. */
  pairPoolGrad(shape: number[], x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /**
   * out [m, n] = op(a)·op(b), shape [m, k, n, transA, transB, threads], in the order ORT's Gemm with that many threads
   * sums (dense-product.ts checks it per shape). false: nothing written (no AVX-512, or own kernels off).
   */
  denseProduct(shape: number[], a: Float32Array, b: Float32Array, out: Float32Array): boolean;
  clearCache(): void;
  /** false: every convolution on oneDNN and every product on ORT, none on the addon's own loops; default true. */
  setOwnKernels(on: boolean): void;
  dnnlVersion: string;
  cpuIsa: string;
}

export type DnnlLoad = { ok: true; binding: DnnlBinding } | { ok: false; reason: string };

/** Set to 1 to keep the convolutions on ONNX Runtime (and so test the fallback) even where the addon is built. */
export const DNNL_OFF_VARIABLE = 'SAT_BENCH_NO_DNNL';

/** The package root (this file runs from dist/src/). */
const PACKAGE_ROOT = path.resolve(__dirname, '../..');
const ADDON_PATH = path.join(PACKAGE_ROOT, 'build', 'Release', 'dnnl_kernels.node');
/** native/build.js writes why it did not build the addon here (it never fails the install). */
export const BUILD_STATUS_PATH = path.join(PACKAGE_ROOT, 'build', 'dnnl-build.json');

let loaded: DnnlLoad | undefined;

/** Requires the addon once (the env variable is read on every call); `load` is injectable for tests. */
export function loadDnnlBinding(load: (id: string) => unknown = require): DnnlLoad {
  if (process.env[DNNL_OFF_VARIABLE] === '1') {
    return {
      ok: false,
      reason: `${DNNL_OFF_VARIABLE}=1 turns the addon off (convolutions on onnxruntime, batch norm on typed arrays)`,
    };
  }
  if (load !== require) return tryLoad(load);
  loaded ??= tryLoad(load);
  return loaded;
}

function tryLoad(load: (id: string) => unknown): DnnlLoad {
  // libdnnl runs on OpenMP, which reads this when it loads. Spinning workers would steal the core TF.js runs its JS
  // passes on between kernels (ORT's pools are non-spinning for the same reason); OMP_WAIT_POLICY=active keeps it.
  process.env.OMP_WAIT_POLICY ??= 'passive';
  try {
    return { ok: true, binding: load(ADDON_PATH) as DnnlBinding };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const built = fs.existsSync(ADDON_PATH);
    return { ok: false, reason: built ? `the oneDNN addon does not load: ${text.split('\n')[0]}` : buildReason() };
  }
}

/** Why the install did not build the addon, as native/build.js recorded it. */
function buildReason(): string {
  try {
    const status = JSON.parse(fs.readFileSync(BUILD_STATUS_PATH, 'utf8')) as { reason?: string };
    if (status.reason) return `the oneDNN addon was not built: ${status.reason}`;
  } catch {
    // no record: the install script never ran (installed with --ignore-scripts, or not allowed to run)
  }
  const script = path.join(PACKAGE_ROOT, 'native', 'build.js');
  return `the oneDNN addon was not built (its build script did not run: node ${script})`;
}
