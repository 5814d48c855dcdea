import type { EvalResult } from './result';
import { sanityCell, type SanityCheck } from './sanity';
import { countOnes, wilsonInterval, type Interval } from './statistics';

export interface AttackSummary {
  name: string;
  steps: number;
  oracleCallsPerExample: number;
  /** Examples it ran on (a cascade: those still standing before it) and those it broke that earlier attacks had not. */
  attacked: number;
  broken: number;
  /** Accuracy once it and every earlier attack have run, in [0, 1]. */
  robustnessAfter: number;
  /** Accuracy under this attack alone, in [0, 1]: only in a standalone evaluation (`eval --standalone`). */
  robustness?: number;
}

/** The JSON-serialisable evaluation stored in metrics.json (`RunMetrics.evaluation`). Fractions in [0, 1]. */
export interface EvalSummary {
  suite: string;
  epsilon: number;
  numClasses: number;
  testExamples: number;
  attackedExamples: number;
  /** Clean accuracy on the whole test split. */
  accuracy: number;
  /** Accuracy under the paper's PGD-k (attacks[0]). */
  robustness: number;
  /** Accuracy under the per-example worst case over every attack of the suite. */
  robustnessWorst: number;
  /** robustness − robustnessWorst: the share of examples the rest of the suite breaks that the paper's PGD did not. */
  worstMinusPgd: number;
  /** Accuracy under the paper's PGD and AutoAttack's standard four; absent unless the suite ran them (autoattack, standard). */
  robustnessAa?: number;
  /** True when each attack ran only on the examples still standing (the default). */
  cascade: boolean;
  /** Wilson 95 % intervals: evaluation noise only (accuracy over testExamples, the others over attackedExamples). */
  accuracyCi: Interval;
  robustnessCi: Interval;
  robustnessWorstCi: Interval;
  attacks: AttackSummary[];
  /** Oracle calls per attacked example for the whole suite, and per sanity-subset example for the sanity attacks. */
  oracleCallsPerExample: number;
  sanity: {
    /** 'ok' or the failed checks' names joined with '+'. */
    cell: string;
    examples: number;
    oracleCallsPerExample: number;
    deadGradientShare: number;
    checks: SanityCheck[];
  };
  /** 0/1 per example, packed (see packBits): the inputs of paired tests between runs. */
  perExample: { cleanCorrect: string; robustCorrect: string; worstCorrect: string; aaCorrect?: string };
}

/** 0/1 flags as base64 of bytes, bit i of byte j holding flag 8j + i: 500 flags take 84 characters. */
export function packBits(flags: ArrayLike<number>): string {
  const bytes = new Uint8Array(Math.ceil(flags.length / 8));
  for (let i = 0; i < flags.length; i++) if (flags[i]) bytes[i >> 3] |= 1 << (i & 7);
  return Buffer.from(bytes).toString('base64');
}

export function unpackBits(packed: string, length: number): Uint8Array {
  const bytes = Buffer.from(packed, 'base64');
  if (bytes.length !== Math.ceil(length / 8))
    throw new RangeError(`unpackBits: ${bytes.length} bytes cannot hold exactly ${length} flags`);
  return Uint8Array.from({ length }, (_, i) => (bytes[i >> 3] >> (i & 7)) & 1);
}

export function summarizeEvaluation(result: EvalResult): EvalSummary {
  const attacked = result.attackedExamples;
  return {
    suite: result.suite,
    epsilon: result.epsilon,
    numClasses: result.numClasses,
    testExamples: result.testExamples,
    attackedExamples: attacked,
    accuracy: result.accuracy,
    robustness: result.robustness,
    robustnessWorst: result.robustnessWorst,
    worstMinusPgd: result.robustness - result.robustnessWorst,
    robustnessAa: result.robustnessAa,
    cascade: result.cascade,
    accuracyCi: wilsonInterval(countOnes(result.cleanCorrectAll), result.testExamples),
    robustnessCi: wilsonInterval(countOnes(result.robustCorrect), attacked),
    robustnessWorstCi: wilsonInterval(countOnes(result.worstCorrect), attacked),
    attacks: result.attacks.map((a) => ({
      name: a.name,
      steps: a.steps,
      oracleCallsPerExample: a.oracleCallsPerExample,
      attacked: countOnes(a.attacked),
      broken: a.broken,
      robustnessAfter: a.robustnessAfter,
      robustness: a.robustness,
    })),
    oracleCallsPerExample: result.attacks.reduce((s, a) => s + a.oracleCallsPerExample, 0) + 1, // + 1: the dead-gradient probe
    sanity: {
      cell: sanityCell(result.sanity),
      examples: result.sanityExamples,
      oracleCallsPerExample: result.sanityOracleCallsPerExample,
      deadGradientShare: countOnes(result.deadGradient) / Math.max(1, attacked),
      checks: result.sanity,
    },
    perExample: {
      cleanCorrect: packBits(result.cleanCorrectAll),
      robustCorrect: packBits(result.robustCorrect),
      worstCorrect: packBits(result.worstCorrect),
      aaCorrect: result.aaCorrect && packBits(result.aaCorrect),
    },
  };
}

/** One run's per-example evaluation record: plain numbers, one entry per attacked test example. */
export interface ExamplesRecord {
  /** Test-split index of each attacked example. */
  index: ArrayLike<number>;
  label: ArrayLike<number>;
  cleanPrediction: ArrayLike<number>;
  /**
   * Per attack, in suite order (the paper's PGD first): 1 = the example is not robust to it (misclassified
   * clean, or some scored iterate misclassified). Robust accuracy under an attack is the mean of 1 − success.
   */
  attacks: ReadonlyArray<{ name: string; success: ArrayLike<number> }>;
}

/**
 * The per-example record for examples.csv: success = misclassified clean, or fooled by that attack. In a cascade an
 * attack did not run on examples an earlier one broke (0 there); the `worst` column is the same either way.
 */
export function examplesRecord(result: EvalResult): ExamplesRecord {
  const notRobust = (fooled: Uint8Array) => fooled.map((f, i) => (f === 1 || result.cleanCorrect[i] === 0 ? 1 : 0));
  return {
    index: Int32Array.from({ length: result.attackedExamples }, (_, i) => result.firstExample + i),
    label: result.labels,
    cleanPrediction: result.cleanPrediction,
    attacks: result.attacks.map((a) => ({ name: a.name, success: notRobust(a.fooled) })),
  };
}
