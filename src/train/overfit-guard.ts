import * as tf from '@tensorflow/tfjs';
import { pgd } from '../attack/pgd';
import type { ImageDataset } from '../data/types';
import { batchToTensors } from '../data/to-tensor';
import type { Network } from '../nn/network';
import { makeOracle } from '../nn/oracle';
import type { PhasePlan } from '../nn/phase';
import { readAndDispose } from '../util/read-tensor';
import { deriveSeed } from '../util/rng';
import type { EpochLog } from './train-position';

/** A drop of more than this (in accuracy, [0, 1]) from the best epoch counts as a collapse. */
const COLLAPSE_DROP = 0.2;
const GUARD_STEPS = 10;

/**
 * PGD-10 accuracy on the last `examples` test examples (phase 'eval': BN on running statistics). The tail of the
 * test split, because the reported robustness uses its head: the guard never selects on the evaluation examples
 * when the split is large enough (quick: 1000 test, 100 evaluated, 256 guarded). Same seed every epoch.
 */
export async function heldOutRobustness(
  net: Network,
  plan: PhasePlan,
  dataset: ImageDataset,
  options: { examples: number; epsilon: number; seed: number },
): Promise<number> {
  const total = dataset.size('test');
  const count = Math.min(options.examples, total);
  const indices = Int32Array.from({ length: count }, (_, i) => total - count + i);
  const { x, y } = batchToTensors(await dataset.read('test', indices), dataset.shape);
  // Madry et al.'s step: 2.5 ε / steps reaches the ε-ball's boundary from any start.
  const attack = {
    epsilon: options.epsilon,
    stepSize: (2.5 * options.epsilon) / GUARD_STEPS,
    steps: GUARD_STEPS,
    randomStart: true,
  };
  const result = pgd(makeOracle(net, plan, 'eval'), x, y, attack, {
    seed: deriveSeed(options.seed, 'overfit-guard'),
    exampleIds: indices,
  });
  // `fooled` scores every iterate, the random start included: robust = never misclassified.
  const fooledCount = tf.sum(result.fooled);
  tf.dispose([x, y, result.adversarial, result.fooled]);
  const [fooled] = await readAndDispose(fooledCount);
  return (count - fooled) / Math.max(1, count);
}

/** 0-based index of the epoch with the best held-out robustness (the first on ties); -1 when none measured. */
export function bestEpochIndex(epochs: readonly EpochLog[]): number {
  let best = -1;
  epochs.forEach((log, i) => {
    if (log.heldOutRobustness !== undefined && (best < 0 || log.heldOutRobustness > epochs[best].heldOutRobustness!))
      best = i;
  });
  return best;
}

/**
 * Catastrophic overfitting (Wong et al. 2020): the last epoch's held-out robustness fell more than 20 points
 * below the best epoch's while the training (adversarial) accuracy rose above the best epoch's.
 */
export function hasCollapsed(epochs: readonly EpochLog[]): boolean {
  const last = epochs[epochs.length - 1];
  const best = bestEpochIndex(epochs.slice(0, -1));
  if (!last || last.heldOutRobustness === undefined || best < 0) return false;
  const before = epochs[best];
  return (
    last.heldOutRobustness < before.heldOutRobustness! - COLLAPSE_DROP &&
    last.adversarialAccuracy > before.adversarialAccuracy
  );
}
