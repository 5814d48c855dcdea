import * as tf from '@tensorflow/tfjs';
import type { AttackLoss } from '../attack/oracle';
import { ATTACKS, type AttackName } from '../attack/registry';
import { batchToTensors } from '../data/to-tensor';
import type { ImageDataset } from '../data/types';
import { forward } from '../nn/forward';
import type { Network } from '../nn/network';
import type { PhasePlan } from '../nn/phase';
import type { Progress } from '../util/progress';
import { readAndDispose } from '../util/read-tensor';
import type { EvalConfig } from './config';
import { batchRanges, deadGradients, indexRange, runRecipes } from './run-attacks';
import { robustAccuracy, runSanityChecks, SANITY_CHECKS, type SanityCheck } from './sanity';
import { EVAL_SUITES, madryPgd, resolveSuite, type GradientSource, type SuiteName } from './suites';

export interface AttackOutcome {
  name: string;
  attack: AttackName;
  loss: AttackLoss;
  gradient: GradientSource;
  steps: number;
  oracleCallsPerExample: number;
  /** Per attacked example: 1 = the attack's own success flag (some scored iterate misclassified). */
  fooled: Uint8Array;
  /** Accuracy under this attack alone, in [0, 1]. */
  robustness: number;
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
  /** Per attacked example: 1 = all-zero or NaN input gradient at the clean point. */
  deadGradient: Uint8Array;
  sanity: SanityCheck[];
  sanityExamples: number;
  sanityOracleCallsPerExample: number;
}

export interface EvalContext {
  epsilon: number;
  seed: number;
  runId: string;
  progress: Progress;
  /** Evaluate only attacked examples [start, end) (an eval shard); per-example arrays then cover that slice. */
  exampleRange?: [number, number];
}

/** Clean predictions (phase 'eval': BN on running statistics) for the whole test split. */
async function cleanPredictions(net: Network, plan: PhasePlan, dataset: ImageDataset, batchSize: number) {
  const total = dataset.size('test');
  const predictions = new Int32Array(total);
  const labels = new Int32Array(total);
  for (const [start, end] of batchRanges(total, batchSize)) {
    const batch = await dataset.read('test', indexRange(start, end));
    const { x, y } = batchToTensors(batch, dataset.shape);
    const predicted = tf.tidy(() => tf.argMax(forward(net, x, 'eval', plan).logits, 1));
    tf.dispose([x, y]);
    predictions.set(await readAndDispose(predicted), start);
    labels.set(batch.labels, start);
  }
  return { predictions, labels, correct: Uint8Array.from(predictions, (p, i) => (p === labels[i] ? 1 : 0)) };
}

const countOnes = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);

/**
 * Clean accuracy, then the suite (the paper's PGD-k first) on the first N test examples, then the sanity checks,
 * whose failures are also logged as named warnings. Every random start is seeded by the example's index, so a
 * shard of the examples gives the same per-example outcome. Returns numbers and typed arrays only.
 */
