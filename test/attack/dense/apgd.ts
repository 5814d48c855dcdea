// APGD on the whole batch, every example to the last step, as it was before examples left the batch once fooled (sat-bench 68b5020): a reference for differential tests.
import * as tf from '@tensorflow/tfjs';
import type { GradientOracle, StartSeeds } from '../../../src/attack/oracle';
import type { AttackResult } from '../../../src/attack/pgd';
import { projectLinf, uniformStartNoise } from '../../../src/attack/random-start';

export interface ApgdConfig {
  epsilon: number;
  steps: number;
  randomStart: boolean;
}

/** Weight of the new signed step; 1 − MOMENTUM goes to the previous displacement (Croce & Hein 2020, α). */
const MOMENTUM = 0.75;
/** A checkpoint halves the step when fewer than this share of the steps since the last one raised the loss. */
const RHO = 0.75;

/**
 * Iterations at which APGD may halve its step: w_j = ⌈p_j · steps⌉ with p_0 = 0, p_1 = 0.22,
 * p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06). For 100 steps: 0, 22, 41, 57, 70, 80, 87, 93, 99.
 */
export function apgdCheckpoints(steps: number): number[] {
  const points = [0];
  let [previous, current] = [0, 0.22];
  while (current <= 1) {
    // The tolerance keeps float noise (0.22 · 100 = 22.000000000000004) from rounding up.
    points.push(Math.ceil(current * steps - 1e-9));
    [previous, current] = [current, current + Math.max(current - previous - 0.03, 0.06)];
  }
  return [...new Set(points)];
}

const misclassified = (logits: tf.Tensor2D, y: tf.Tensor1D) =>
  tf.tidy(() => tf.notEqual(tf.argMax(logits, 1), tf.cast(y, 'int32'))) as tf.Tensor1D; // [N] bool

/** Per example, `source` where mask[i] is 1, else `target`; disposes `target`. */
function replaceWhere<T extends tf.Tensor>(mask: tf.Tensor1D, source: T, target: T): T {
  // A rank-1 condition would broadcast against the last axis, not the first: shape it [N, 1, …, 1].
  const shaped = tf.reshape(mask, [mask.shape[0], ...target.shape.slice(1).map(() => 1)]);
  const result = tf.where(shaped, source, target) as T;
  shaped.dispose();
  target.dispose();
  return result;
}

/** z = P(x_k + η sign(g)); x_{k+1} = P(x_k + a (z − x_k) + (1 − a)(x_k − x_{k−1})), with per-example η. */
function momentumStep(
  x: tf.Tensor4D,
  current: tf.Tensor4D,
  previous: tf.Tensor4D,
  gradient: tf.Tensor4D,
  stepSize: Float32Array,
  weight: number,
  epsilon: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const eta = tf.tensor4d(stepSize, [stepSize.length, 1, 1, 1]);
    const z = projectLinf(x, tf.add(current, tf.mul(eta, tf.sign(gradient))), epsilon);
    const moved = tf.add(
      current,
      tf.add(tf.mul(weight, tf.sub(z, current)), tf.mul(1 - weight, tf.sub(current, previous))),
    );
    return projectLinf(x, moved as tf.Tensor4D, epsilon);
  });
}

/**
 * At a checkpoint, which examples halve their step: those whose loss rose on fewer than ρ of the steps since
 * the last checkpoint, or whose step was not halved last time and whose best loss has not improved since.
 * Updates the bookkeeping arrays in place.
 */
function stalled(
  state: { increases: Uint16Array; reducedAtCheck: Uint8Array; bestAtCheck: Float32Array; lossBest: Float32Array },
  window: number,
): Uint8Array {
  const reduce = new Uint8Array(state.lossBest.length);
  for (let i = 0; i < reduce.length; i++) {
    const oscillating = state.increases[i] < RHO * window;
    const noProgress = state.reducedAtCheck[i] === 0 && state.bestAtCheck[i] >= state.lossBest[i];
    reduce[i] = oscillating || noProgress ? 1 : 0;
  }
  state.reducedAtCheck.set(reduce);
  state.bestAtCheck.set(state.lossBest);
  state.increases.fill(0);
  return reduce;
}

