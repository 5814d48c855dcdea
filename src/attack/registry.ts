import type * as tf from '@tensorflow/tfjs';
import { apgd } from './apgd';
import type { GradientOracle, StartSeeds } from './oracle';
import { keepFirstSuccess, pgdWithRestarts, type AttackResult } from './pgd';

/** What every evaluation attack is given; an attack ignores settings it has no use for (APGD sets its own step). */
export interface AttackSettings {
  epsilon: number;
  steps: number;
  /** PGD's fixed step; APGD starts at 2ε and adapts per example. */
  stepSize: number;
  restarts: number;
  randomStart: boolean;
}

export interface AttackSpec {
  description: string;
  /** Oracle calls per example for these settings (each call is one forward and one backward pass). */
  oracleCalls(settings: AttackSettings): number;
  /** Async because an adaptive attack (APGD) reads per-example losses, and a GPU has only asynchronous reads. */
  run(oracle: GradientOracle, x: tf.Tensor4D, y: tf.Tensor1D, settings: AttackSettings, seeds: StartSeeds): Promise<AttackResult>;
}

const restartsOf = (s: AttackSettings) => (s.randomStart ? Math.max(1, s.restarts) : 1);

/** Every evaluation attack; suites (src/eval/suites.ts) name them from here. */
export const ATTACKS = {
  pgd: {
    description: 'L∞ PGD with fixed step, every iterate scored, per-example worst case over restarts',
    oracleCalls: (s) => restartsOf(s) * (s.steps + 1),
    run: async (oracle, x, y, s, seeds) => pgdWithRestarts(oracle, x, y, s, seeds),
  },
  apgd: {
    description: 'APGD (Croce & Hein 2020): adaptive per-example step, momentum 0.75, restarts from the best point',
    oracleCalls: (s) => restartsOf(s) * (s.steps + 1),
    run: async (oracle, x, y, s, seeds) => {
      let result = await apgd(oracle, x, y, s, seeds, 0);
      for (let restart = 1; restart < restartsOf(s); restart++) result = keepFirstSuccess(result, await apgd(oracle, x, y, s, seeds, restart));
      return result;
    },
  },
} satisfies Record<string, AttackSpec>;

export type AttackName = keyof typeof ATTACKS;
export const ATTACK_NAMES = Object.keys(ATTACKS) as AttackName[];
