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
