import * as tf from '@tensorflow/tfjs';
import { ATTACKS } from '../../attack/registry';
import { batchToTensors } from '../../data/to-tensor';
import { resolveSuite } from '../../eval/suites';
import { disposeNetwork } from '../../nn/network';
import { makeOracle } from '../../nn/oracle';
import { batchesPerEpoch } from '../../train/trainer';
import { adversarialTrainStep } from '../../train/train-step';
import { readAndDispose } from '../../util/read-tensor';
import { buildTrainState } from './build-run';
import { registryOf } from '../config/run-activations';
import type { UnitContext } from './run-unit';
import type { Unit } from '../config/units';

export interface Estimate {
  secondsPerStep: number;
  secondsPerOracleCall: number;
  totalSeconds: number;
}

/**
 * Median-free timing: the second and third calls (the first compiles kernels and fills caches). Each call ends
 * with a read, so a GPU backend's queued work is inside the time.
 */
async function timeCalls(count: number, call: () => Promise<void>): Promise<number> {
  await call();
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await call();
  return Number(process.hrtime.bigint() - started) / 1e9 / count;
}

/** The first training batch and the first evaluation batch, as tensors the caller disposes. */
async function firstBatches(ctx: UnitContext) {
  const { preset, dataset } = ctx;
  const first = (count: number) => Int32Array.from({ length: count }, (_, i) => i);
  const trainSize = Math.min(preset.train.batchSize, dataset.size('train'));
  const evalSize = Math.min(preset.eval.batchSize, dataset.size('test'));
  const trainBatch = batchToTensors(await dataset.read('train', first(trainSize)), dataset.shape);
  const evalBatch = batchToTensors(await dataset.read('test', first(evalSize)), dataset.shape);
  return { trainBatch, evalBatch, evalSize };
}

/**
 * Times 2 training steps and 2 evaluation gradient calls on a throwaway copy of the first unit's model (built,
 * used and disposed before any real run: the runs' numbers cannot change), then extrapolates to every unit left.
 */
export async function estimateExperiment(todo: readonly Unit[], ctx: UnitContext): Promise<Estimate> {
  const { preset, dataset } = ctx;
  const unit = todo[0];
  const state = buildTrainState(
    unit.run,
    preset,
    unit.seed,
    { shape: dataset.shape, numClasses: dataset.numClasses },
    registryOf(ctx.experiment),
  );
  const { trainBatch, evalBatch, evalSize } = await firstBatches(ctx);
  try {
    const epsilon = preset.epsilon;
    const attack = { epsilon, stepSize: epsilon, steps: preset.train.attack.steps, randomStart: true };
    const secondsPerStep = await timeCalls(2, async () => {
      await adversarialTrainStep(state, trainBatch.x, trainBatch.y, {
        learningRate: 0,
        attack,
        startSeeds: { seed: 0, exampleIds: new Int32Array(trainBatch.y.shape[0]) },
        labelSmoothing: 0,
      });
    });
    const oracle = makeOracle(state.net, state.plan, 'eval');
    const secondsPerOracleCall = await timeCalls(2, async () => {
      const out = oracle(evalBatch.x, evalBatch.y);
      tf.dispose([out.loss, out.logits]);
      await readAndDispose(out.gradient);
    });
    const totalSeconds = extrapolate(ctx, todo.length, secondsPerStep, secondsPerOracleCall);
    ctx.progress.log(
      `estimate: ${todo.length} unit(s) left, about ${formatSeconds(totalSeconds)} on this backend ` +
        `(${secondsPerStep.toFixed(3)} s per training step, ${secondsPerOracleCall.toFixed(3)} s per evaluation gradient of ${evalSize} examples)`,
    );
    return { secondsPerStep, secondsPerOracleCall, totalSeconds };
  } finally {
    tf.dispose([trainBatch.x, trainBatch.y, evalBatch.x, evalBatch.y]);
    state.optimizer.dispose();
    disposeNetwork(state.net);
  }
}

/** Steps × step time, plus the guard's and the evaluation suite's gradient calls (batches × calls per example). */
function extrapolate(ctx: UnitContext, units: number, secondsPerStep: number, secondsPerOracleCall: number): number {
  const { preset, dataset } = ctx;
  const perEpoch = batchesPerEpoch(dataset, preset.train);
  const steps = Math.min(preset.train.epochs * perEpoch, ctx.maxSteps > 0 ? ctx.maxSteps : Infinity);
  const epochs = Math.ceil(steps / perEpoch);
  const perExample = secondsPerOracleCall / Math.min(preset.eval.batchSize, dataset.size('test'));
  const guard = epochs * 11 * Math.min(preset.train.overfitCheckExamples, dataset.size('test')) * perExample;
  const recipes = resolveSuite(preset.eval, preset.epsilon, 'relu');
  const callsPerExample = recipes.reduce((sum, r) => sum + ATTACKS[r.attack].oracleCalls(r.settings), 0);
  const attacked = Math.min(preset.eval.examples, dataset.size('test')) / (ctx.evalShard?.count ?? 1);
  const evaluation = (attacked * callsPerExample + dataset.size('test') / 3) * perExample;
  return units * (steps * secondsPerStep + guard + evaluation);
}

export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
