import * as tf from '@tensorflow/tfjs';
import type { OracleOutput, StartSeeds } from './oracle';
import { misclassifiedNow, type AttackResult } from './pgd';
import { projectLinf, uniformStartNoise } from './random-start';
import { keepRows, WorkingRows } from './working-rows';

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
 * The oracle APGD calls: a per-example loss's gradient at the rows still attacked, `open` naming their rows of the
 * original batch (a targeted loss picks those rows' targets). A plain GradientOracle ignores it.
 */
export type RowGradientOracle = (x: tf.Tensor4D, y: tf.Tensor1D, open: Int32Array) => OracleOutput;

/** What APGD carries per attacked row between steps: tensors [open rows, …] and host arrays [open rows]. */
interface Walk {
  origin: tf.Tensor4D;
  labels: tf.Tensor1D;
  current: tf.Tensor4D;
  previous: tf.Tensor4D;
  gradient: tf.Tensor4D;
  best: tf.Tensor4D;
  gradientBest: tf.Tensor4D;
  stepSize: Float32Array;
  lossLast: Float32Array;
  increases: Uint16Array;
  reducedAtCheck: Uint8Array;
  bestAtCheck: Float32Array;
  lossBest: Float32Array;
}

const WALK_TENSORS = ['origin', 'labels', 'current', 'previous', 'gradient', 'best', 'gradientBest'] as const;

/** The walk's rows `keep` (when some rows left); disposes the dropped tensors. */
function keepWalk(walk: Walk, keep: Int32Array | null): Walk {
  if (!keep) return walk;
  const kept = { ...walk };
  for (const name of WALK_TENSORS) (kept[name] as tf.Tensor) = keepRows(walk[name], keep);
  return {
    ...kept,
    stepSize: Float32Array.from(keep, (k) => walk.stepSize[k]),
    lossLast: Float32Array.from(keep, (k) => walk.lossLast[k]),
    increases: Uint16Array.from(keep, (k) => walk.increases[k]),
    reducedAtCheck: Uint8Array.from(keep, (k) => walk.reducedAtCheck[k]),
    bestAtCheck: Float32Array.from(keep, (k) => walk.bestAtCheck[k]),
    lossBest: Float32Array.from(keep, (k) => walk.lossBest[k]),
  };
}

/** The walk at its start point, scored once; and which rows the start already fooled. */
async function startWalk(
  oracle: RowGradientOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  open: Int32Array,
  start: tf.Tensor4D,
  epsilon: number,
): Promise<{ walk: Walk; fooledNow: Uint8Array }> {
  const first = oracle(start, y, open);
  const lossStart = Float32Array.from(await first.loss.data());
  const fooledNow = await misclassifiedNow(first.logits, y);
  tf.dispose([first.loss, first.logits]);
  const walk: Walk = {
    origin: tf.clone(x),
    labels: tf.clone(y),
    current: start,
    previous: tf.clone(start),
    gradient: first.gradient,
    best: tf.clone(start),
    gradientBest: tf.clone(first.gradient),
    stepSize: new Float32Array(x.shape[0]).fill(2 * epsilon),
    lossLast: lossStart.slice(),
    increases: new Uint16Array(x.shape[0]),
    reducedAtCheck: new Uint8Array(x.shape[0]),
    bestAtCheck: lossStart.slice(),
    lossBest: lossStart,
  };
  return { walk, fooledNow };
}

/** Scores the walk's new iterate: loss bookkeeping, best point and its gradient; returns the rows it fooled. */
async function scoreIterate(walk: Walk, out: OracleOutput): Promise<Uint8Array> {
  walk.gradient = out.gradient;
  const loss = await out.loss.data();
  const improved = new Uint8Array(loss.length);
  for (let i = 0; i < loss.length; i++) {
    if (loss[i] > walk.lossLast[i]) walk.increases[i]++;
    if (loss[i] > walk.lossBest[i]) [walk.lossBest[i], improved[i]] = [loss[i], 1];
  }
  walk.lossLast = Float32Array.from(loss);
  const fooledNow = await misclassifiedNow(out.logits, walk.labels);
  tf.dispose([out.loss, out.logits]);
  const improvedMask = tf.tensor1d(improved, 'bool');
  walk.best = replaceWhere(improvedMask, walk.current, walk.best);
  walk.gradientBest = replaceWhere(improvedMask, walk.gradient, walk.gradientBest);
  improvedMask.dispose();
  return fooledNow;
}

/**
 * APGD (Croce & Hein 2020) on the oracle's loss: step 2ε, momentum 0.75, and at each checkpoint a per-example
 * step halving with a restart from that example's best point. Costs at most steps + 1 oracle calls per example.
 * Returns, per example, the first misclassified iterate if any, else the highest-loss one (caller owns the result).
 * Every quantity is per example (step size, checkpoints' tests, best point), so an example leaves the batch at its
 * first misclassified iterate (WorkingRows; with `groups`, together with its group): the flags and points are the
 * same as when it stays, at the cost of the examples still standing only. Async: the per-example losses and flags
 * reach the host each step (a GPU has no synchronous read).
 */
export async function apgd(
  oracle: RowGradientOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: ApgdConfig,
  seeds: StartSeeds,
  restart = 0,
  groups?: ArrayLike<number>,
): Promise<AttackResult> {
  const rows = new WorkingRows(x.shape[0], x.shape.slice(1), groups);
  const checkpoints = apgdCheckpoints(config.steps);
  const start = config.randomStart
    ? tf.tidy(() =>
        projectLinf(x, tf.add(x, uniformStartNoise(x.shape, config.epsilon, seeds, restart)), config.epsilon),
      )
    : tf.clone(x);
  const started = await startWalk(oracle, x, y, rows.open, start, config.epsilon);
  let walk = keepWalk(started.walk, await rows.letGoFooled(started.fooledNow, started.walk.current));
  let checkpoint = 1;
  for (let k = 0; k < config.steps && rows.open.length > 0; k++) {
    const weight = k === 0 ? 1 : MOMENTUM;
    const next = momentumStep(
      walk.origin,
      walk.current,
      walk.previous,
      walk.gradient,
      walk.stepSize,
      weight,
      config.epsilon,
    );
    tf.dispose([walk.previous, walk.gradient]);
    [walk.previous, walk.current] = [walk.current, next];
    const fooledNow = await scoreIterate(walk, oracle(walk.current, walk.labels, rows.open));
    // The iterate just scored is the point a fooled row keeps; a checkpoint's restart only moves the next start.
    const keep = await rows.letGoFooled(fooledNow, walk.current);
    if (k + 1 === checkpoints[checkpoint]) {
      const reduce = stalled(walk, checkpoints[checkpoint] - checkpoints[checkpoint - 1]);
      reduce.forEach((r, i) => (walk.stepSize[i] = r ? walk.stepSize[i] / 2 : walk.stepSize[i]));
      const restartMask = tf.tensor1d(reduce, 'bool');
      walk.current = replaceWhere(restartMask, walk.best, walk.current);
      walk.gradient = replaceWhere(restartMask, walk.gradientBest, walk.gradient);
      restartMask.dispose();
      checkpoint++;
    }
    walk = keepWalk(walk, keep);
  }
  await rows.finish(walk.best);
  tf.dispose(WALK_TENSORS.map((name) => walk[name]));
  return rows.result();
}
