export interface EvalConfig {
  /** Robustness is measured on the first N test examples (clean accuracy on the whole test split). */
  examples: number;
  batchSize: number;
  /** The paper's evaluation attack: PGD-200. */
  steps: number;
  stepSize: number;
  randomStart: boolean;
}
