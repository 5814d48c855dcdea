import type * as tf from '@tensorflow/tfjs';
import { apgd, type ApgdConfig } from './apgd';
import { dlrTargetedLoss } from './losses';
import type { ModelOracle, StartSeeds } from './oracle';
import { overTargets } from './per-target';
import type { AttackResult } from './pgd';

export interface ApgdTargetedConfig extends ApgdConfig {
  /** How many runner-up classes to target in turn (AutoAttack: 9). */
  targets: number;
}

/**
 * APGD-T (Croce & Hein 2020): APGD on the targeted DLR loss, once per target class (the 2nd to (targets + 1)-th
 * highest clean logit), each run only on the examples earlier targets left standing. Costs one forward pass plus
 * at most targets × (steps + 1) oracle calls per example. The caller owns the result.
 */
export function apgdTargeted(
  oracle: ModelOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: ApgdTargetedConfig,
  seeds: StartSeeds,
): Promise<AttackResult> {
  return overTargets(oracle, x, y, config.targets, seeds, (xs, ys, targets, subSeeds) => {
    const loss = dlrTargetedLoss(targets);
    return apgd((point, labels) => oracle.gradient(point, labels, loss), xs, ys, config, subSeeds);
  });
}
