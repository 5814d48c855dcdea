import * as tf from '@tensorflow/tfjs';
import { batchNormTraining, channelAffine } from '@sat-bench/tfjs-fast-kernels';
import type { ActivationRef } from './activation-spec';
import type { BatchNormMode } from './phase';

/** A trainable tensor; `decay` says whether weight decay applies (conv/dense kernels yes, BN and biases no). */
export interface Param {
  name: string;
  variable: tf.Variable;
  decay: boolean;
}

export interface BatchNormLayer {
  name: string;
  gamma: Param;
  beta: Param;
  movingMean: tf.Variable; // [C]
  movingVariance: tf.Variable; // [C]
  /** Running-average momentum: moving = momentum * moving + (1 - momentum) * batch. */
  momentum: number;
  epsilon: number;
}

/** Batch statistics a train-phase forward measured; the train step folds them into the running averages. */
export interface BatchStats {
  layer: BatchNormLayer;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** What a model's body needs from the forward pass: the phase's activation and BN behaviour. */
export interface LayerContext {
  activate(x: tf.Tensor, site: number): tf.Tensor;
  batchNorm(layer: BatchNormLayer, x: tf.Tensor4D): tf.Tensor4D;
}

/**
 * One step of a network whose output at each position depends only on a small neighbourhood of its input: a 3×3
 * convolution of stride 1 with what follows it position by position (bias or BN, activation), then with `pooled` a
 * 2×2 max pool of stride 2. `padding` is the convolution's: 'same' on a whole map, 'valid' on a patch that carries its
 * own 1-pixel border (zeros outside the map), which gives the same values at the patch's positions.
 */
export interface LocalStage {
  pooled: boolean;
  apply(x: tf.Tensor4D, context: LayerContext, padding: 'same' | 'valid'): tf.Tensor4D;
}

/**
 * A network as local stages then a head on the last map: what lets an image changed inside a window be scored by
 * recomputing only the positions the window reaches (src/nn/window-scorer.ts). The body is these, in this order.
 */
export interface LocalStages {
  stages: readonly LocalStage[];
  head(x: tf.Tensor4D, context: LayerContext): tf.Tensor2D;
}

/** A model is plain data (its variables) plus a body that maps [N, H, W, C] inputs to [N, classes] logits. */
export interface Network {
  model: string;
  forwardActivation: ActivationRef;
  params: Param[];
  batchNorms: BatchNormLayer[];
  /** One learnable scalar per activation site when the forward activation has a parameter (SmoothReLU). */
  activationParams: Param[];
  body(x: tf.Tensor4D, context: LayerContext): tf.Tensor2D;
  /** The body as local stages, where the architecture is one (SmallCNN); absent for the ResNets. */
  localStages?: LocalStages;
}

/** Every variable the optimizer updates. */
export function trainableParams(net: Network): Param[] {
  return [...net.params, ...net.batchNorms.flatMap((bn) => [bn.gamma, bn.beta]), ...net.activationParams];
}

/** Every variable, trainable or not (for checkpoints and disposal). */
export function allVariables(net: Network): Array<{ name: string; variable: tf.Variable }> {
  return [
    ...trainableParams(net),
    ...net.batchNorms.flatMap((bn) => [
      { name: `${bn.name}/moving_mean`, variable: bn.movingMean },
      { name: `${bn.name}/moving_variance`, variable: bn.movingVariance },
    ]),
  ];
}

export function disposeNetwork(net: Network): void {
  for (const { variable } of allVariables(net)) variable.dispose();
}

export function countTrainableParameters(net: Network): number {
  return trainableParams(net).reduce((sum, p) => sum + p.variable.size, 0);
}

/**
 * Batch norm: 'batch' mode through the fused training kernels where installed (TF.js's own fused batchNorm gradient
 * goes through a slow JS Tile), else TF.js ops; 'running' mode as one fused per-channel scale and shift.
 * 'batch' mode normalises with this batch's statistics and reports them; 'running' uses the moving averages.
 */
export function applyBatchNorm(
  layer: BatchNormLayer,
  x: tf.Tensor4D, // [N, H, W, C]
  mode: BatchNormMode,
  collect: BatchStats[],
): tf.Tensor4D {
  if (mode === 'running') {
    const scale = tf.mul(layer.gamma.variable, tf.rsqrt(tf.add(layer.movingVariance, layer.epsilon)));
    const shift = tf.sub(layer.beta.variable, tf.mul(layer.movingMean, scale));
    return channelAffine(x, scale as tf.Tensor1D, shift as tf.Tensor1D);
  }
  const { y, mean, variance } = batchNormTraining(
    x,
    layer.gamma.variable as tf.Tensor1D,
    layer.beta.variable as tf.Tensor1D,
    layer.epsilon,
  );
  collect.push({ layer, mean, variance });
  return y;
}
