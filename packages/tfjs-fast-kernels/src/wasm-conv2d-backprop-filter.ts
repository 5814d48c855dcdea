// Conv2DBackpropFilter for the `wasm` backend, which ships without one (tfjs-backend-wasm 4.22), so that
// convolutions can be trained on wasm. Built only from wasm's own kernels; the heavy lifting is one
// XNNPACK Conv2D, not a matmul:
//
//   dW[kh, kw, ci, co] = Σ_{b, oy, ox} xPad[b, kh + oy·sh, kw + ox·sw, ci] · dy[b, oy, ox, co]
//
// which is a stride-1 "valid" convolution with dilation (sh, sw) of the input xPadᵀ [Ci, Hp, Wp, B] by the
// filter dyᵀ [OH, OW, B, Co], giving [Ci, KH, KW, Co]. Measured on 2 cores against the alternatives built
// from the same kernels: im2col + BatchMatMul(transposeA) was 7–9× slower (wasm's transposed matmul is slow).
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

const KERNEL = 'Conv2DBackpropFilter';
const BACKEND = 'wasm';

type Shape4 = [number, number, number, number];

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: Shape4;
}

/** Runs another wasm kernel by name; the caller disposes what it returns unless it is the result. */
function runWasm(name: string, backend: KernelBackend, inputs: Record<string, TensorInfo>, attrs: object): TensorInfo {
  const kernel = tf.getKernel(name, BACKEND);
  if (kernel === undefined) throw new Error(`wasm ${KERNEL}: needs wasm kernel "${name}", which is not registered.`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

const wasmConv2DBackpropFilter: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as KernelBackend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as FilterGradAttrs;
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo): TensorInfo => (temporaries.push(t), t);
  try {
    // NCHW is rare on wasm (its Conv2D is NHWC-only); transposing once keeps one code path.
    const channelsFirst = dataFormat === 'NCHW';
    const xNhwc = channelsFirst ? keep(runWasm('Transpose', backend, { x }, { perm: [0, 2, 3, 1] })) : x;
    const dyNhwc = channelsFirst ? keep(runWasm('Transpose', backend, { x: dy }, { perm: [0, 2, 3, 1] })) : dy;
    const info = tf.backend_util.computeConv2DInfo(
      xNhwc.shape as Shape4,
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
    const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;

    // Rows kh + oy·sh for kh < KH, oy < OH: the padded input needs exactly this extent, no more.
    const paddedHeight = filterHeight + (outHeight - 1) * strideHeight;
    const paddedWidth = filterWidth + (outWidth - 1) * strideWidth;
    const bottom = paddedHeight - inHeight - padInfo.top;
    const right = paddedWidth - inWidth - padInfo.left;
    let xPad = xNhwc;
    if (padInfo.top > 0 || padInfo.left > 0 || bottom > 0 || right > 0) {
      const paddings = [
        [0, 0],
        [padInfo.top, Math.max(0, bottom)],
        [padInfo.left, Math.max(0, right)],
        [0, 0],
      ];
      xPad = keep(runWasm('PadV2', backend, { x: xPad }, { paddings, constantValue: 0 }));
    }
    // "valid" with a stride that does not divide the input leaves trailing rows no output reads.
    if (bottom < 0 || right < 0) {
      const size = [batchSize, paddedHeight, paddedWidth, inChannels];
      xPad = keep(runWasm('Slice', backend, { x: xPad }, { begin: [0, 0, 0, 0], size }));
    }
    const input = keep(runWasm('Transpose', backend, { x: xPad }, { perm: [3, 1, 2, 0] })); // [Ci, Hp, Wp, B]
    const filter = keep(runWasm('Transpose', backend, { x: dyNhwc }, { perm: [1, 2, 0, 3] })); // [OH, OW, B, Co]
    const grad = keep(
      runWasm(
        'Conv2D',
        backend,
        { x: input, filter },
        {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [strideHeight, strideWidth],
          dimRoundingMode: undefined,
        },
      ),
    ); // [Ci, KH, KW, Co]
    return runWasm('Transpose', backend, { x: grad }, { perm: [1, 2, 0, 3] }); // [KH, KW, Ci, Co]
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
};

/**
 * Registers the kernel unless `wasm` already has a Conv2DBackpropFilter (ours, or another that was registered
 * first); returns whether it registered. Call it before installing the fast kernels, which then keep ours as the
 * fallback for the cases they do not handle.
 */
export function registerWasmConv2DBackpropFilter(): boolean {
  if (tf.getKernel(KERNEL, BACKEND) !== undefined) return false;
  tf.registerKernel({ kernelName: KERNEL, backendName: BACKEND, kernelFunc: wasmConv2DBackpropFilter });
  return true;
}
