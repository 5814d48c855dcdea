// Kernels sat-bench replaces on TF.js's webgpu backend. The one place that reaches into tfjs-backend-webgpu's
// program interface (runWebGPUProgram, getX/getDy/setOutputAtIndex in the shader preamble), pinned to 4.22.
//
// MaxPoolGrad: tfjs-backend-webgpu 4.22 sends the gradient of a window whose maximum is tied to the LAST tied
// element (its shader compares with >=); the cpu backend, our CPU kernels and PyTorch send it to the FIRST. After a
// ReLU, ties at 0 are common, and with a smooth backward (Table 1's psoftplus rows) the element that receives the
// gradient changes the result: measured on SmallCNN-BN, input gradients differed by 19 % of their largest value.
import * as tf from '@tensorflow/tfjs';

interface WebgpuBackendLike {
  runWebGPUProgram(
    program: object,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms: Array<{ type: string; data: number[] }>,
  ): tf.TensorInfo;
}
interface WebgpuUtil {
  flatDispatchLayout(shape: number[]): { x: number[] };
  computeDispatch(
    layout: { x: number[] },
    shape: number[],
    workgroupSize: [number, number, number],
  ): [number, number, number];
}

/** dx of a 2-D max pool, the gradient going to the first maximum of each window in row-major order (as cpu). */
class FirstMaxPoolGradProgram {
  readonly variableNames = ['dy', 'x'];
  readonly uniforms =
    'strides : vec2<i32>, pads : vec2<i32>, filterDims : vec2<i32>, outHeight : i32, outWidth : i32, inHeight : i32, inWidth : i32';
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly size = true;
  readonly shaderKey = 'satBenchMaxPoolGradFirstMax';
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];

  constructor(
    readonly outputShape: number[],
    util: WebgpuUtil,
  ) {
    this.dispatchLayout = util.flatDispatchLayout(outputShape);
    this.dispatch = util.computeDispatch(this.dispatchLayout, outputShape, this.workgroupSize);
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index);
          let batch = coords[0];
          let xR = coords[1];
          let xC = coords[2];
          let d = coords[3];
          // The outputs whose window holds (xR, xC).
          let lowR = xR + uniforms.pads[0] - uniforms.filterDims[0] + 1;
          let lowC = xC + uniforms.pads[1] - uniforms.filterDims[1] + 1;
          let firstR = select(0, (lowR + uniforms.strides[0] - 1) / uniforms.strides[0], lowR > 0);
          let firstC = select(0, (lowC + uniforms.strides[1] - 1) / uniforms.strides[1], lowC > 0);
          let lastR = min(uniforms.outHeight - 1, (xR + uniforms.pads[0]) / uniforms.strides[0]);
          let lastC = min(uniforms.outWidth - 1, (xC + uniforms.pads[1]) / uniforms.strides[1]);
          var dx = 0.0;
          for (var yR = firstR; yR <= lastR; yR++) {
            let cornerR = yR * uniforms.strides[0] - uniforms.pads[0];
            for (var yC = firstC; yC <= lastC; yC++) {
              let cornerC = yC * uniforms.strides[1] - uniforms.pads[1];
              var best = 0.0;
              var found = false;
              var bestR = -1;
              var bestC = -1;
              for (var wR = 0; wR < uniforms.filterDims[0]; wR++) {
                let r = cornerR + wR;
                if (r < 0 || r >= uniforms.inHeight) { continue; }
                for (var wC = 0; wC < uniforms.filterDims[1]; wC++) {
                  let c = cornerC + wC;
                  if (c < 0 || c >= uniforms.inWidth) { continue; }
                  let value = getX(batch, r, c, d);
                  if (!found || value > best) {
                    best = value;
                    found = true;
                    bestR = r;
                    bestC = c;
                  }
                }
              }
              if (bestR == xR && bestC == xC) { dx += getDy(batch, yR, yC, d); }
            }
          }
          setOutputAtIndex(index, dx);
        }
      }
    `;
  }
}

function maxPoolGradFirstMax(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const util = (require('@tensorflow/tfjs-backend-webgpu') as { webgpu_util: WebgpuUtil }).webgpu_util;
  const program = new FirstMaxPoolGradProgram(info.inShape, util);
  const uniforms = [
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32', data: [info.filterHeight, info.filterWidth] },
    { type: 'int32', data: [info.outHeight] },
    { type: 'int32', data: [info.outWidth] },
    { type: 'int32', data: [info.inHeight] },
    { type: 'int32', data: [info.inWidth] },
  ];
  return (args.backend as WebgpuBackendLike).runWebGPUProgram(program, [dy, input], input.dtype, uniforms);
}

/** Replaces tfjs-backend-webgpu's kernels listed above; idempotent. Called by setupBackend when webgpu is chosen. */
export function registerWebgpuKernels(): void {
  if (tf.getKernel(tf.MaxPoolGrad, 'webgpu') !== undefined) tf.unregisterKernel(tf.MaxPoolGrad, 'webgpu');
  tf.registerKernel({
    kernelName: tf.MaxPoolGrad,
    backendName: 'webgpu',
    kernelFunc: maxPoolGradFirstMax as unknown as tf.KernelFunc,
  });
}
