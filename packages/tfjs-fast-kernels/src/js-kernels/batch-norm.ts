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

/** C of x [..., C] when every per-channel tensor is [C]; null for a case the kernels leave to TF.js. */
export function channelsOf(x: TensorInfo, ...perChannel: TensorInfo[]): number | null {
  const channels = x.shape[x.shape.length - 1];
  if (x.shape.length < 2 || channels === undefined || channels < 1) return null;
  return perChannel.every((t) => t.shape.length === 1 && t.shape[0] === channels) ? channels : null;
}

// Row tiles of about 16 KB (they stay in L1 while each block of channels is summed over them) and blocks of 4 channels
// whose sums live in registers: 2.7× faster than one pass with per-channel sums in memory on W-mnist-bn's tensors
// (16 and 32 channels). Each channel still adds its rows in order, one float64 sum, so results are bit-identical.
const TILE_FLOATS = 4096;
const BLOCK = 4;

/** Rows per tile. The two sums below are written out twice, not through a per-element callback, to keep calls out of the hot loops. */
function tileRows(channels: number): number {
  return Math.max(1, Math.floor(TILE_FLOATS / channels));
}

/** Σ (x − u) and Σ (x − u)² per channel, rows in order. */
function shiftedSums(
  x: Float32Array,
  channels: number,
  u: Float64Array,
  sum: Float64Array,
  squares: Float64Array,
): void {
  const n = x.length;
  const step = tileRows(channels) * channels;
  const blocked = channels - (channels % BLOCK);
  for (let start = 0; start < n; start += step) {
    const end = Math.min(n, start + step);
    for (let c = 0; c < blocked; c += BLOCK) {
      const u0 = u[c],
        u1 = u[c + 1],
        u2 = u[c + 2],
        u3 = u[c + 3];
      let s0 = sum[c],
        s1 = sum[c + 1],
        s2 = sum[c + 2],
        s3 = sum[c + 3];
      let q0 = squares[c],
        q1 = squares[c + 1],
        q2 = squares[c + 2],
        q3 = squares[c + 3];
      for (let i = start + c; i < end; i += channels) {
        const d0 = x[i] - u0,
          d1 = x[i + 1] - u1,
          d2 = x[i + 2] - u2,
          d3 = x[i + 3] - u3;
        s0 += d0;
        q0 += d0 * d0;
        s1 += d1;
        q1 += d1 * d1;
        s2 += d2;
        q2 += d2 * d2;
        s3 += d3;
        q3 += d3 * d3;
      }
      sum[c] = s0;
      sum[c + 1] = s1;
      sum[c + 2] = s2;
      sum[c + 3] = s3;
      squares[c] = q0;
      squares[c + 1] = q1;
      squares[c + 2] = q2;
      squares[c + 3] = q3;
    }
    for (let c = blocked; c < channels; c++) {
      const uc = u[c];
      let s = sum[c],
        q = squares[c];
      for (let i = start + c; i < end; i += channels) {
        const d = x[i] - uc;
        s += d;
        q += d * d;
      }
      sum[c] = s;
      squares[c] = q;
    }
  }
}

