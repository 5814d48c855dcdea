import * as tf from '@tensorflow/tfjs';
import { pgd } from '../attack/pgd';
import type { ImageDataset } from '../data/types';
import { batchToTensors } from '../data/to-tensor';
import { forward } from '../nn/forward';
import type { Network } from '../nn/network';
import { makeOracle } from '../nn/oracle';
import type { PhasePlan } from '../nn/phase';
import type { Progress } from '../util/progress';
import { yieldToEventLoop } from '../util/progress';
import { deriveSeed } from '../util/rng';
import type { EvalConfig } from './config';

export interface EvalResult {
  /** Clean accuracy on the whole test split, in [0, 1]. */
  accuracy: number;
  /** Accuracy under PGD-k on the first `examples` test examples, in [0, 1]. */
  robustness: number;
  testExamples: number;
  attackedExamples: number;
  /** Per attacked example: 1 = still correct under the attack. */
  robustCorrect: Uint8Array;
  /** Per attacked example: 1 = correct on the clean input. */
  cleanCorrect: Uint8Array;
}

function* batchRanges(count: number, batchSize: number): Generator<[number, number]> {
  for (let start = 0; start < count; start += batchSize) yield [start, Math.min(count, start + batchSize)];
}

function indexRange(start: number, end: number): Int32Array {
  return Int32Array.from({ length: end - start }, (_, i) => start + i);
}

/** Clean predictions (phase 'eval': BN on running statistics) for the whole test split. */
async function cleanCorrectness(net: Network, plan: PhasePlan, dataset: ImageDataset, batchSize: number): Promise<Uint8Array> {
  const total = dataset.size('test');
  const correct = new Uint8Array(total);
  for (const [start, end] of batchRanges(total, batchSize)) {
    const { x, y } = batchToTensors(await dataset.read('test', indexRange(start, end)), dataset.shape);
    const hits = tf.tidy(() => tf.equal(tf.argMax(forward(net, x, 'eval', plan).logits, 1), y).dataSync());
    correct.set(hits, start);
    tf.dispose([x, y]);
  }
  return correct;
}

/**
 * Clean accuracy, then robustness under the preset's PGD-k on the first N test examples, each example's
 * random start seeded by its index (so a shard of the examples gives the same per-example outcome).
 */
export async function evaluateModel(
  net: Network,
  plan: PhasePlan,
  dataset: ImageDataset,
  config: EvalConfig,
  context: { epsilon: number; seed: number; runId: string; progress: Progress },
): Promise<EvalResult> {
  const allClean = await cleanCorrectness(net, plan, dataset, config.batchSize);
  const attacked = Math.min(config.examples, dataset.size('test'));
  const robustCorrect = new Uint8Array(attacked);
  const oracle = makeOracle(net, plan, 'eval');
  const attack = { epsilon: context.epsilon, stepSize: config.stepSize, steps: config.steps, randomStart: config.randomStart };
  context.progress.begin(`${context.runId} PGD-${config.steps}`, attacked);
  for (const [start, end] of batchRanges(attacked, config.batchSize)) {
    const indices = indexRange(start, end);
    const { x, y } = batchToTensors(await dataset.read('test', indices), dataset.shape);
    const result = pgd(oracle, x, y, attack, { seed: deriveSeed(context.seed, 'eval-pgd'), exampleIds: indices });
    const fooled = result.fooled.dataSync();
    for (let i = 0; i < fooled.length; i++) robustCorrect[start + i] = fooled[i] === 0 && allClean[start + i] === 1 ? 1 : 0;
    tf.dispose([x, y, result.adversarial, result.fooled]);
    context.progress.update(end);
    await yieldToEventLoop();
  }
  context.progress.end();
  const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  return {
    accuracy: sum(allClean) / Math.max(1, allClean.length),
    robustness: sum(robustCorrect) / Math.max(1, attacked),
    testExamples: allClean.length,
    attackedExamples: attacked,
    robustCorrect,
    cleanCorrect: allClean.slice(0, attacked),
  };
}
