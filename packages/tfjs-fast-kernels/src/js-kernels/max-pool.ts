import type { TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import { computeWithViews } from '../tensor-access';
import { poolGeometry, scanWindows } from './max-pool-grad';
import { isPairPool, pairPool } from './pool-pairs';

/**
 * MaxPool (NHWC) for the cpu backend, whose own kernel goes through a generic 4-D buffer accessor (~10× slower).
 * Windows holding only NaN or −∞ give −∞, as TF.js's does. Not installed on wasm, whose XNNPACK pooling is faster.
 */
export const maxPoolKernel: FastKernel = {
  kernelName: 'MaxPool',
  backends: ['cpu'],
  run: ({ inputs, attrs, access }) => {
    const x = inputs.x as TensorInfo;
    const info = poolGeometry(x.shape, attrs);
    if (!info || info.outShape.includes(0)) return null;
    const outputs = computeWithViews(access, [x], [info.outShape], ([xData], [yData]) => {
      if (isPairPool(info)) return pairPool(info, xData, yData);
      yData.fill(Number.NEGATIVE_INFINITY);
      scanWindows(info, xData, (o, index) => {
        yData[o] = xData[index];
      });
    });
    return outputs && outputs[0];
  },
};
