import * as tf from '@tensorflow/tfjs';
import { readAndDispose } from '../util/read-tensor';
import { projectOntoHyperplaneLinf } from './linf-projection';
import { logitDifferenceLoss } from './losses';
import type { ModelOracle, StartSeeds } from './oracle';
import { overTargets } from './per-target';
import type { AttackResult } from './pgd';

export interface FabConfig {
  epsilon: number;
  steps: number;
  /** How many runner-up classes to target (AutoAttack: 9). */
  targets: number;
}

/** FAB's constants (Croce & Hein 2020; AutoAttack's defaults): extrapolation η, bias to the origin α_max, backoff β. */
const OVERSHOOT = 1.05;
const MAX_ORIGIN_WEIGHT = 0.1;
const BACKOFF = 0.9;

/** The smallest adversarial L∞ norm found per example (Infinity where none), beside the attack's result. */
export interface FabResult extends AttackResult {
  norm: Float32Array; // [N]
}

/** Index of the largest of values[from, from + count) (the first on ties, as argMax). */
function argMax(values: ArrayLike<number>, from: number, count: number): number {
  let best = 0;
  for (let c = 1; c < count; c++) if (values[from + c] > values[from + best]) best = c;
  return best;
}

const linfDistance = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let max = 0;
  for (let j = 0; j < a.length; j++) max = Math.max(max, Math.abs(a[j] - b[j]));
  return max;
};

/** max_j |a_j|: linfDistance from the origin (|a − 0| = |a| exactly), without a row of zeros to subtract. */
const linfNorm = (a: ArrayLike<number>) => {
  let max = 0;
  for (let j = 0; j < a.length; j++) max = Math.max(max, Math.abs(a[j]));
  return max;
};

/**
 * One FAB step for one row: project the current point x1 and the origin x0 onto the boundary linearised at x1
 * (z_t − z_y + ∇·(z − x1) = 0), mix the two projections (at most α_max toward the origin's), overshoot by η, clip.
 */
function fabStep(x1: Float32Array, x0: Float32Array, w: Float32Array, loss: number, moved: Float32Array): void {
  const dims = x1.length;
  let b = -loss;
  for (let j = 0; j < dims; j++) b += w[j] * x1[j];
  const d1 = projectOntoHyperplaneLinf(x1, w, b, new Float32Array(dims));
  const d2 = projectOntoHyperplaneLinf(x0, w, b, new Float32Array(dims));
  const a1 = Math.max(linfNorm(d1), 1e-8);
  const a2 = Math.max(linfNorm(d2), 1e-8);
  const weight = Math.min(Math.max(a1 / (a1 + a2), 0), MAX_ORIGIN_WEIGHT);
  for (let j = 0; j < dims; j++) {
    const mixed = (x1[j] + d1[j] * OVERSHOOT) * (1 - weight) + (x0[j] + d2[j] * OVERSHOOT) * weight;
    moved[j] = Math.min(1, Math.max(0, mixed));
  }
}

/** The oracle's gradient and loss z_t − z_y at `points` (one row per label, each of `rowShape`), read to the host. */
async function targetedGradient(
  oracle: ModelOracle,
  points: Float32Array,
  rowShape: [number, number, number], // [H, W, C]
  rows: { labels: Int32Array; targets: Int32Array },
): Promise<{ gradient: Float32Array; loss: Float32Array }> {
  const batch = tf.tidy(() => ({
    x: tf.tensor(points, [rows.labels.length, ...rowShape]) as tf.Tensor4D,
    y: tf.tensor1d(rows.labels, 'int32'),
    targets: tf.tensor1d(rows.targets, 'int32'),
  }));
  const out = oracle.gradient(batch.x, batch.y, logitDifferenceLoss(batch.targets)); // loss = z_t − z_y
  tf.dispose([batch.x, batch.y, batch.targets, out.logits]);
  return {
    gradient: (await readAndDispose(out.gradient)) as Float32Array,
    loss: (await readAndDispose(out.loss)) as Float32Array,
  };
}

/**
 * A misclassified step for one row: `moved` becomes the row's best point when its norm is the smallest so far,
 * and the row's current point backs off from `moved` toward the origin by β. Returns the row's best norm.
 */
