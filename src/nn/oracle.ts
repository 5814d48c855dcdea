import * as tf from '@tensorflow/tfjs';
import { ATTACK_LOSSES } from '../attack/losses';
import type { AttackLoss, GradientOracle, LogitLoss, ModelOracle } from '../attack/oracle';
import { forward, layerContext } from './forward';
import type { Network } from './network';
import { batchNormModeFor, type Phase, type PhasePlan } from './phase';
import { makeWindowScorer } from './window-scorer';

export { ATTACK_LOSSES };

/**
 * The model as evaluation attacks see it: the phase decides the activation's backward and BN mode
 * ('attack' while crafting training examples, 'eval' at evaluation).
 */
export function makeModelOracle(net: Network, plan: PhasePlan, phase: Phase): ModelOracle {
  const gradient = (x: tf.Tensor4D, y: tf.Tensor1D, lossOf: LogitLoss) => {
    let logits: tf.Tensor2D | undefined;
    let perExample: tf.Tensor1D | undefined;
    const inputGradient = tf.tidy(() =>
      tf.grad((input: tf.Tensor) => {
        logits = tf.keep(forward(net, input as tf.Tensor4D, phase, plan).logits);
        perExample = tf.keep(lossOf(logits, y));
        return tf.sum(perExample);
      })(x),
    ) as tf.Tensor4D;
    return {
      gradient: inputGradient,
      loss: perExample as unknown as tf.Tensor1D,
      logits: logits as unknown as tf.Tensor2D,
    };
  };
  const local = net.localStages;
  // A window scorer needs each image's logits to be its own: BN on running statistics, not the batch's.
  const windowScorer =
    local && batchNormModeFor(plan, phase) === 'running'
      ? (shape: readonly number[]) => makeWindowScorer(local, layerContext(net, phase, plan, []), shape)
      : undefined;
  return { gradient, logits: (x) => tf.tidy(() => forward(net, x, phase, plan).logits), windowScorer };
}

/** The oracle of one fixed loss (the training attacker's, and PGD's). */
export function makeOracle(
  net: Network,
  plan: PhasePlan,
  phase: Phase,
  loss: AttackLoss = 'crossEntropy',
): GradientOracle {
  const model = makeModelOracle(net, plan, phase);
  return (x, y) => model.gradient(x, y, ATTACK_LOSSES[loss]);
}
