import * as tf from '@tensorflow/tfjs';
import { pgdLastIterate, type PgdConfig } from '../attack/pgd';
import type { StartSeeds } from '../attack/oracle';
import { forward } from '../nn/forward';
import { trainableParams, type BatchStats, type Network } from '../nn/network';
import { makeOracle } from '../nn/oracle';
import type { PhasePlan } from '../nn/phase';
import { readAndDispose } from '../util/read-tensor';
import type { SgdOptimizer } from './sgd';

/** What a training run holds across steps. The trainer owns it and disposes it. */
export interface TrainState {
  net: Network;
  plan: PhasePlan;
  optimizer: SgdOptimizer;
}

export interface StepOptions {
  learningRate: number;
  /** The training attack for this batch (its ε may be ramped; random start decided per batch). */
  attack: PgdConfig;
  startSeeds: StartSeeds;
  labelSmoothing: number;
}

export interface StepResult {
  /** Mean training loss on the adversarial batch. */
  loss: number;
  /** Examples of the adversarial batch classified correctly (before the update). */
  correct: number;
}

/** Mean cross-entropy with optional label smoothing (targets (1 − s)·onehot + s / classes). */
export function trainingLoss(logits: tf.Tensor2D, y: tf.Tensor1D, labelSmoothing: number): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[1];
    const target = tf.add(
      tf.mul(tf.oneHot(tf.cast(y, 'int32'), classes), 1 - labelSmoothing),
      labelSmoothing / classes,
    );
    return tf.mean(tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}

/** running ← momentum · running + (1 − momentum) · batch, for every BN layer the forward measured. */
function updateRunningStatistics(stats: BatchStats[]): void {
  for (const { layer, mean, variance } of stats) {
    tf.tidy(() => {
      const n = layer.momentum;
      layer.movingMean.assign(tf.add(tf.mul(layer.movingMean, n), tf.mul(mean, 1 - n)));
      layer.movingVariance.assign(tf.add(tf.mul(layer.movingVariance, n), tf.mul(variance, 1 - n)));
    });
  }
}

/**
 * One PGD-1 adversarial training step (Goodfellow/Madry style, as in the SAT paper): craft x_adv with the
 * attacker's backward (phase 'attack'), then update the weights on x_adv with the optimizer's backward
 * (phase 'train', BN on batch statistics). `sat-bench bench` times exactly this function. Async because the loss
 * and the count reach the CPU with `data()`: a GPU backend (WebGPU in Node) has no synchronous read.
 */
export async function adversarialTrainStep(
  state: TrainState,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  options: StepOptions,
): Promise<StepResult> {
  const { net, plan, optimizer } = state;
  const adversarial =
    options.attack.steps > 0
      ? pgdLastIterate(makeOracle(net, plan, 'attack'), x, y, options.attack, options.startSeeds)
      : tf.clone(x);
  // Filled inside the gradient closure; kept so they outlive its scope.
  const kept: { batchStats: BatchStats[]; correct?: tf.Tensor } = { batchStats: [] };
  const variables = trainableParams(net).map((p) => p.variable);
  const { value, grads } = tf.variableGrads(() => {
    const result = forward(net, adversarial, 'train', plan);
    kept.batchStats = result.batchStats.map((s) => ({ ...s, mean: tf.keep(s.mean), variance: tf.keep(s.variance) }));
    kept.correct = tf.keep(
      tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(result.logits, 1), tf.cast(y, 'int32')), 'float32'))),
    );
    return trainingLoss(result.logits, y, options.labelSmoothing);
  }, variables);
  optimizer.apply(grads, options.learningRate);
  updateRunningStatistics(kept.batchStats);
  // [loss, correct]: one read, so a GPU waits for the step once.
  const numbers = tf.tidy(() => tf.stack([value, kept.correct ?? tf.scalar(0)]));
  tf.dispose([adversarial, value, ...(kept.correct ? [kept.correct] : []), ...Object.values(grads)]);
  tf.dispose(kept.batchStats.flatMap((s) => [s.mean, s.variance]));
  const [loss, correct] = await readAndDispose(numbers);
  return { loss, correct };
}
