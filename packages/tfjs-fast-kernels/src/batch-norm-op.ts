import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap } from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from './js-kernels/batch-norm';
import { CHANNEL_AFFINE } from './js-kernels/channel-affine';

/** Training-mode batch norm's result: the normalised output and the batch statistics it used. */
export interface BatchNormTrainingResult<T extends tf.Tensor> {
  y: T;
  mean: tf.Tensor1D; // [C]
  variance: tf.Tensor1D; // [C], biased (divided by the count, as tf.moments)
}

/**
 * y = γ·(x − mean)/√(var + ε) + β with the batch's per-channel (last axis) mean and variance. Runs the fused kernels
 * where installFastKernels put them on the current backend, else the same maths as TF.js ops; both give the same
 * values and gradients (x, γ and β), which test/engine/fast/batch-norm-op.test.ts checks.
 */
export function batchNormTraining<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): BatchNormTrainingResult<T> {
  if (!tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend())) return batchNormTrainingOps(x, gamma, beta, epsilon);
  const attrs: NamedAttrMap = { varianceEpsilon: epsilon };
  const [y, mean, variance] = tf
    .engine()
    .runKernel(BATCH_NORM_TRAINING, { x, scale: gamma, offset: beta }, attrs) as tf.Tensor[];
  return { y: y as T, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/** The reference formulation in TF.js ops (a dozen kernels forward, more backward). */
export function batchNormTrainingOps<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): BatchNormTrainingResult<T> {
  const { mean, variance } = tf.moments(x, rowAxes(x));
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, epsilon)));
  const y = tf.add(tf.mul(tf.sub(x, mean), scale), beta) as T;
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/**
 * x·scale + shift per channel (last axis), as inference-mode batch norm applies its folded statistics: one fused pass
 * where installFastKernels put the kernel, else TF.js's broadcast Multiply and Add. Same values and gradients.
 */
export function channelAffine<T extends tf.Tensor>(x: T, scale: tf.Tensor1D, shift: tf.Tensor1D): T {
  if (!tf.getKernel(CHANNEL_AFFINE, tf.getBackend())) return tf.add(tf.mul(x, scale), shift) as T;
  return tf.engine().runKernel(CHANNEL_AFFINE, { x, scale, shift }) as T;
}

/** The rows (every axis but the last) of a channels-last tensor. */
function rowAxes(x: tf.Tensor): number[] {
  return x.shape.slice(0, -1).map((_, i) => i);
}

/**
 * The fused forward's gradient, through the fused backward kernel (which exists wherever the forward does). The
 * statistics outputs feed only the running averages, outside any gradient, so their incoming gradients are ignored.
 */
export function registerBatchNormGradients(): void {
  if (!tf.getGradient(CHANNEL_AFFINE)) {
    tf.registerGradient({
      kernelName: CHANNEL_AFFINE,
      inputsToSave: ['x', 'scale'],
      gradFunc: (dy, saved) => {
        const [x, scale] = saved;
        const grad = dy as tf.Tensor;
        // Only dx is needed when attacking; dscale and dshift are computed if asked for (the tape asks lazily).
        return {
          x: () => channelAffine(grad, scale as tf.Tensor1D, tf.zerosLike(scale) as tf.Tensor1D),
          scale: () => tf.sum(tf.mul(grad, x), rowAxes(x)),
          shift: () => tf.sum(grad, rowAxes(x)),
        };
      },
    });
  }
  if (tf.getGradient(BATCH_NORM_TRAINING)) return;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAINING,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [dy] = dys as tf.Tensor[];
      const [x, scale, mean, variance] = saved;
      // One kernel gives all three gradients; the tape asks for them one by one, so compute once, hand out thrice.
      const [dx, dScale, dOffset] = tf
        .engine()
        .runKernel(BATCH_NORM_TRAINING_GRAD, { dy, x, scale, mean, variance }, attrs) as tf.Tensor[];
      return { x: () => dx, scale: () => dScale, offset: () => dOffset };
    },
  });
}
