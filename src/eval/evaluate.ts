import { isDeepStrictEqual } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { ATTACKS, type AttackSettings } from '../attack/registry';
import { batchToTensors } from '../data/to-tensor';
import type { ImageDataset } from '../data/types';
import { forward } from '../nn/forward';
import type { Network } from '../nn/network';
import type { PhasePlan } from '../nn/phase';
import { yieldToEventLoop, type Progress } from '../util/progress';
import type { AttackJournal } from './attack-journal';
import { readAndDispose } from '../util/read-tensor';
import type { EvalConfig } from './config';
import { batchRanges, deadGradients, indexRange, runRecipes, type RecipeOutcome } from './run-attacks';
import { brokenByEach, deriveTotals } from './cascade';
import type { AttackOutcome, EvalResult } from './result';
import { runSanityChecks } from './sanity';
import { sanityWarnings } from './sanity-warnings';
import { countOnes } from './statistics';
import { EVAL_SUITES, madryPgd, resolveSuite, type AttackRecipe } from './suites';

export interface EvalContext {
  epsilon: number;
  seed: number;
  runId: string;
  progress: Progress;
  /** Evaluate only attacked examples [start, end) (an eval shard); per-example arrays then cover that slice. */
  exampleRange?: [number, number];
  /** Run every attack on every example (each attack's own robustness) instead of the cascade. */
  standalone?: boolean;
  /** Keeps each finished attack batch (suite and sanity recipes) so an interrupted evaluation resumes; default none. */
  journal?: AttackJournal;
}

/** Per test example: the clean prediction, the label, and 1 where they agree. */
interface CleanPredictions {
  predictions: Int32Array;
  labels: Int32Array;
  correct: Uint8Array;
}

/** Clean predictions (phase 'eval': BN on running statistics) for the whole test split. */
async function cleanPredictions(
  net: Network,
  plan: PhasePlan,
  dataset: ImageDataset,
  batchSize: number,
): Promise<CleanPredictions> {
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
    // Lets a signal handler run: `eval` exits on Ctrl-C at the next turn of the event loop, not after an attack batch.
    await yieldToEventLoop();
  }
  return { predictions, labels, correct: Uint8Array.from(predictions, (p, i) => (p === labels[i] ? 1 : 0)) };
}

/**
 * Clean accuracy, then the suite (the paper's PGD-k first) on the first N test examples as a cascade (each attack
 * only on the examples still standing; `standalone`: all of them), then the sanity checks, whose failures are
 * logged as warnings. Every random start is seeded by the example's index, so a shard of the examples, or the
 * cascade, gives the same per-example outcome. Returns numbers and typed arrays only.
 */
export async function evaluateModel(
  net: Network,
  plan: PhasePlan,
  dataset: ImageDataset,
  config: EvalConfig,
  context: EvalContext,
): Promise<EvalResult> {
  const clean = await cleanPredictions(net, plan, dataset, config.batchSize);
  const [first, last] = context.exampleRange ?? [0, Math.min(config.examples, dataset.size('test'))];
  const attacked = last - first;
  const cleanCorrect = clean.correct.slice(first, last);
  const recipes = resolveSuite(config, context.epsilon, plan.forward);
  const cascade = context.standalone !== true;
  const span = { count: attacked, batchSize: config.batchSize, first };
  const outcomes = await runRecipes(
    net,
    plan,
    dataset,
    recipes,
    { ...span, cascade: cascade ? { cleanCorrect } : undefined },
    context,
  );
  const deadGradient = await deadGradients(net, plan, dataset, span);
  const result = deriveTotals({
    ...cleanFields(clean, [first, last]),
    suite: config.suite,
    epsilon: context.epsilon,
    numClasses: dataset.numClasses,
    attacks: attackOutcomes(recipes, outcomes),
    cascade,
    deadGradient,
    sanity: [],
    sanityExamples: 0,
    sanityOracleCallsPerExample: 0,
  });
  return { ...result, ...(await sanityChecks(net, plan, dataset, config, context, result, recipes[0])) };
}

/** Each recipe's description and cost beside its outcome; `broken` and `robustnessAfter` are left to deriveTotals. */
function attackOutcomes(recipes: readonly AttackRecipe[], outcomes: Map<string, RecipeOutcome>): AttackOutcome[] {
  return recipes.map((r) => ({
    name: r.name,
    attack: r.attack,
    loss: r.loss,
    gradient: r.gradient,
    steps: r.settings.steps,
    oracleCallsPerExample: ATTACKS[r.attack].oracleCalls(r.settings),
    autoAttack: r.autoAttack,
    ...outcomes.get(r.name)!,
    broken: 0,
    robustnessAfter: 0,
  }));
}

