import * as tf from '@tensorflow/tfjs';
import type { GradientOracle } from '../attack/oracle';
import { ATTACKS } from '../attack/registry';
import { batchToTensors } from '../data/to-tensor';
import type { ImageDataset } from '../data/types';
import type { Network } from '../nn/network';
import { makeOracle } from '../nn/oracle';
import { withEvalBackward, type PhasePlan } from '../nn/phase';
import type { Progress } from '../util/progress';
import { yieldToEventLoop } from '../util/progress';
import { readAndDispose } from '../util/read-tensor';
import { deriveSeed } from '../util/rng';
import type { AttackRecipe } from './suites';

export interface AttackContext {
  seed: number;
  runId: string;
  progress: Progress;
}

export function* batchRanges(count: number, batchSize: number): Generator<[number, number]> {
  for (let start = 0; start < count; start += batchSize) yield [start, Math.min(count, start + batchSize)];
}

export function indexRange(start: number, end: number): Int32Array {
  return Int32Array.from({ length: end - start }, (_, i) => start + i);
}

/** The recipe's oracle: the model's own evaluation backward, or psoftplus for the smoothed-gradient attack. */
export function oracleFor(net: Network, plan: PhasePlan, recipe: Pick<AttackRecipe, 'loss' | 'gradient'>): GradientOracle {
  const evalPlan = recipe.gradient === 'smoothed' ? withEvalBackward(plan, 'psoftplus') : plan;
  return makeOracle(net, evalPlan, 'eval', recipe.loss);
}

/** Test examples [first, first + count): a whole evaluation, or one shard of it. */
export interface ExampleSpan {
  first: number;
  count: number;
  batchSize: number;
}

/**
 * Runs each recipe on test examples [first, first + count) and returns, per recipe name, the attack's own per-example
 * success flags (1 = some scored iterate was misclassified). Starts are seeded per example index, so any
 * batching or sharding of the examples gives the same flags.
 */
export async function runRecipes(
  net: Network,
  plan: PhasePlan,
  dataset: ImageDataset,
  recipes: readonly AttackRecipe[],
  options: ExampleSpan,
  context: AttackContext,
): Promise<Map<string, Uint8Array>> {
  const outcome = new Map<string, Uint8Array>();
  for (const recipe of recipes) {
    const fooled = new Uint8Array(options.count);
    const oracle = oracleFor(net, plan, recipe);
    const seed = deriveSeed(context.seed, recipe.seedLabel);
    context.progress.begin(`${context.runId} ${recipe.name}`, options.count);
    for (const [start, end] of batchRanges(options.count, options.batchSize)) {
      const indices = indexRange(options.first + start, options.first + end);
      const { x, y } = batchToTensors(await dataset.read('test', indices), dataset.shape);
      const result = await ATTACKS[recipe.attack].run(oracle, x, y, recipe.settings, { seed, exampleIds: indices }).finally(() => tf.dispose([x, y]));
      result.adversarial.dispose();
      fooled.set(await readAndDispose(result.fooled), start);
      context.progress.update(end);
      await yieldToEventLoop();
    }
    context.progress.end();
    outcome.set(recipe.name, fooled);
  }
  return outcome;
}

/**
 * Per example, 1 when the true cross-entropy input gradient at the clean point is all zeros or has a NaN: PGD
 * cannot move such an example except by its random start (a saturated softmax or a masking layer).
 */
export async function deadGradients(net: Network, plan: PhasePlan, dataset: ImageDataset, options: ExampleSpan): Promise<Uint8Array> {
  const dead = new Uint8Array(options.count);
  const oracle = oracleFor(net, plan, { loss: 'crossEntropy', gradient: 'true' });
  for (const [start, end] of batchRanges(options.count, options.batchSize)) {
    const { x, y } = batchToTensors(await dataset.read('test', indexRange(options.first + start, options.first + end)), dataset.shape);
    const { gradient, loss, logits } = oracle(x, y);
    const flags = tf.tidy(() => {
      const flat = tf.reshape(gradient, [end - start, -1]);
      const allZero = tf.equal(tf.max(tf.abs(flat), 1), 0);
      const anyNaN = tf.any(tf.isNaN(flat), 1);
      return tf.logicalOr(allZero, anyNaN);
    });
    tf.dispose([x, y, gradient, loss, logits]);
    dead.set(await readAndDispose(flags), start);
  }
  return dead;
}
