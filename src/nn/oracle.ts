import * as tf from '@tensorflow/tfjs';
import { ATTACK_LOSSES } from '../attack/losses';
import type { AttackLoss, GradientOracle, LogitLoss, ModelOracle } from '../attack/oracle';
import { forward } from './forward';
import type { Network } from './network';
import type { Phase, PhasePlan } from './phase';

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
  return { gradient, logits: (x) => tf.tidy(() => forward(net, x, phase, plan).logits) };
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
