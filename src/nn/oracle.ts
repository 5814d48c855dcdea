import * as tf from '@tensorflow/tfjs';
import type { AttackLoss, GradientOracle } from '../attack/oracle';
import { forward } from './forward';
import type { Network } from './network';
import type { Phase, PhasePlan } from './phase';

/** Per-example losses an attack can maximise, from logits [N, classes] and labels [N]. */
export const ATTACK_LOSSES: Record<AttackLoss, (logits: tf.Tensor2D, y: tf.Tensor1D) => tf.Tensor1D> = {
  crossEntropy: (logits, y) =>
    tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.oneHot(tf.cast(y, 'int32'), logits.shape[1]), tf.logSoftmax(logits)), 1)) as tf.Tensor1D),
  // Carlini–Wagner margin: max other logit − true logit (> 0 exactly when misclassified).
  margin: (logits, y) =>
    tf.tidy(() => {
      const oneHot = tf.oneHot(tf.cast(y, 'int32'), logits.shape[1]);
      const trueLogit = tf.sum(tf.mul(oneHot, logits), 1);
      const otherMax = tf.max(tf.sub(logits, tf.mul(oneHot, 1e9)), 1);
      return tf.sub(otherMax, trueLogit) as tf.Tensor1D;
    }),
};

/**
 * Builds the oracle an attack uses: the phase decides the activation's backward and BN mode
 * ('attack' while crafting training examples, 'eval' at evaluation).
 */
export function makeOracle(net: Network, plan: PhasePlan, phase: Phase, loss: AttackLoss = 'crossEntropy'): GradientOracle {
  const lossOf = ATTACK_LOSSES[loss];
  return (x, y) => {
    let logits: tf.Tensor2D | undefined;
    let perExample: tf.Tensor1D | undefined;
    const gradient = tf.tidy(() =>
      tf.grad((input: tf.Tensor) => {
        logits = tf.keep(forward(net, input as tf.Tensor4D, phase, plan).logits);
        perExample = tf.keep(lossOf(logits, y));
        return tf.sum(perExample);
      })(x),
    ) as tf.Tensor4D;
    return { gradient, loss: perExample as unknown as tf.Tensor1D, logits: logits as unknown as tf.Tensor2D };
  };
}
