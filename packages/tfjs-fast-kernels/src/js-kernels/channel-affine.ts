import type { TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import { computeWithViews } from '../tensor-access';

/**
 * y = x·scale + shift per channel (last axis): inference-mode batch norm once its statistics are folded into scale
 * and shift, and the input gradient of that (dy·scale, shift 0). One pass instead of a broadcast Multiply and Add.
 * cpu only: wasm's own SIMD Multiply and Add were not measurably slower than this JS pass (2026-11-30, noisy machine).
 */
export const CHANNEL_AFFINE = 'FastChannelAffine';

export const channelAffineKernel: FastKernel = {
  kernelName: CHANNEL_AFFINE,
  backends: ['cpu'],
  run: ({ inputs, access }) => {
    const [x, scale, shift] = [inputs.x, inputs.scale, inputs.shift] as TensorInfo[];
    const channels = x.shape[x.shape.length - 1];
    if (x.shape.length < 1 || [scale, shift].some((t) => t.shape.length !== 1 || t.shape[0] !== channels)) return null;
    const outputs = computeWithViews(access, [x, scale, shift], [x.shape], ([xs, a, b], [y]) => {
      for (let i = 0; i < xs.length;) for (let c = 0; c < channels; c++, i++) y[i] = xs[i] * a[c] + b[c];
    });
    return outputs && outputs[0];
  },
};
