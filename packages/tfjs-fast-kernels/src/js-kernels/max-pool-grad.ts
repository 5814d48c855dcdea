import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import { computeWithViews } from '../tensor-access';
import { isPairPool, pairPoolGrad } from './pool-pairs';

/** TF.js's pooling geometry for MaxPool / MaxPoolGrad attributes on an NHWC input. */
export function poolGeometry(xShape: readonly number[], attrs: NamedAttrMap): tf.backend_util.Conv2DInfo | null {
  if (xShape.length !== 4) return null;
  return tf.backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    attrs.filterSize as [number, number] | number,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as 'valid' | 'same' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
}

/**
 * MaxPoolGrad (NHWC) as a scatter: each output position sends its dy to the first strictly largest input of its
 * window (row-major), exactly the position TF.js's own kernel picks, so ties and all-equal windows (common after
 * ReLU) route the gradient the same way. TF.js instead gathers per input pixel: ~30× slower here.
 */
export const maxPoolGradKernel: FastKernel = {
  kernelName: 'MaxPoolGrad',
  run: ({ inputs, attrs, access }) => {
    const dy = inputs.dy as TensorInfo;
    const x = inputs.input as TensorInfo;
    const info = poolGeometry(x.shape, attrs);
    if (!info || dy.shape.join() !== info.outShape.join()) return null;
    const outputs = computeWithViews(access, [dy, x], [x.shape], ([dyData, xData], [dxData]) => {
      if (isPairPool(info)) return pairPoolGrad(info, xData, dyData, dxData);
      dxData.fill(0);
      scanWindows(info, xData, (o, index) => {
        dxData[index] += dyData[o];
      });
    });
    return outputs && outputs[0];
  },
};

/**
 * Finds, for every output element o (NHWC order), the input index of its window's first strictly largest value
 * (skipped when the window holds only NaN or −∞, as in TF.js). Channels run innermost so the window scan reads
 * contiguous runs of x instead of striding by the channel count.
 */
export function scanWindows(
  info: tf.backend_util.Conv2DInfo,
  x: Float32Array,
  visit: (o: number, index: number) => void,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(channels);
  const bestIndex = new Int32Array(channels);
  const rowStride = inWidth * channels;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const imageBase = b * inHeight * rowStride;
    for (let yr = 0; yr < outHeight; yr++) {
      const r0 = Math.max(0, yr * strideHeight - top);
      const r1 = Math.min(inHeight, yr * strideHeight - top + fh);
      for (let yc = 0; yc < outWidth; yc++, o += channels) {
        const c0 = Math.max(0, yc * strideWidth - left);
        const c1 = Math.min(inWidth, yc * strideWidth - left + fw);
        for (let d = 0; d < channels; d++) {
          best[d] = Number.NEGATIVE_INFINITY;
          bestIndex[d] = -1;
        }
        for (let r = r0; r < r1; r++) {
          for (let c = c0; c < c1; c++) {
            const base = imageBase + r * rowStride + c * channels;
            for (let d = 0; d < channels; d++) {
              const v = x[base + d];
              if (v > best[d]) {
                best[d] = v;
                bestIndex[d] = base + d;
              }
            }
          }
        }
        for (let d = 0; d < channels; d++) if (bestIndex[d] >= 0) visit(o + d, bestIndex[d]);
      }
    }
  }
}