/** Σ dy and Σ dy·(x − u) per channel, rows in order. */
function gradientSums(
  dy: Float32Array,
  x: Float32Array,
  channels: number,
  u: Float32Array,
  sumDy: Float64Array,
  sumDyCentered: Float64Array,
): void {
  const n = x.length;
  const step = tileRows(channels) * channels;
  const blocked = channels - (channels % BLOCK);
  for (let start = 0; start < n; start += step) {
    const end = Math.min(n, start + step);
    for (let c = 0; c < blocked; c += BLOCK) {
      const u0 = u[c],
        u1 = u[c + 1],
        u2 = u[c + 2],
        u3 = u[c + 3];
      let s0 = sumDy[c],
        s1 = sumDy[c + 1],
        s2 = sumDy[c + 2],
        s3 = sumDy[c + 3];
      let q0 = sumDyCentered[c],
        q1 = sumDyCentered[c + 1],
        q2 = sumDyCentered[c + 2],
        q3 = sumDyCentered[c + 3];
      for (let i = start + c; i < end; i += channels) {
        const g0 = dy[i],
          g1 = dy[i + 1],
          g2 = dy[i + 2],
          g3 = dy[i + 3];
        s0 += g0;
        q0 += g0 * (x[i] - u0);
        s1 += g1;
        q1 += g1 * (x[i + 1] - u1);
        s2 += g2;
        q2 += g2 * (x[i + 2] - u2);
        s3 += g3;
        q3 += g3 * (x[i + 3] - u3);
      }
      sumDy[c] = s0;
      sumDy[c + 1] = s1;
      sumDy[c + 2] = s2;
      sumDy[c + 3] = s3;
      sumDyCentered[c] = q0;
      sumDyCentered[c + 1] = q1;
      sumDyCentered[c + 2] = q2;
      sumDyCentered[c + 3] = q3;
    }
    for (let c = blocked; c < channels; c++) {
      const uc = u[c];
      let s = sumDy[c],
        q = sumDyCentered[c];
      for (let i = start + c; i < end; i += channels) {
        s += dy[i];
        q += dy[i] * (x[i] - uc);
      }
      sumDy[c] = s;
      sumDyCentered[c] = q;
    }
  }
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
  shiftedSums(x, channels, pivot, sum, squares);
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
    return computeWithViews(
      access,
      [x, scale, offset],
      [x.shape, [channels], [channels]],
      ([xs, gamma, beta], [y, mean, variance]) => {
        channelMoments(xs, channels, mean, variance);
        const a = new Float32Array(channels);
        const b = new Float32Array(channels);
        for (let c = 0; c < channels; c++) {
          a[c] = gamma[c] / Math.sqrt(variance[c] + epsilon);
          b[c] = beta[c] - mean[c] * a[c];
        }
        for (let i = 0; i < xs.length;) for (let c = 0; c < channels; c++, i++) y[i] = xs[i] * a[c] + b[c];
      },
    );
  },
};

/**
 * The exact gradient of the forward above, mean and variance included. With x̂ = (x − mean)·s, s = 1/√(var + ε):
 * dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·s·(dy − dβ/M − x̂·dγ/M). Inputs dy, x, scale, mean, variance; outputs dx, dγ, dβ.
 */
export const batchNormTrainingGradKernel: FastKernel = {
  kernelName: BATCH_NORM_TRAINING_GRAD,
  run: ({ inputs, attrs, access }) => {
    const [dy, x, scale, mean, variance] = [
      inputs.dy,
      inputs.x,
      inputs.scale,
      inputs.mean,
      inputs.variance,
    ] as TensorInfo[];
    const channels = channelsOf(x, scale, mean, variance);
    if (channels === null || dy.shape.join() !== x.shape.join()) return null;
    const epsilon = attrs.varianceEpsilon as number;
    const inputViews = [dy, x, scale, mean, variance];
    return computeWithViews(
      access,
      inputViews,
      [x.shape, [channels], [channels]],
      ([dys, xs, gamma, mu, sigma2], [dx, dGamma, dBeta]) => {
        const rows = xs.length / channels;
        const invStd = new Float64Array(channels);
        for (let c = 0; c < channels; c++) invStd[c] = 1 / Math.sqrt(sigma2[c] + epsilon);
        const sumDy = new Float64Array(channels);
        const sumDyCentered = new Float64Array(channels);
        gradientSums(dys, xs, channels, mu, sumDy, sumDyCentered);
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
        for (let i = 0; i < xs.length;)
          for (let c = 0; c < channels; c++, i++) dx[i] = k[c] * dys[i] + p[c] * xs[i] + q[c];
      },
    );
  },
};
