import type { AttackLoss } from '../attack/oracle';
import type { AttackName } from '../attack/registry';
import type { SanityCheck } from './sanity';
import type { GradientSource, SuiteName } from './suites';

// What an evaluation returns (evaluate.ts), shards merge and the cascade derives its totals from (cascade.ts):
// numbers and typed arrays only.

export interface AttackOutcome {
  name: string;
  attack: AttackName;
  loss: AttackLoss;
  gradient: GradientSource;
  steps: number;
  oracleCallsPerExample: number;
  /** One of AutoAttack's four at its standard budget. */
  autoAttack: boolean;
  /** Per attacked example: 1 = the attack ran on it (in a cascade: the examples still standing before it). */
  attacked: Uint8Array;
  /** Per attacked example: 1 = the attack's own success flag (some scored iterate misclassified; 0 where it did not run). */
  fooled: Uint8Array;
  /** Examples it broke that every earlier attack left standing (the cascade's count). */
  broken: number;
  /** Accuracy once this attack and every earlier one have run, in [0, 1]. */
  robustnessAfter: number;
  /** Accuracy under this attack alone, in [0, 1]: only without the cascade (`standalone`), else undefined. */
  robustness?: number;
}

export interface EvalResult {
  /** Clean accuracy on the whole test split, in [0, 1]. */
  accuracy: number;
  /** Accuracy under the paper's PGD-k (attacks[0]) on the first `examples` test examples, in [0, 1]. */
  robustness: number;
  testExamples: number;
  attackedExamples: number;
  /** Per attacked example: 1 = still correct under the paper's PGD. */
  robustCorrect: Uint8Array;
  /** Per attacked example: 1 = correct on the clean input. */
  cleanCorrect: Uint8Array;
  /** Per test example (the whole split): 1 = correct on the clean input; for paired tests on accuracy. */
  cleanCorrectAll: Uint8Array;
  /** Test-split index of the first attacked example (0 unless this is an eval shard). */
  firstExample: number;
  /** Per attacked example: the label and the clean prediction. */
  labels: Int32Array;
  cleanPrediction: Int32Array;
  suite: SuiteName;
  epsilon: number;
  numClasses: number;
  /** The suite's attacks that applied to this model, the paper's PGD first. */
  attacks: AttackOutcome[];
  /** Per attacked example: 1 = clean-correct and no attack of the suite fooled it. */
  worstCorrect: Uint8Array;
  robustnessWorst: number;
  /** Per attacked example: clean-correct and broken neither by the paper's PGD nor by AutoAttack's four; absent unless the suite ran all four. */
  aaCorrect?: Uint8Array;
  robustnessAa?: number;
  /** True when each attack ran only on the examples still standing (the default); false with `standalone`. */
  cascade: boolean;
  /** Per attacked example: 1 = all-zero or NaN input gradient at the clean point. */
  deadGradient: Uint8Array;
  sanity: SanityCheck[];
  sanityExamples: number;
  sanityOracleCallsPerExample: number;
}