/**
 * APGD (Croce & Hein 2020) on the oracle's loss: step 2ε, momentum 0.75, and at each checkpoint a per-example
 * step halving with a restart from that example's best point. Costs steps + 1 oracle calls. Returns, per
 * example, the first misclassified iterate if any, else the highest-loss one (caller owns the result).
 * Async: the per-example losses reach the CPU with `data()` each step (a GPU has no synchronous read); the
 * tensors that live across those reads are this function's own and are disposed before it returns.
 */
export async function apgd(
  oracle: GradientOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: ApgdConfig,
  seeds: StartSeeds,
  restart = 0,
): Promise<AttackResult> {
  const n = x.shape[0];
  const checkpoints = apgdCheckpoints(config.steps);
  const stepSize = new Float32Array(n).fill(2 * config.epsilon);
  let current = config.randomStart
    ? tf.tidy(() =>
        projectLinf(x, tf.add(x, uniformStartNoise(x.shape, config.epsilon, seeds, restart)), config.epsilon),
      )
    : tf.clone(x);
  let previous = tf.clone(current);
  const first = oracle(current, y);
  let gradient = first.gradient;
  const lossBest = Float32Array.from(await first.loss.data());
  const state = {
    increases: new Uint16Array(n),
    reducedAtCheck: new Uint8Array(n),
    bestAtCheck: lossBest.slice(),
    lossBest,
  };
  let lossLast = lossBest.slice();
  let best = tf.clone(current);
  let gradientBest = tf.clone(gradient);
  let fooled = misclassified(first.logits, y);
  let firstFooled = tf.clone(current);
  tf.dispose([first.loss, first.logits]);
  let checkpoint = 1;
  for (let k = 0; k < config.steps; k++) {
    const next = momentumStep(x, current, previous, gradient, stepSize, k === 0 ? 1 : MOMENTUM, config.epsilon);
    tf.dispose([previous, gradient]);
    [previous, current] = [current, next];
    const out = oracle(current, y);
    gradient = out.gradient;
    const loss = await out.loss.data();
    const improved = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (loss[i] > lossLast[i]) state.increases[i]++;
      if (loss[i] > lossBest[i]) [lossBest[i], improved[i]] = [loss[i], 1];
    }
    lossLast = Float32Array.from(loss);
    const masks = tf.tidy(() => {
      const now = misclassified(out.logits, y);
      return {
        improved: tf.tensor1d(improved, 'bool'),
        newly: tf.logicalAnd(now, tf.logicalNot(fooled)) as tf.Tensor1D,
        fooled: tf.logicalOr(fooled, now) as tf.Tensor1D,
      };
    });
    best = replaceWhere(masks.improved, current, best);
    gradientBest = replaceWhere(masks.improved, gradient, gradientBest);
    firstFooled = replaceWhere(masks.newly, current, firstFooled);
    tf.dispose([out.loss, out.logits, fooled, masks.improved, masks.newly]);
    fooled = masks.fooled;
    if (k + 1 === checkpoints[checkpoint]) {
      const reduce = stalled(state, checkpoints[checkpoint] - checkpoints[checkpoint - 1]);
      reduce.forEach((r, i) => (stepSize[i] = r ? stepSize[i] / 2 : stepSize[i]));
      const restartMask = tf.tensor1d(reduce, 'bool');
      current = replaceWhere(restartMask, best, current);
      gradient = replaceWhere(restartMask, gradientBest, gradient);
      restartMask.dispose();
      checkpoint++;
    }
  }
  const adversarial = replaceWhere(fooled, firstFooled, best);
  const fooledFloat = tf.cast(fooled, 'float32') as tf.Tensor1D;
  tf.dispose([current, previous, gradient, gradientBest, firstFooled, fooled]);
  return { adversarial, fooled: fooledFloat };
}