function recordAndBackOff(
  moved: Float32Array,
  rowOf: { origin: Float32Array; current: Float32Array; best: Float32Array },
  bestNorm: number,
): number {
  const norm = linfDistance(moved, rowOf.origin);
  const smallest = norm < bestNorm;
  if (smallest) rowOf.best.set(moved);
  const x0 = rowOf.origin;
  moved.forEach((v, j) => (rowOf.current[j] = x0[j] + (v - x0[j]) * BACKOFF));
  return smallest ? norm : bestNorm;
}

/**
 * FAB toward one target class per row (L∞): from the clean point, `steps` projections onto the linearised
 * label/target boundary; each time the iterate is misclassified its norm is recorded if smallest so far and the
 * iterate backs off toward the clean point by β. Deterministic (no random start, as AutoAttack's FAB-T).
 * Fooled: the smallest adversarial norm is ≤ ε. With `untilFooled`, a row (and its group) leaves once that holds:
 * its flag cannot change, only its norm could still shrink. The model sees one gradient and one forward batch per
 * step; the projections and bookkeeping run on the host. Costs steps oracle calls plus steps forward passes.
 */
export async function fabSingleTarget(
  oracle: ModelOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  targets: ArrayLike<number>,
  config: Omit<FabConfig, 'targets'> & { untilFooled?: boolean },
  groups?: ArrayLike<number>,
): Promise<FabResult> {
  const [n, ...rowShape] = x.shape;
  const dims = rowShape.reduce((a, b) => a * b, 1);
  const origin = Float32Array.from(await x.data());
  const labels = Int32Array.from(await y.data());
  const current = origin.slice();
  const best = origin.slice();
  const bestNorm = new Float32Array(n).fill(Infinity);
  const row = (values: Float32Array, i: number) => values.subarray(i * dims, (i + 1) * dims);
  let open = Int32Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < config.steps && open.length > 0; k++) {
    const m = open.length;
    const points = new Float32Array(m * dims);
    open.forEach((i, r) => points.set(row(current, i), r * dims));
    const { gradient, loss } = await targetedGradient(oracle, points, rowShape, {
      labels: Int32Array.from(open, (i) => labels[i]),
      targets: Int32Array.from(open, (i) => targets[i]),
    });
    const moved = new Float32Array(m * dims);
    open.forEach((i, r) => fabStep(row(points, r), row(origin, i), row(gradient, r), loss[r], row(moved, r)));
    const logits = (await readAndDispose(
      tf.tidy(() => oracle.logits(tf.tensor(moved, [m, ...rowShape]) as tf.Tensor4D)),
    )) as Float32Array;
    const classes = logits.length / m;
    open.forEach((i, r) => {
      const misclassified = argMax(logits, r * classes, classes) !== labels[i];
      const rowOf = { origin: row(origin, i), current: row(current, i), best: row(best, i) };
      if (misclassified) bestNorm[i] = recordAndBackOff(row(moved, r), rowOf, bestNorm[i]);
      else rowOf.current.set(row(moved, r));
    });
    if (config.untilFooled) {
      const groupOf = (i: number) => (groups ? groups[i] : i);
      const done = new Set(Array.from(open, (i) => (bestNorm[i] <= config.epsilon ? groupOf(i) : -1)));
      open = open.filter((i) => !done.has(groupOf(i)));
    }
  }
  const fooled = Float32Array.from(bestNorm, (norm) => (norm <= config.epsilon ? 1 : 0));
  const adversarial = origin.slice();
  fooled.forEach((f, i) => f === 1 && adversarial.set(row(best, i), i * dims));
  return { adversarial: tf.tensor(adversarial, x.shape) as tf.Tensor4D, fooled: tf.tensor1d(fooled), norm: bestNorm };
}

/**
 * FAB-T (Croce & Hein 2020, L∞, as in AutoAttack's standard version): fabSingleTarget toward the 2nd to
 * (targets + 1)-th highest clean logit; an example is fooled when any target's run fooled it. The targets' runs
 * share batches (overTargets), and an example's rows leave together once one of them fooled it.
 * Costs one forward pass plus at most targets × steps × (oracle call + forward pass) per example.
 */
export function fabTargeted(
  oracle: ModelOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: FabConfig,
  seeds: StartSeeds,
  rowsPerRun?: number,
): Promise<AttackResult> {
  return overTargets(
    oracle,
    x,
    y,
    config.targets,
    seeds,
    async (xs, ys, targets, _seeds, groups) => {
      const { adversarial, fooled } = await fabSingleTarget(
        oracle,
        xs,
        ys,
        targets,
        { ...config, untilFooled: true },
        groups,
      );
      return { adversarial, fooled };
    },
    rowsPerRun,
  );
}
