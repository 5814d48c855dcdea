import * as tf from '@tensorflow/tfjs';
import { apgd, type ApgdConfig } from './apgd';
import { dlrTargetedLoss } from './losses';
import type { ModelOracle, StartSeeds } from './oracle';
import { overTargets } from './per-target';
import type { AttackResult } from './pgd';

export interface ApgdTargetedConfig extends ApgdConfig {
  /** How many runner-up classes to target (AutoAttack: 9). */
  targets: number;
}

/**
 * APGD-T (Croce & Hein 2020): APGD on the targeted DLR loss toward each of the 2nd to (targets + 1)-th highest clean
 * logits; an example is fooled when any target's run fooled it. The targets' runs share batches (overTargets), and
 * an example's rows leave together once one of them is fooled. Costs one forward pass plus at most
 * targets × (steps + 1) oracle calls per example. The caller owns the result.
 */
export function apgdTargeted(
  oracle: ModelOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: ApgdTargetedConfig,
  seeds: StartSeeds,
  rowsPerRun?: number,
): Promise<AttackResult> {
  return overTargets(
    oracle,
    x,
    y,
    config.targets,
    seeds,
    (xs, ys, targets, rowSeeds, groups) =>
      apgd(
        (point, labels, open) => {
          const openTargets = tf.tensor1d(
            Int32Array.from(open, (row) => targets[row]),
            'int32',
          );
          const out = oracle.gradient(point, labels, dlrTargetedLoss(openTargets));
          openTargets.dispose();
          return out;
        },
        xs,
        ys,
        config,
        rowSeeds,
        0,
        groups,
      ),
    rowsPerRun,
  );
}
