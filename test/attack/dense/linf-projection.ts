// FAB's projection as tensor ops, as it was before FAB moved to the host (sat-bench 68b5020): a reference for differential tests.
import * as tf from '@tensorflow/tfjs';

/** Bisection halvings of the L∞ radius: 2^-26 is below float32's resolution on [0, 1]. */
const BISECTION_STEPS = 26;

/**
 * Per row, the smallest-L∞ step d that takes point p onto the hyperplane w·z = b while p + d stays in [0, 1]
 * (FAB's projection, Croce & Hein 2020). With ŵ = w flipped so that ŵ·p ≥ b̂, each coordinate can lower ŵ·z by
 * |ŵ_j| per unit up to its room to the box (p_j when ŵ_j > 0, else 1 − p_j); at radius t the total decrease is
 * Σ |ŵ_j| min(t, room_j), increasing in t, so the smallest sufficient t is found by bisection. When even the
 * box corner cannot reach the plane, every coordinate moves by the same t = (ŵ·p − b̂) / Σ|ŵ_j| (ignoring the box,
 * as FAB does; the caller clips). Coordinates with w_j = 0 never move.
 * points, w: [M, D]; b: [M]. Returns d [M, D]; the caller owns it.
 */
export function projectOntoHyperplaneLinf(points: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const gap = tf.sub(tf.sum(tf.mul(w, points), 1), b); // [M]: w·p − b
    const sign = tf.sub(tf.mul(tf.cast(tf.greaterEqual(gap, 0), 'float32'), 2), 1).reshape([-1, 1]);
    const flipped = tf.mul(w, sign);
    const need = tf.mul(gap, sign.reshape([-1])).reshape([-1, 1]); // ≥ 0
    const weight = tf.abs(flipped);
    const room = tf.where(tf.greater(flipped, 0), points, tf.sub(1, points));
    const direction = tf.neg(tf.sign(flipped)); // −1, 0 or +1 per coordinate
    const reach = (t: tf.Tensor) => tf.sum(tf.mul(weight, tf.minimum(t, room)), 1, true); // [M, 1]
    const capacity = reach(tf.onesLike(need));
    const totalWeight = tf.sum(weight, 1, true);
    let [low, high] = [tf.zerosLike(need), tf.onesLike(need)];
    for (let i = 0; i < BISECTION_STEPS; i++) {
      const middle = tf.div(tf.add(low, high), 2);
      const enough = tf.greaterEqual(reach(middle), need);
      [low, high] = [tf.where(enough, low, middle), tf.where(enough, middle, high)];
    }
    const feasible = tf.mul(direction, tf.minimum(high, room));
    const uniform = tf.mul(direction, tf.divNoNan(need, totalWeight));
    return tf.where(tf.greaterEqual(capacity, need), feasible, uniform) as tf.Tensor2D;
  });
}