/**
 * The result's clean fields for the attacked examples [first, last): accuracy over the whole test split, and the
 * starting values (everything clean-correct still stands) that deriveTotals narrows by the attacks.
 */
function cleanFields(clean: CleanPredictions, [first, last]: [number, number]) {
  const cleanCorrectAll = clean.correct;
  const cleanCorrect = cleanCorrectAll.slice(first, last);
  return {
    accuracy: countOnes(cleanCorrectAll) / Math.max(1, cleanCorrectAll.length),
    robustness: 0,
    testExamples: cleanCorrectAll.length,
    attackedExamples: last - first,
    robustCorrect: cleanCorrect,
    cleanCorrect,
    cleanCorrectAll,
    firstExample: first,
    labels: clean.labels.slice(first, last),
    cleanPrediction: clean.predictions.slice(first, last),
    worstCorrect: cleanCorrect,
    robustnessWorst: 0,
  };
}

/**
 * Whether two PGD settings are one attack: equal but for the step size's last bits (2.5ε/k and the preset's
 * stepSizeFactor × ε can round apart).
 */
function sameSettings(a: AttackSettings, b: AttackSettings): boolean {
  const { stepSize: stepA, ...restA } = a;
  const { stepSize: stepB, ...restB } = b;
  return isDeepStrictEqual(restA, restB) && Math.abs(stepA - stepB) <= 1e-12 * Math.abs(stepA);
}

/** Runs the sanity checks' own attacks on a prefix of the attacked examples, judges all checks, logs failures. */
async function sanityChecks(
  net: Network,
  plan: PhasePlan,
  dataset: ImageDataset,
  config: EvalConfig,
  context: EvalContext,
  suite: EvalResult,
  paper: AttackRecipe, // the suite's first attack, the paper's PGD
) {
  const spec = EVAL_SUITES[config.suite].sanity;
  const sanityExamples = Math.min(spec.examples, suite.cleanCorrect.length);
  const largeRecipe = madryPgd(
    `sanity-large-epsilon-pgd-${spec.largeEpsilonSteps}`,
    spec.largeEpsilon,
    spec.largeEpsilonSteps,
  );
  // Independent runs, each with its own start and step 2.5ε/k: not prefixes of one run. Where the paper's PGD is
  // one of them (same steps, step size and start: mnist-single-step's PGD-200), its flags on the subset stand in
  // for that run: another run of the same attack would be as independent of the others, at the same cost again.
  const monotoneRecipes = spec.monotoneSteps.map((k) => madryPgd(`sanity-pgd-${k}`, context.epsilon, k));
  const paperStandsIn = (r: AttackRecipe) => sameSettings(r.settings, paper.settings);
  const recipes = [largeRecipe, ...monotoneRecipes.filter((r) => !paperStandsIn(r))];
  const outcomes = await runRecipes(
    net,
    plan,
    dataset,
    recipes,
    { count: sanityExamples, batchSize: config.batchSize, first: context.exampleRange?.[0] ?? 0 },
    context,
  );
  const fooled = (name: string) => outcomes.get(name)!.fooled;
  const monotoneFooled = (r: AttackRecipe) =>
    paperStandsIn(r) ? suite.attacks[0].fooled.slice(0, sanityExamples) : fooled(r.name);
  const smoothed = suite.attacks.findIndex((a) => a.gradient === 'smoothed');
  const sanity = runSanityChecks({
    numClasses: dataset.numClasses,
    cleanCorrect: suite.cleanCorrect,
    deadGradient: suite.deadGradient,
    paperFooled: suite.attacks[0].fooled,
    worstCorrect: suite.worstCorrect,
    smoothedBroken: smoothed < 0 ? undefined : brokenByEach(suite.cleanCorrect, suite.attacks)[smoothed],
    largeEpsilon: { epsilon: spec.largeEpsilon, fooled: fooled(largeRecipe.name) },
    monotone: monotoneRecipes.map((r) => ({ steps: r.settings.steps, fooled: monotoneFooled(r) })),
  });
  for (const line of sanityWarnings({ ...suite, sanity }, context.runId)) context.progress.log(line);
  const sanityOracleCallsPerExample = recipes.reduce((sum, r) => sum + ATTACKS[r.attack].oracleCalls(r.settings), 0);
  return { sanity, sanityExamples, sanityOracleCallsPerExample };
}
