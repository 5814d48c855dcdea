import * as tf from '@tensorflow/tfjs';
import { randomValues } from './fast-harness';

export interface PoolCase {
  x: [number, number, number, number];
  filter: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
}

export const POOL_CASES: PoolCase[] = [
  { x: [2, 8, 8, 3], filter: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 3], filter: 2, strides: 2, pad: 'valid' }, // odd sizes: a row and a column no window covers
  { x: [2, 9, 7, 3], filter: 2, strides: 2, pad: 'same' },
  { x: [1, 9, 9, 2], filter: 3, strides: 2, pad: 'same' },
  { x: [1, 10, 11, 4], filter: 3, strides: 1, pad: 'valid' },
  { x: [2, 11, 10, 1], filter: [2, 3], strides: 3, pad: 'same' },
  { x: [1, 7, 7, 2], filter: 3, strides: 1, pad: 1 },
  { x: [2, 6, 5, 35], filter: 2, strides: 2, pad: 'valid' }, // channels past 16: whole and partial vectors of 16
];

/** d/dx of sum(maxPool(x) · r); x rounded to a few levels so windows often tie. */
export function poolGradientOf(c: PoolCase, seed: number, levels: number): () => tf.Tensor {
  const values = randomValues(
    c.x.reduce((a, b) => a * b, 1),
    seed,
  ).map((v) => Math.round(v * levels) / levels);
  return () => {
    const x = tf.tensor4d(values, c.x);
    const probe = tf.maxPool(x, c.filter, c.strides, c.pad);
    const weights = tf.tensor(randomValues(probe.size, seed + 1), probe.shape);
    return tf.grad((input: tf.Tensor) =>
      tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, c.filter, c.strides, c.pad), weights)),
    )(x);
  };
}
