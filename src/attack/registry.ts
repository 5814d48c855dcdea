import type * as tf from '@tensorflow/tfjs';
import { apgd } from './apgd';
import { apgdTargeted } from './apgd-targeted';
import { fabTargeted } from './fab';
import { ATTACK_LOSSES } from './losses';
import type { AttackLoss, GradientOracle, ModelOracle, StartSeeds } from './oracle';
import { keepFirstSuccess, pgdWithRestarts, type AttackResult } from './pgd';
import { square } from './square';

/** What every evaluation attack is given; an attack ignores settings it has no use for (APGD sets its own step). */
export interface AttackSettings {
  epsilon: number;
  /** Iterations; Square's queries. */
  steps: number;
  /** PGD's fixed step; APGD starts at 2ε and adapts per example. */
  stepSize: number;
  restarts: number;
  randomStart: boolean;
  /** The loss of the untargeted gradient attacks (PGD, APGD); the others have their own. */
  loss: AttackLoss;
  /** Targeted attacks (APGD-T, FAB-T): how many runner-up classes to target in turn. */
  targets: number;
}

export interface AttackSpec {
  description: string;
  /**
   * Cost per example for these settings in oracle calls (one forward and one backward pass each), an upper bound
   * (targeted attacks stop at the first target that fools an example); a forward pass alone counts 1/3.
   */
  oracleCalls(settings: AttackSettings): number;
  /** Async because adaptive attacks read per-example values, and a GPU has only asynchronous reads. */
  run(
    oracle: ModelOracle,
    x: tf.Tensor4D,
    y: tf.Tensor1D,
    settings: AttackSettings,
    seeds: StartSeeds,
  ): Promise<AttackResult>;
}

/** AutoAttack's Square: the first squares cover 80 % of the image. */
export const SQUARE_INITIAL_SHARE = 0.8;

const restartsOf = (s: AttackSettings) => (s.randomStart ? Math.max(1, s.restarts) : 1);
const FORWARD = 1 / 3;
const withLoss =
  (oracle: ModelOracle, loss: AttackLoss): GradientOracle =>
  (x, y) =>
    oracle.gradient(x, y, ATTACK_LOSSES[loss]);

/** Every evaluation attack; suites (src/eval/suites.ts) name them from here. */
export const ATTACKS = {
  pgd: {
    description: 'L∞ PGD with fixed step, every iterate scored, per-example worst case over restarts',
    oracleCalls: (s) => restartsOf(s) * (s.steps + 1),
    run: (oracle, x, y, s, seeds) => pgdWithRestarts(withLoss(oracle, s.loss), x, y, s, seeds),
  },
  apgd: {
    description: 'APGD (Croce & Hein 2020): adaptive per-example step, momentum 0.75, restarts from the best point',
    oracleCalls: (s) => restartsOf(s) * (s.steps + 1),
    run: async (oracle, x, y, s, seeds) => {
      const gradientOracle = withLoss(oracle, s.loss);
      let result = await apgd(gradientOracle, x, y, s, seeds, 0);
      for (let restart = 1; restart < restartsOf(s); restart++)
        result = keepFirstSuccess(result, await apgd(gradientOracle, x, y, s, seeds, restart));
      return result;
    },
  },
  'apgd-t': {
    description:
      'APGD-T (Croce & Hein 2020): APGD on the targeted DLR loss toward each of the top runner-up classes in turn',
    oracleCalls: (s) => FORWARD + s.targets * (s.steps + 1),
    run: (oracle, x, y, s, seeds) => apgdTargeted(oracle, x, y, s, seeds),
  },
  'fab-t': {
    description:
      'FAB-T (Croce & Hein 2020), L∞: minimal-norm steps onto the linearised boundary toward each runner-up class',
    oracleCalls: (s) => FORWARD + s.targets * s.steps * (1 + FORWARD),
    run: (oracle, x, y, s, seeds) => fabTargeted(oracle, x, y, s, seeds),
  },
  square: {
    description:
      'Square Attack (Andriushchenko et al. 2020), L∞: random search on the margin loss, logits only, no gradient',
    oracleCalls: (s) => (1 + s.steps) * FORWARD,
    run: (oracle, x, y, s, seeds) =>
      square(oracle, x, y, { epsilon: s.epsilon, queries: s.steps, initialShare: SQUARE_INITIAL_SHARE }, seeds),
  },
} satisfies Record<string, AttackSpec>;

export type AttackName = keyof typeof ATTACKS;
export const ATTACK_NAMES = Object.keys(ATTACKS) as AttackName[];
