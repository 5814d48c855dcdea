import * as tf from '@tensorflow/tfjs';
import type { Batch, ImageDataset } from '../../src/data/types';
import type { LayerContext, Network } from '../../src/nn/network';
import type { PhasePlan } from '../../src/nn/phase';
import { Rng } from '../../src/util/rng';

/**
 * Tiny models with known behaviour for the evaluation tests. Images are one row of `classes` blocks of
 * `blockSize` pixels; an example of class c is bright in block c. Models read block means, so an L∞ attack
 * moves each block mean by at most ε and the optimal attack is known.
 */

export const RELU_EVAL_PLAN: PhasePlan = {
  forward: 'relu',
  backward: { attack: 'relu', train: 'relu', eval: 'relu' },
  batchNormInAttack: 'running',
};

export interface BlockData {
  classes: number;
  blockSize: number;
  count: number;
  /** Pixel ranges of the example's own block and of the other blocks. */
  own: [number, number];
  other: [number, number];
  seed: number;
}

export function blockDataset(spec: BlockData): ImageDataset & { images: Float32Array; labels: Int32Array } {
  const width = spec.classes * spec.blockSize;
  const rng = new Rng(spec.seed);
  const images = new Float32Array(spec.count * width);
  const labels = Int32Array.from({ length: spec.count }, (_, i) => i % spec.classes);
  for (let n = 0; n < spec.count; n++) {
    for (let p = 0; p < width; p++) {
      const [low, high] = Math.floor(p / spec.blockSize) === labels[n] ? spec.own : spec.other;
      images[n * width + p] = rng.uniform(low, high);
    }
  }
  const read = async (_split: string, indices: ArrayLike<number>): Promise<Batch> => {
    const out = new Float32Array(indices.length * width);
    for (let i = 0; i < indices.length; i++)
      out.set(images.subarray(indices[i] * width, (indices[i] + 1) * width), i * width);
    return { images: out, labels: Int32Array.from(indices, (i) => labels[i]), count: indices.length };
  };
  return {
    name: 'blocks',
    shape: { height: 1, width, channels: 1 },
    numClasses: spec.classes,
    classNames: Array.from({ length: spec.classes }, (_, c) => `c${c}`),
    size: () => spec.count,
    read,
    warnings: [],
    images,
    labels,
  };
}

function network(body: (x: tf.Tensor4D, context: LayerContext) => tf.Tensor2D): Network {
  return { model: 'toy', forwardActivation: 'relu', params: [], batchNorms: [], activationParams: [], body };
}

const blockMeans = (x: tf.Tensor4D, classes: number) =>
  tf.mean(tf.reshape(x, [x.shape[0], classes, -1]), 2) as tf.Tensor2D;

/** Honest: logits = scale · block means. */
export const blockLinear = (classes: number, scale: number) => network((x) => tf.mul(blockMeans(x, classes), scale));

/** Forward rounds pixels to 1/8 steps; backward is zero (a quantiser), so PGD cannot move past its random start. */
export function quantisedBlockLinear(classes: number, scale: number): Network {
  const quantise = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = args[0] as tf.Tensor;
    return { value: tf.div(tf.round(tf.mul(x, 8)), 8), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
  }) as (x: tf.Tensor) => tf.Tensor;
  return network((x) => tf.mul(blockMeans(quantise(x) as tf.Tensor4D, classes), scale));
}

/**
 * Binary: u = a(m1 − m0) + 1/2 clamped to [0, 1] with two ReLUs (relu(u) − relu(u − 1)), logit 10(clamp − 1/2).
 * Clean points sit where both ReLUs agree, so the true gradient is exactly zero; a psoftplus backward is not.
 */
export function saturatedClamp(a: number): Network {
  return network((x, context) => {
    const means = blockMeans(x, 2);
    const u = tf.add(tf.mul(tf.sub(means.slice([0, 1], [-1, 1]), means.slice([0, 0], [-1, 1])), a), 0.5);
    const clamped = tf.sub(context.activate(u, 0), context.activate(tf.sub(u, 1), 1));
    const score = tf.mul(tf.sub(clamped, 0.5), 10);
    return tf.concat([tf.zerosLike(score), score], 1) as tf.Tensor2D;
  });
}

/**
 * Binary: s = d + A sin(K d), d = m1 − m0, with AK = 1.5: the gradient's sign flips every ripple period
 * (0.02 in d), so small PGD steps stall in the nearest ripple while large ones stride over them.
 */
export function ripple(period: number, slope: number): Network {
  const k = (2 * Math.PI) / period;
  return network((x) => {
    const means = blockMeans(x, 2);
    const d = tf.sub(means.slice([0, 1], [-1, 1]), means.slice([0, 0], [-1, 1]));
    const score = tf.mul(tf.add(d, tf.mul(slope / k, tf.sin(tf.mul(d, k)))), 20);
    return tf.concat([tf.zerosLike(score), score], 1) as tf.Tensor2D;
  });
}
