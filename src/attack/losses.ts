import * as tf from '@tensorflow/tfjs';
import type { AttackLoss, LogitLoss } from './oracle';

/** The label's one-hot rows [N, classes]. */
const oneHotOf = (y: tf.Tensor1D, classes: number) => tf.oneHot(tf.cast(y, 'int32'), classes);

/** Per-example losses an untargeted attack can maximise. */
export const ATTACK_LOSSES: Record<AttackLoss, LogitLoss> = {
  crossEntropy: (logits, y) =>
    tf.tidy(() => tf.neg(tf.sum(tf.mul(oneHotOf(y, logits.shape[1]), tf.logSoftmax(logits)), 1)) as tf.Tensor1D),
  // Carlini–Wagner margin: max other logit − true logit (> 0 exactly when misclassified).
  margin: (logits, y) =>
    tf.tidy(() => {
      const oneHot = oneHotOf(y, logits.shape[1]);
      const trueLogit = tf.sum(tf.mul(oneHot, logits), 1);
      const otherMax = tf.max(tf.sub(logits, tf.mul(oneHot, 1e9)), 1);
      return tf.sub(otherMax, trueLogit) as tf.Tensor1D;
    }),
};

/**
 * Per example, the `rank`-th highest logit [N], differentiable: TF.js has no gradient for TopK, so the gradient
 * (one at the selected class, as a sort's) is given explicitly.
 */
function rankedLogit(logits: tf.Tensor2D, rank: number): tf.Tensor1D {
  const select = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const picked = tf.oneHot(
      tf.squeeze(tf.slice(tf.topk(input, rank).indices, [0, rank - 1], [-1, 1]), [1]),
      input.shape[1],
    );
    save([picked]);
    return {
      value: tf.sum(tf.mul(picked, input), 1),
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(tf.reshape(dy, [-1, 1]), saved),
    };
  }) as (input: tf.Tensor2D) => tf.Tensor1D;
  return select(logits);
}

/** z_t − z_y per example: > 0 once the target class outscores the label. */
function targetMinusTrue(logits: tf.Tensor2D, y: tf.Tensor1D, targets: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = logits.shape[1];
    const trueLogit = tf.sum(tf.mul(oneHotOf(y, classes), logits), 1);
    const targetLogit = tf.sum(tf.mul(oneHotOf(targets, classes), logits), 1);
    return tf.sub(targetLogit, trueLogit) as tf.Tensor1D;
  });
}

/**
 * The targeted Difference-of-Logits-Ratio loss of APGD-T (Croce & Hein 2020):
 * −(z_y − z_t) / (z_π1 − (z_π3 + z_π4) / 2 + 1e-12), π sorting the logits in decreasing order. The ratio makes
 * it invariant to shifting and scaling the logits. Below 4 classes the ranks are clamped to the last class.
 */
export function dlrTargetedLoss(targets: tf.Tensor1D): LogitLoss {
  return (logits, y) =>
    tf.tidy(() => {
      const classes = logits.shape[1];
      const rank = (r: number) => rankedLogit(logits, Math.min(r, classes));
      const scale = tf.add(tf.sub(rank(1), tf.mul(0.5, tf.add(rank(3), rank(4)))), 1e-12);
      return tf.div(targetMinusTrue(logits, y, targets), scale) as tf.Tensor1D;
    });
}

/** z_t − z_y, whose input gradient is FAB-T's linearisation of the boundary between the label and the target. */
export function logitDifferenceLoss(targets: tf.Tensor1D): LogitLoss {
  return (logits, y) => targetMinusTrue(logits, y, targets);
}

/**
 * Per example, the class with the `rank`-th highest logit (rank 2: the runner-up); the targets of APGD-T and
 * FAB-T come from the clean logits, ranks 2 to targets + 1.
 */
export function rankedClass(logits: tf.Tensor2D, rank: number): tf.Tensor1D {
  return tf.tidy(() => tf.squeeze(tf.slice(tf.topk(logits, rank).indices, [0, rank - 1], [-1, 1]), [1]) as tf.Tensor1D);
}
