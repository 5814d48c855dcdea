import type { TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import { computeWithViews } from '../tensor-access';

// Training-mode batch norm over the last axis of an NHWC tensor, viewed as [M, C] (M = N·H·W). As separate TF.js ops
// it costs a dozen passes over the tensor forward and more backward (broadcast products, then reductions back to [C]);
// here the forward reads x twice (statistics, then normalise and scale/shift) and the backward reads dy and x twice
// (two reductions, then one elementwise pass). Sums run in float64 per channel.

/** Kernel names; the op in ../batch-norm-op.ts calls them and registers the forward's gradient. */
export const BATCH_NORM_TRAINING = 'FastBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'FastBatchNormTrainingGrad';

function channelsOf(x: TensorInfo, ...perChannel: TensorInfo[]): number | null {
  const channels = x.shape[x.shape.length - 1];
  if (x.shape.length < 2 || channels === undefined || channels < 1) return null;
  return perChannel.every((t) => t.shape.length === 1 && t.shape[0] === channels) ? channels : null;
}

/**
 * Per-channel mean and biased variance (as tf.moments gives them). Each channel's sums are taken about its first
 * value, so a large mean does not cancel the variance away.
 */
export function channelMoments(x: Float32Array, channels: number, mean: Float32Array, variance: Float32Array): void {
  const rows = x.length / channels;
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  const pivot = Float64Array.from(x.subarray(0, channels));
  for (let i = 0; i < x.length; ) {
    for (let c = 0; c < channels; c++, i++) {
      const d = x[i] - pivot[c];
      sum[c] += d;
      squares[c] += d * d;
    }
  }
  for (let c = 0; c < channels; c++) {
    const shiftedMean = sum[c] / rows;
    mean[c] = pivot[c] + shiftedMean;
    variance[c] = Math.max(0, squares[c] / rows - shiftedMean * shiftedMean);
  }
}

/** Inputs x [..., C], scale (γ) and offset (β) [C]; outputs y = γ·(x − mean)/√(var + ε) + β, mean and variance. */
export const batchNormTrainingKernel: FastKernel = {
  kernelName: BATCH_NORM_TRAINING,
  run: ({ inputs, attrs, access }) => {
    const [x, scale, offset] = [inputs.x, inputs.scale, inputs.offset] as TensorInfo[];
    const channels = channelsOf(x, scale, offset);
    if (channels === null) return null;
    const epsilon = attrs.varianceEpsilon as number;
    return computeWithViews(access, [x, scale, offset], [x.shape, [channels], [channels]], ([xs, gamma, beta], [y, mean, variance]) => {
      channelMoments(xs, channels, mean, variance);
      const a = new Float32Array(channels);
      const b = new Float32Array(channels);
      for (let c = 0; c < channels; c++) {
        a[c] = gamma[c] / Math.sqrt(variance[c] + epsilon);
        b[c] = beta[c] - mean[c] * a[c];
      }
      for (let i = 0; i < xs.length; ) for (let c = 0; c < channels; c++, i++) y[i] = xs[i] * a[c] + b[c];
    });
  },
};

/**
 * The exact gradient of the forward above, mean and variance included. With x̂ = (x − mean)·s, s = 1/√(var + ε):
 * dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·s·(dy − dβ/M − x̂·dγ/M). Inputs dy, x, scale, mean, variance; outputs dx, dγ, dβ.
 */
export const batchNormTrainingGradKernel: FastKernel = {
  kernelName: BATCH_NORM_TRAINING_GRAD,
  run: ({ inputs, attrs, access }) => {
    const [dy, x, scale, mean, variance] = [inputs.dy, inputs.x, inputs.scale, inputs.mean, inputs.variance] as TensorInfo[];
    const channels = channelsOf(x, scale, mean, variance);
    if (channels === null || dy.shape.join() !== x.shape.join()) return null;
    const epsilon = attrs.varianceEpsilon as number;
    const inputViews = [dy, x, scale, mean, variance];
    return computeWithViews(access, inputViews, [x.shape, [channels], [channels]], ([dys, xs, gamma, mu, sigma2], [dx, dGamma, dBeta]) => {
      const rows = xs.length / channels;
      const invStd = new Float64Array(channels);
      for (let c = 0; c < channels; c++) invStd[c] = 1 / Math.sqrt(sigma2[c] + epsilon);
      const sumDy = new Float64Array(channels);
      const sumDyCentered = new Float64Array(channels);
      for (let i = 0; i < xs.length; ) {
        for (let c = 0; c < channels; c++, i++) {
          sumDy[c] += dys[i];
          sumDyCentered[c] += dys[i] * (xs[i] - mu[c]);
        }
      }
      // dx = k·dy + p·x + q per channel, one multiply-add pass.
      const k = new Float32Array(channels);
      const p = new Float32Array(channels);
      const q = new Float32Array(channels);
      for (let c = 0; c < channels; c++) {
        dBeta[c] = sumDy[c];
        dGamma[c] = sumDyCentered[c] * invStd[c];
        const g = gamma[c] * invStd[c];
        k[c] = g;
        p[c] = (-g * dGamma[c] * invStd[c]) / rows;
        q[c] = (-g * sumDy[c]) / rows - p[c] * mu[c];
      }
      for (let i = 0; i < xs.length; ) for (let c = 0; c < channels; c++, i++) dx[i] = k[c] * dys[i] + p[c] * xs[i] + q[c];
    });
  },
};
