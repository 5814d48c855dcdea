import type * as tf from '@tensorflow/tfjs';

/** Which per-example loss an untargeted gradient attack maximises (src/attack/losses.ts). */
export type AttackLoss = 'crossEntropy' | 'margin';

export interface OracleOutput {
  gradient: tf.Tensor4D; // [N, H, W, C]: d (sum of per-example loss) / d x
  loss: tf.Tensor1D; // [N]
  logits: tf.Tensor2D; // [N, classes]
}

/**
 * What an attack sees of a model: per-example loss, logits and input gradient at a batch of points.
 * The builder (src/nn/oracle.ts), not the attack, decides the backward derivative and BN mode.
 * The caller owns (and disposes) all three tensors.
 */
export type GradientOracle = (x: tf.Tensor4D, y: tf.Tensor1D) => OracleOutput;

/** A per-example loss of the logits [N, classes] and labels [N]; targeted attacks close over their targets. */
export type LogitLoss = (logits: tf.Tensor2D, y: tf.Tensor1D) => tf.Tensor1D;

/**
 * The model as the evaluation attacks see it: gradients of any per-example loss of the logits (what targeted
 * attacks and FAB need), and logits alone (one forward pass: what score-based attacks such as Square need).
 * The caller owns every returned tensor.
 */
export interface ModelOracle {
  gradient(x: tf.Tensor4D, y: tf.Tensor1D, loss: LogitLoss): OracleOutput;
  logits(x: tf.Tensor4D): tf.Tensor2D;
  /** Where the model allows it (src/nn/window-scorer.ts), a scorer of images changed inside a window. */
  windowScorer?(shape: readonly number[] /* [N, H, W, C] */): WindowScorer;
}

/** Rows [top, top + height) and columns [left, left + width) of an image. */
export interface PixelWindow {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * The logits of images that differ from a kept base image only inside a window (Square's queries), equal to the
 * model's logits of the whole images: the model recomputes only the positions the window reaches. Host arrays in
 * and out, [rows, H, W, C] images and [rows, classes] logits; holds no tensors between calls.
 */
export interface WindowScorer {
  /** Makes `images` (one per row of the batch) the base images; returns their logits. */
  setBase(images: Float32Array): Promise<Float32Array>;
  /** Logits of candidate k: the base image of row rows[k] with window k changed, given whole as candidates' k-th. */
  score(candidates: Float32Array, rows: Int32Array, windows: readonly PixelWindow[]): Promise<Float32Array>;
  /** Makes candidate k of the last `score` the base image of its row. */
  accept(k: number): void;
}

/** Random starts are seeded per example, so evaluating a shard equals evaluating the whole set. */
export interface StartSeeds {
  seed: number;
  exampleIds: ArrayLike<number>; // [N] global example indices
  /** [N] a seed per row in place of `seed`: rows of one batch that belong to different runs (APGD-T's targets). */
  rowSeeds?: ArrayLike<number>;
}

/** The seed row i draws from. */
export const seedOfRow = (seeds: StartSeeds, i: number): number => seeds.rowSeeds?.[i] ?? seeds.seed;
