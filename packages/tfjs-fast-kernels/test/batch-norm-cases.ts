import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from '../src/batch-norm-op';
import { randomValues } from './fast-harness';

export interface BnCase {
  shape: number[];
  /** Added to every input: a large mean must not cancel the variance away. */
  offset: number;
  epsilon: number;
}

export const BN_CASES: BnCase[] = [
  { shape: [4, 6, 5, 3], offset: 0, epsilon: 1e-5 }, // a conv activation [N, H, W, C]
  { shape: [8, 1, 1, 7], offset: 0, epsilon: 1e-3 }, // a dense layer as the models feed it
  { shape: [3, 4, 4, 16], offset: 50, epsilon: 1e-5 }, // far from zero: the variance comes from sums about a pivot
  { shape: [2, 2, 2, 1], offset: -1, epsilon: 0.2 },
  { shape: [4, 16, 16, 6], offset: 2, epsilon: 1e-5 }, // two row tiles; a block of 4 channels and 2 summed one by one
];

/** Outputs y, mean, variance, and d/d(x, γ, β) of Σ y·r (r random, so every output position weighs differently). */
export function batchNormAndGradients(c: BnCase, seed: number) {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const channels = c.shape[c.shape.length - 1];
  const xValues = randomValues(size, seed).map((v) => v + c.offset);
  return () => {
    const x = tf.tensor(xValues, c.shape);
    const gamma = tf.tensor1d(randomValues(channels, seed + 1, 0.5, 2));
    const beta = tf.tensor1d(randomValues(channels, seed + 2));
    const weights = tf.tensor(randomValues(size, seed + 3), c.shape);
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, c.epsilon);
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, c.epsilon).y, weights)),
    )([x, gamma, beta]);
    return [y, mean, variance, ...grads];
  };
}
