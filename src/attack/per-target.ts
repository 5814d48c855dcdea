import * as tf from '@tensorflow/tfjs';
import { readAndDispose } from '../util/read-tensor';
import { deriveSeed } from '../util/rng';
import { rankedClass } from './losses';
import type { ModelOracle, StartSeeds } from './oracle';
import type { AttackResult } from './pgd';

/** One targeted run on a subset: its inputs, labels [k], target classes [k] and per-example seeds. */
export type TargetedRun = (
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  targets: tf.Tensor1D,
  seeds: StartSeeds,
) => Promise<AttackResult>;

/** Positions i where test(values[i]). */
export function indicesWhere(values: ArrayLike<number>, test: (value: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (test(values[i])) out.push(i);
  return Int32Array.from(out);
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

/**
 * The targeted scheme of APGD-T and FAB-T (Croce & Hein 2020): target classes are the 2nd, 3rd, … highest clean
 * logits, one run per target, each only on the examples no earlier target has fooled. An example's outcome depends
 * only on its own runs (seeds per (seed, target rank, example)), so it is the same in any batch or shard.
 * Costs one forward pass for the clean logits, then `runOne`'s cost per target on the examples still standing.
 */
export async function overTargets(
  oracle: ModelOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  targets: number,
  seeds: StartSeeds,
  runOne: TargetedRun,
): Promise<AttackResult> {
  const n = x.shape[0];
  const clean = oracle.logits(x);
  const ranks = Math.min(targets, clean.shape[1] - 1);
  const fooled = new Float32Array(n);
  let adversarial = tf.clone(x);
  for (let rank = 2; rank <= ranks + 1; rank++) {
    const standing = indicesWhere(fooled, (f) => f === 0);
    if (standing.length === 0) break;
    const subset = tf.tidy(() => {
      const at = tf.tensor1d(standing, 'int32');
      return {
        x: tf.gather(x, at) as tf.Tensor4D,
        y: tf.gather(y, at) as tf.Tensor1D,
        targets: tf.gather(rankedClass(clean, rank), at) as tf.Tensor1D,
      };
    });
    const subSeeds = {
      seed: deriveSeed(seeds.seed, 'target', rank),
      exampleIds: Array.from(standing, (i) => seeds.exampleIds[i]),
    };
    const result = await runOne(subset.x, subset.y, subset.targets, subSeeds).finally(() =>
      tf.dispose([subset.x, subset.y, subset.targets]),
    );
    const subFooled = await readAndDispose(result.fooled);
    const newlyInSubset = indicesWhere(subFooled, (f) => f === 1);
    if (newlyInSubset.length > 0) {
      const newly = newlyInSubset.map((k) => standing[k]);
      const rows = tf.tidy(() => tf.gather(result.adversarial, tf.tensor1d(newlyInSubset, 'int32')) as tf.Tensor4D);
      adversarial = scatterRows(adversarial, rows, newly);
      rows.dispose();
      newly.forEach((i) => (fooled[i] = 1));
    }
    result.adversarial.dispose();
  }
  clean.dispose();
  return { adversarial, fooled: tf.tensor1d(fooled) };
}
