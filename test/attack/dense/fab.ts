// The tensor FAB as it was before it moved to the host (sat-bench 68b5020): a reference for differential tests.
import * as tf from '@tensorflow/tfjs';
import { projectOntoHyperplaneLinf } from './linf-projection';
import { logitDifferenceLoss } from '../../../src/attack/losses';
import type { ModelOracle } from '../../../src/attack/oracle';
import type { FabConfig, FabResult } from '../../../src/attack/fab';

/** FAB's constants (Croce & Hein 2020; AutoAttack's defaults): extrapolation η, bias to the origin α_max, backoff β. */
const OVERSHOOT = 1.05;
const MAX_ORIGIN_WEIGHT = 0.1;
const BACKOFF = 0.9;

const flat = (t: tf.Tensor) => tf.reshape(t, [t.shape[0], -1]) as tf.Tensor2D;
const linfNorm = (t: tf.Tensor) => tf.max(tf.abs(flat(t)), 1) as tf.Tensor1D;

/** One FAB step: project the current point and the origin onto the linearised boundary, mix, overshoot. */
function fabStep(
  oracle: ModelOracle,
  x1: tf.Tensor4D,
  x0: tf.Tensor4D,
  y: tf.Tensor1D,
  loss: ReturnType<typeof logitDifferenceLoss>,
): tf.Tensor4D {
  const out = oracle.gradient(x1, y, loss); // loss = z_t − z_y; boundary: loss + ∇·(z − x1) = 0
  const next = tf.tidy(() => {
    const n = x1.shape[0];
    const w = flat(out.gradient);
    const b = tf.sub(tf.sum(tf.mul(w, flat(x1)), 1), out.loss) as tf.Tensor1D;
    const d = projectOntoHyperplaneLinf(
      tf.concat([flat(x1), flat(x0)]) as tf.Tensor2D,
      tf.concat([w, w]) as tf.Tensor2D,
      tf.concat([b, b]) as tf.Tensor1D,
    );
    const [d1, d2] = [tf.slice(d, [0, 0], [n, -1]), tf.slice(d, [n, 0], [n, -1])];
    const a1 = tf.maximum(tf.max(tf.abs(d1), 1, true), 1e-8);
    const a2 = tf.maximum(tf.max(tf.abs(d2), 1, true), 1e-8);
    const weight = tf.clipByValue(tf.div(a1, tf.add(a1, a2)), 0, MAX_ORIGIN_WEIGHT);
    const fromCurrent = tf.add(flat(x1), tf.mul(d1, OVERSHOOT));
    const fromOrigin = tf.add(flat(x0), tf.mul(d2, OVERSHOOT));
    const mixed = tf.add(tf.mul(fromCurrent, tf.sub(1, weight)), tf.mul(fromOrigin, weight));
    return tf.clipByValue(mixed, 0, 1).reshape(x1.shape) as tf.Tensor4D;
  });
  tf.dispose([out.gradient, out.loss, out.logits]);
  return next;
}

/**
 * FAB toward one target class per example (L∞): from the clean point, `steps` projections onto the linearised
 * label/target boundary; each time the iterate is misclassified its norm is recorded if smallest so far and the
 * iterate backs off toward the clean point by β. Deterministic (no random start, as AutoAttack's FAB-T).
 * Costs steps oracle calls plus steps forward passes. Fooled: the smallest adversarial norm is ≤ ε.
 */
export async function fabSingleTarget(
  oracle: ModelOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  targets: tf.Tensor1D,
  config: Omit<FabConfig, 'targets'>,
): Promise<FabResult> {
  const loss = logitDifferenceLoss(targets);
  let current = tf.clone(x);
  let best = tf.clone(x);
  let bestNorm = tf.fill([x.shape[0]], Infinity) as tf.Tensor1D;
  for (let k = 0; k < config.steps; k++) {
    const moved = fabStep(oracle, current, x, y, loss);
    const logits = oracle.logits(moved);
    const next = tf.tidy(() => {
      const adversarial = tf.notEqual(tf.argMax(logits, 1), tf.cast(y, 'int32'));
      const norm = linfNorm(tf.sub(moved, x));
      const better = tf.logicalAnd(adversarial, tf.less(norm, bestNorm));
      const rows = (mask: tf.Tensor) => tf.reshape(mask, [-1, 1, 1, 1]);
      return {
        best: tf.where(rows(better), moved, best) as tf.Tensor4D,
        bestNorm: tf.where(better, norm, bestNorm) as tf.Tensor1D,
        current: tf.where(rows(adversarial), tf.add(x, tf.mul(tf.sub(moved, x), BACKOFF)), moved) as tf.Tensor4D,
      };
    });
    tf.dispose([moved, logits, current, best, bestNorm]);
    ({ best, bestNorm, current } = next);
  }
  const norm = Float32Array.from(await bestNorm.data());
  const result = tf.tidy(() => {
    const fooled = tf.lessEqual(bestNorm, config.epsilon);
    return {
      adversarial: tf.where(tf.reshape(fooled, [-1, 1, 1, 1]), best, x) as tf.Tensor4D,
      fooled: tf.cast(fooled, 'float32') as tf.Tensor1D,
    };
  });
  tf.dispose([current, best, bestNorm]);
  return { ...result, norm };
}
