import type { SuiteName } from './suites';

export interface EvalConfig {
  /** Robustness is measured on the first N test examples (clean accuracy on the whole test split). */
  examples: number;
  batchSize: number;
  /** The paper's evaluation attack: PGD-200. */
  steps: number;
  /** That PGD's step as a multiple of ε (as train.attack.stepSizeFactor), so an ε override scales it too. */
  stepSizeFactor: number;
  randomStart: boolean;
  /** The attacks run after the paper's PGD and the sanity checks' sizes (src/eval/suites.ts). */
  suite: SuiteName;
}
