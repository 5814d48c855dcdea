import * as tf from '@tensorflow/tfjs';
import type { ModelOracle } from '../attack/oracle';
import { ATTACK_LOSSES } from '../attack/losses';
import { ATTACKS } from '../attack/registry';
import { batchToTensors } from '../data/to-tensor';
import type { ImageDataset } from '../data/types';
import type { Network } from '../nn/network';
import { makeModelOracle } from '../nn/oracle';
import { withEvalBackward, type PhasePlan } from '../nn/phase';
import type { Progress } from '../util/progress';
import { yieldToEventLoop } from '../util/progress';
import { readAndDispose } from '../util/read-tensor';
import { deriveSeed } from '../util/rng';
import { NO_JOURNAL, type AttackJournal } from './attack-journal';
import type { AttackRecipe } from './suites';

export interface AttackContext {
  seed: number;
  runId: string;
  progress: Progress;
  /** Finished attack batches: skipped when saved, saved when run (default: none kept). */
  journal?: AttackJournal;
}

export function* batchRanges(count: number, batchSize: number): Generator<[number, number]> {
  for (let start = 0; start < count; start += batchSize) yield [start, Math.min(count, start + batchSize)];
}

export function indexRange(start: number, end: number): Int32Array {
  return Int32Array.from({ length: end - start }, (_, i) => start + i);
}

/** The recipe's oracle: the model's own evaluation backward, or psoftplus for the smoothed-gradient attack. */
export function oracleFor(net: Network, plan: PhasePlan, recipe: Pick<AttackRecipe, 'gradient'>): ModelOracle {
  const evalPlan = recipe.gradient === 'smoothed' ? withEvalBackward(plan, 'psoftplus') : plan;
  return makeModelOracle(net, evalPlan, 'eval');
}

/** Test examples [first, first + count): a whole evaluation, or one shard of it. */
export interface ExampleSpan {
  first: number;
  count: number;
  batchSize: number;
}

/** One recipe's per-example outcome over the span: which examples it ran on, and which of those it fooled. */
export interface RecipeOutcome {
  attacked: Uint8Array;
  /** 1 = some scored iterate was misclassified (0 where the recipe did not run). */
  fooled: Uint8Array;
}

/**
 * Runs each recipe on test examples [first, first + count) and returns, per recipe name, the attack's own
 * per-example success flags. With `cascade` (AutoAttack's scheme), an example misclassified clean is never
 * attacked and each recipe runs only on the examples every earlier recipe left standing; without it, every
 * recipe runs on every example. Starts are seeded per example index and attacks treat examples independently,
 * so an example's flag is the same in any batch, shard or cascade; that is also why a batch saved in the context's
 * journal by an interrupted run of the same evaluation can be taken as it is instead of being run again.
 */
export async function runRecipes(
  net: Network,
  plan: PhasePlan,
  dataset: ImageDataset,
  recipes: readonly AttackRecipe[],
  options: ExampleSpan & { cascade?: { cleanCorrect: Uint8Array } },
  context: AttackContext,
): Promise<Map<string, RecipeOutcome>> {
  const outcome = new Map<string, RecipeOutcome>();
  const standing = options.cascade
    ? options.cascade.cleanCorrect.slice(0, options.count)
    : new Uint8Array(options.count).fill(1);
  const journal = context.journal ?? NO_JOURNAL;
  for (const recipe of recipes) {
    const positions = Int32Array.from(Array.from(standing.keys()).filter((i) => standing[i] === 1));
    const result: RecipeOutcome = { attacked: new Uint8Array(options.count), fooled: new Uint8Array(options.count) };
    const oracle = oracleFor(net, plan, recipe);
    const seed = deriveSeed(context.seed, recipe.seedLabel);
    const batches = Math.ceil(positions.length / options.batchSize);
    let skipped = 0;
    context.progress.begin(`${context.runId} ${recipe.name}`, positions.length);
    for (const [index, [start, end]] of [...batchRanges(positions.length, options.batchSize)].entries()) {
      const batch = positions.subarray(start, end);
      const key = {
        recipe: recipe.name,
        batch: index,
        batches,
        examples: Int32Array.from(batch, (i) => options.first + i),
      };
      let fooled = journal.saved(key);
      if (fooled) skipped++;
      else {
        fooled = await attackBatch(oracle, dataset, recipe, key.examples, seed);
        journal.save(key, fooled);
      }
      batch.forEach((i, k) => ((result.attacked[i] = 1), (result.fooled[i] = fooled[k])));
      context.progress.update(end);
      await yieldToEventLoop();
    }
    context.progress.end();
    if (skipped > 0)
      context.progress.log(
        `${context.runId} ${recipe.name}: ${skipped} of ${batches} batches saved by an interrupted evaluation, not run again`,
      );
    if (options.cascade) result.fooled.forEach((f, i) => (standing[i] = f === 1 ? 0 : standing[i]));
    outcome.set(recipe.name, result);
  }
  return outcome;
}

/** One attack batch on test examples `indices`: per example, 1 when some scored iterate was misclassified. */
async function attackBatch(
  oracle: ModelOracle,
  dataset: ImageDataset,
  recipe: AttackRecipe,
  indices: Int32Array,
  seed: number,
): Promise<Uint8Array> {
  const { x, y } = batchToTensors(await dataset.read('test', indices), dataset.shape);
  const attack = await ATTACKS[recipe.attack]
    .run(oracle, x, y, recipe.settings, { seed, exampleIds: indices })
    .finally(() => tf.dispose([x, y]));
  attack.adversarial.dispose();
  return Uint8Array.from(await readAndDispose(attack.fooled));
}

/**
 * Per example, 1 when the true cross-entropy input gradient at the clean point is all zeros or has a NaN: PGD
 * cannot move such an example except by its random start (a saturated softmax or a masking layer).
 */
export async function deadGradients(
  net: Network,
  plan: PhasePlan,
  dataset: ImageDataset,
  options: ExampleSpan,
): Promise<Uint8Array> {
  const dead = new Uint8Array(options.count);
  const oracle = oracleFor(net, plan, { gradient: 'true' });
  for (const [start, end] of batchRanges(options.count, options.batchSize)) {
    const { x, y } = batchToTensors(
      await dataset.read('test', indexRange(options.first + start, options.first + end)),
      dataset.shape,
    );
    const { gradient, loss, logits } = oracle.gradient(x, y, ATTACK_LOSSES.crossEntropy);
    const flags = tf.tidy(() => {
      const flat = tf.reshape(gradient, [end - start, -1]);
      const allZero = tf.equal(tf.max(tf.abs(flat), 1), 0);
      const anyNaN = tf.any(tf.isNaN(flat), 1);
      return tf.logicalOr(allZero, anyNaN);
    });
    tf.dispose([x, y, gradient, loss, logits]);
    dead.set(await readAndDispose(flags), start);
    await yieldToEventLoop();
  }
  return dead;
}
