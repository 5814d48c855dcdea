import type * as tf from '@tensorflow/tfjs';

/** Which per-example loss an attack maximises. */
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

/** Random starts are seeded per example, so evaluating a shard equals evaluating the whole set. */
export interface StartSeeds {
  seed: number;
  exampleIds: ArrayLike<number>; // [N] global example indices
}
