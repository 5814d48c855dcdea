import * as tf from '@tensorflow/tfjs';
import { readAndDispose } from '../util/read-tensor';
import { deriveSeed } from '../util/rng';
import type { ModelOracle, StartSeeds } from './oracle';
import type { AttackResult } from './pgd';
import { indicesWhere } from './working-rows';

/**
 * One targeted run over rows (example, target): their inputs, labels, target classes [rows], seeds, and `groups`
 * (row → its example): a run may let an example's other rows go once one of them fooled it.
 */
export type TargetedRun = (
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  targets: Int32Array,
  seeds: StartSeeds,
  groups: Int32Array,
) => Promise<AttackResult>;

/**
 * Rows of (example, target) batched into one run, at most this many (unless one target's examples alone are more):
 * a wide batch costs less per row than nine narrow ones, and 512 SmallCNN rows fit any backend's memory.
 */
export const TARGET_ROWS_PER_RUN = 512;

/**
 * The targeted scheme of APGD-T and FAB-T (Croce & Hein 2020): target classes are the 2nd, 3rd, … highest clean
 * logits, and an example counts as fooled when a run toward any of them fooled it. AutoAttack runs the targets one
 * after another, each on the examples earlier ones left standing; here as many targets as fit TARGET_ROWS_PER_RUN
 * rows run in one batch (rank-major rows, seeds per (seed, target rank, example) as when run alone), and later
 * batches run on the examples earlier ones left standing. A run toward one target never sees another's rows, so
 * the flag (the OR over targets) is the same whatever the grouping; the point kept is the lowest-ranked target's
 * that fooled the example first. Costs one forward pass for the clean logits, then `run`'s cost per row.
 */
export async function overTargets(
  oracle: ModelOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  targets: number,
  seeds: StartSeeds,
  run: TargetedRun,
  rowsPerRun = TARGET_ROWS_PER_RUN,
): Promise<AttackResult> {
  const n = x.shape[0];
  const clean = oracle.logits(x);
  const ranks = Math.min(targets, clean.shape[1] - 1);
  const ranked = await readAndDispose(tf.tidy(() => tf.topk(clean, ranks + 1).indices)); // [n, ranks + 1]
  clean.dispose();
  const fooled = new Float32Array(n);
  let adversarial = tf.clone(x);
  const ranksPerRun = Math.max(1, Math.floor(rowsPerRun / Math.max(1, n)));
  for (let firstRank = 2; firstRank <= ranks + 1; firstRank += ranksPerRun) {
    const standing = indicesWhere(fooled, (f) => f === 0);
    if (standing.length === 0) break;
    const runRanks = Math.min(ranksPerRun, ranks + 2 - firstRank);
    const rows = targetRows(x, y, seeds, { ranked, ranks, standing, firstRank, runRanks });
    const result = await run(rows.x, rows.y, rows.targets, rows.seeds, rows.exampleOf).finally(() =>
      tf.dispose([rows.x, rows.y]),
    );
    const picked = firstFoolingRows(await readAndDispose(result.fooled), rows.exampleOf);
    if (picked.size > 0) {
      const examples = Int32Array.from(picked.keys());
      const pickedRows = tf.tidy(
        () => tf.gather(result.adversarial, tf.tensor1d(Int32Array.from(picked.values()), 'int32')) as tf.Tensor4D,
      );
      adversarial = scatterRows(adversarial, pickedRows, examples);
      pickedRows.dispose();
      examples.forEach((i) => (fooled[i] = 1));
    }
    result.adversarial.dispose();
  }
  return { adversarial, fooled: tf.tensor1d(fooled) };
}

/** One run's rows: `runRanks` targets from `firstRank` on, rank-major, for the `standing` examples. */
interface RunRows {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
  targets: Int32Array;
  seeds: StartSeeds;
  /** Row → its example. */
  exampleOf: Int32Array;
}

/**
 * The rows (example, target) of one run: inputs and labels gathered from the examples, the target class of each
 * row's rank from `ranked` (clean top-k, [n, ranks + 1]), and the seed each row would get were its rank run alone.
 * The caller owns `x` and `y`.
 */
function targetRows(
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  seeds: StartSeeds,
  plan: { ranked: ArrayLike<number>; ranks: number; standing: Int32Array; firstRank: number; runRanks: number },
): RunRows {
  const { ranked, ranks, standing, firstRank, runRanks } = plan;
  const m = standing.length;
  const exampleOf = Int32Array.from({ length: runRanks * m }, (_, row) => standing[row % m]);
  const rankOf = (row: number) => firstRank + Math.floor(row / m);
  const targets = Int32Array.from(exampleOf, (i, row) => ranked[i * (ranks + 1) + rankOf(row) - 1]);
  const rowSeeds = Int32Array.from(exampleOf, (_, row) => deriveSeed(seeds.seed, 'target', rankOf(row)));
  const rows = tf.tidy(() => {
    const at = tf.tensor1d(exampleOf, 'int32');
    return { x: tf.gather(x, at) as tf.Tensor4D, y: tf.gather(y, at) as tf.Tensor1D };
  });
  const rowSeedsSpec = {
    seed: seeds.seed,
    exampleIds: Array.from(exampleOf, (i) => seeds.exampleIds[i]),
    rowSeeds: Array.from(rowSeeds),
  };
  return { ...rows, targets, seeds: rowSeedsSpec, exampleOf };
}

/** Per example, its lowest-ranked fooling row (rows are rank-major): example → row, in row order. */
function firstFoolingRows(rowFooled: ArrayLike<number>, exampleOf: Int32Array): Map<number, number> {
  const picked = new Map<number, number>();
  for (let row = 0; row < rowFooled.length; row++)
    if (rowFooled[row] === 1 && !picked.has(exampleOf[row])) picked.set(exampleOf[row], row);
  return picked;
}

/** Rows `indices` of `source` written over `target` (same shape); disposes `target`. */
function scatterRows(target: tf.Tensor4D, source: tf.Tensor4D, indices: Int32Array): tf.Tensor4D {
  const result = tf.tidy(() => {
    const at = tf.tensor2d(indices, [indices.length, 1], 'int32');
    const spread = tf.scatterND(at, source, target.shape) as tf.Tensor4D;
    const mask = tf.scatterND(at, tf.ones([indices.length]), [target.shape[0]]).reshape([-1, 1, 1, 1]);
    return tf.where(tf.cast(mask, 'bool'), spread, target) as tf.Tensor4D;
  });
  target.dispose();
  return result;
}