export async function evaluateModel(net: Network, plan: PhasePlan, dataset: ImageDataset, config: EvalConfig, context: EvalContext): Promise<EvalResult> {
  const clean = await cleanPredictions(net, plan, dataset, config.batchSize);
  const cleanCorrectAll = clean.correct;
  const [first, last] = context.exampleRange ?? [0, Math.min(config.examples, dataset.size('test'))];
  const attacked = last - first;
  const cleanCorrect = cleanCorrectAll.slice(first, last);
  const recipes = resolveSuite(config, context.epsilon, plan.forward);
  const fooledBy = await runRecipes(net, plan, dataset, recipes, { count: attacked, batchSize: config.batchSize, first }, context);
  const attacks: AttackOutcome[] = recipes.map((r) => ({
    name: r.name, attack: r.attack, loss: r.loss, gradient: r.gradient, steps: r.settings.steps,
    oracleCallsPerExample: ATTACKS[r.attack].oracleCalls(r.settings),
    fooled: fooledBy.get(r.name)!,
    robustness: robustAccuracy(cleanCorrect, fooledBy.get(r.name)!),
  }));
  const worstCorrect = cleanCorrect.map((c, i) => (c === 1 && attacks.every((a) => a.fooled[i] === 0) ? 1 : 0));
  const deadGradient = await deadGradients(net, plan, dataset, { count: attacked, batchSize: config.batchSize, first });

  const { sanity, sanityExamples, sanityOracleCallsPerExample } = await sanityChecks(net, plan, dataset, config, context, {
    cleanCorrect, deadGradient, worstCorrect, attacks,
  });
  const robustCorrect = cleanCorrect.map((c, i) => (c === 1 && attacks[0].fooled[i] === 0 ? 1 : 0));
  return {
    accuracy: countOnes(cleanCorrectAll) / Math.max(1, cleanCorrectAll.length),
    robustness: countOnes(robustCorrect) / Math.max(1, attacked),
    testExamples: cleanCorrectAll.length,
    attackedExamples: attacked,
    robustCorrect,
    cleanCorrect,
    cleanCorrectAll,
    firstExample: first,
    labels: clean.labels.slice(first, last),
    cleanPrediction: clean.predictions.slice(first, last),
    suite: config.suite,
    epsilon: context.epsilon,
    numClasses: dataset.numClasses,
    attacks,
    worstCorrect,
    robustnessWorst: countOnes(worstCorrect) / Math.max(1, attacked),
    deadGradient,
    sanity,
    sanityExamples,
    sanityOracleCallsPerExample,
  };
}

/** Runs the sanity checks' own attacks on a prefix of the attacked examples, judges all checks, logs failures. */
async function sanityChecks(
  net: Network,
  plan: PhasePlan,
  dataset: ImageDataset,
  config: EvalConfig,
  context: EvalContext,
  suite: { cleanCorrect: Uint8Array; deadGradient: Uint8Array; worstCorrect: Uint8Array; attacks: AttackOutcome[] },
) {
  const spec = EVAL_SUITES[config.suite].sanity;
  const sanityExamples = Math.min(spec.examples, suite.cleanCorrect.length);
  const largeRecipe = madryPgd(`sanity-large-epsilon-pgd-${spec.largeEpsilonSteps}`, spec.largeEpsilon, spec.largeEpsilonSteps);
  // Independent runs, each with its own start and step 2.5ε/k: not prefixes of one run.
  const monotoneRecipes = spec.monotoneSteps.map((k) => madryPgd(`sanity-pgd-${k}`, context.epsilon, k));
  const recipes = [largeRecipe, ...monotoneRecipes];
  const fooled = await runRecipes(net, plan, dataset, recipes, { count: sanityExamples, batchSize: config.batchSize, first: context.exampleRange?.[0] ?? 0 }, context);
  const sanity = runSanityChecks({
    numClasses: dataset.numClasses,
    cleanCorrect: suite.cleanCorrect,
    deadGradient: suite.deadGradient,
    paperFooled: suite.attacks[0].fooled,
    worstCorrect: suite.worstCorrect,
    smoothedFooled: suite.attacks.find((a) => a.gradient === 'smoothed')?.fooled,
    largeEpsilon: { epsilon: spec.largeEpsilon, fooled: fooled.get(largeRecipe.name)! },
    monotone: monotoneRecipes.map((r) => ({ steps: r.settings.steps, fooled: fooled.get(r.name)! })),
  });
  for (const check of sanity.filter((c) => !c.passed)) {
    context.progress.log(`warning [sanity:${check.name}] ${context.runId}: ${check.detail}; expected: ${SANITY_CHECKS[check.name]} (README, "Sanity checks")`);
  }
  const sanityOracleCallsPerExample = recipes.reduce((sum, r) => sum + ATTACKS[r.attack].oracleCalls(r.settings), 0);
  return { sanity, sanityExamples, sanityOracleCallsPerExample };
}
