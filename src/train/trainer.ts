import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/types';
import { batchToTensors } from '../data/to-tensor';
import type { Progress } from '../util/progress';
import { yieldToEventLoop } from '../util/progress';
import { deriveSeed, Rng } from '../util/rng';
import type { TrainConfig } from './config';
import { checkLearning, checkLoss, decideOverfit } from './epoch-checks';
import { heldOutRobustness } from './overfit-guard';
import { learningRateAt } from './schedule';
import { adversarialTrainStep, type TrainState } from './train-step';
import {
  closeSegment,
  emptyPartial,
  initialPosition,
  SEGMENTS_PER_EPOCH,
  type EpochLog,
  type TrainPosition,
} from './train-position';

export type { EpochLog, SegmentLog, TrainPosition } from './train-position';

/** What the caller plugs into the loop: checkpoints, Ctrl-C, test hooks. Every member is optional. */
export interface TrainHooks {
  /** After every finished epoch (the caller writes a checkpoint, awaited); `isBest` when the guard saw a new best. */
  epochEnd?(position: TrainPosition, info: { isBest: boolean }): Promise<void>;
  /** For `stopOnOverfit`: put the best epoch's weights and velocity back and return that epoch's position. */
  restoreBest?(): TrainPosition;
  /** Polled after every batch: true stops at that batch boundary (Ctrl-C). */
  shouldStop?(): boolean;
  /** After every step, with the step count over all sessions (the tests' kill points). */
  afterStep?(steps: number): void;
}

export interface TrainContext {
  /** Names the run in errors ("row "silu", epoch 3, step 412: …"). */
  runId: string;
  epsilon: number;
  seed: number;
  /** Stop after this many steps in all (tiny runs, tests); 0 = no limit. */
  maxSteps: number;
  progress: Progress;
  hooks?: TrainHooks;
}

export interface TrainOutcome {
  position: TrainPosition;
  /** True when `shouldStop` ended this session mid-way; `position` then says where to resume. */
  interrupted: boolean;
  /** Throughput of this session's training steps. */
  imagesPerSecond: number;
}

/** Linear ε ramp over the first epochs (0 ramp epochs = full ε from the start). */
function epsilonAt(config: TrainConfig, epsilon: number, epoch: number): number {
  const ramp = config.attack.epsilonRampEpochs;
  return ramp > 0 ? epsilon * Math.min(1, epoch / ramp) : epsilon;
}

/** Full batches only: equal shapes let kernels and caches be reused, and no step sees a 1-example batch. */
export function batchesPerEpoch(dataset: ImageDataset, config: TrainConfig): number {
  return Math.max(1, Math.floor(trainExamples(dataset, config) / config.batchSize));
}

/** `train.examples` first training examples (0 = all of them). */
function trainExamples(dataset: ImageDataset, config: TrainConfig): number {
  const available = dataset.size('train');
  return config.examples > 0 ? Math.min(config.examples, available) : available;
}

/**
 * PGD-k adversarial training from `start` (a fresh run or a checkpoint's position) until the configured epochs or
 * `maxSteps`; returns numbers, never tensors. Resuming from a position gives the same weights as not stopping.
 */
export async function trainModel(
  state: TrainState,
  dataset: ImageDataset,
  config: TrainConfig,
  context: TrainContext,
  start: TrainPosition = initialPosition(),
): Promise<TrainOutcome> {
  const position = structuredClone(start);
  const sessionSteps = position.steps;
  let clock = Date.now();
  const tick = () => {
    position.seconds += (Date.now() - clock) / 1000;
    clock = Date.now();
  };
  const sessionStarted = clock;
  const outcome = (interrupted: boolean): TrainOutcome => {
    tick();
    const images = (position.steps - sessionSteps) * config.batchSize;
    return { position, interrupted, imagesPerSecond: images / Math.max(1e-9, (Date.now() - sessionStarted) / 1000) };
  };
  while (!position.done) {
    const epochStarted = Date.now();
    if (!(await trainBatches(state, dataset, config, context, position))) return outcome(true);
    tick();
    await closeEpoch(state, dataset, config, context, position, (Date.now() - epochStarted) / 1000);
  }
  return outcome(false);
}

/** The remaining batches of `position.epoch`; false when `shouldStop` interrupted them. */
async function trainBatches(
  state: TrainState,
  dataset: ImageDataset,
  config: TrainConfig,
  context: TrainContext,
  position: TrainPosition,
): Promise<boolean> {
  const perEpoch = batchesPerEpoch(dataset, config);
  const { epoch } = position;
  const order = new Rng(deriveSeed(context.seed, 'shuffle', epoch)).permutation(trainExamples(dataset, config));
  const batchRng = new Rng(deriveSeed(context.seed, 'train-attack', epoch));
  // The per-batch random-start draws come from one stream: skip the ones the resumed batches already used.
  for (let i = 0; i < position.step; i++) batchRng.next();
  const limited = () => context.maxSteps > 0 && position.steps >= context.maxSteps;
  const segmentSteps = Math.ceil(perEpoch / SEGMENTS_PER_EPOCH);
  context.progress.begin(`${context.runId} epoch ${epoch + 1}/${config.epochs}`, perEpoch);
  context.progress.update(position.step);
  for (let step = position.step; step < perEpoch && !limited(); step++) {
    const fraction = epoch + step / perEpoch;
    const learningRate = learningRateAt(config.schedule, fraction, config.epochs);
    const epsilon = epsilonAt(config, context.epsilon, fraction);
    const indices = order.subarray(step * config.batchSize, (step + 1) * config.batchSize);
    const batch = await dataset.read('train', indices, new Rng(deriveSeed(context.seed, 'augment', epoch, step)));
    const { x, y } = batchToTensors(batch, dataset.shape);
    const result = await adversarialTrainStep(state, x, y, {
      learningRate,
      attack: {
        epsilon,
        stepSize: config.attack.stepSizeFactor * epsilon,
        steps: config.attack.steps,
        randomStart: batchRng.next() < config.attack.randomStartProbability,
      },
      startSeeds: { seed: deriveSeed(context.seed, 'train-start', epoch, step), exampleIds: indices },
      labelSmoothing: config.labelSmoothing,
    }).finally(() => tf.dispose([x, y])); // the batch is this loop's, across the step's await too
    const adversarialAccuracy = position.partial.correct / Math.max(1, position.partial.seen);
    const failed = checkLoss(result.loss, {
      runId: context.runId,
      epoch,
      step,
      learningRate,
      lastFinite: position.lastFinite,
      adversarialAccuracy,
    });
    if (failed) throw failed;
    position.lastFinite = { loss: result.loss, step };
    position.partial.lossSum += result.loss * batch.count;
    position.partial.correct += result.correct;
    position.partial.seen += batch.count;
    if (step >= perEpoch / 2) {
      position.partial.lateCorrect += result.correct;
      position.partial.lateSeen += batch.count;
    }
    position.partial.segmentLossSum += result.loss * batch.count;
    position.partial.segmentCorrect += result.correct;
    position.partial.segmentSeen += batch.count;
    // The epoch's last stretch (maybe shorter) is closed by closeEpoch, with the stretch cut short by maxSteps.
    if ((step + 1) % segmentSteps === 0 && step + 1 < perEpoch)
      closeSegment(position, epoch + (step + 1) / perEpoch, { learningRate, epsilon });
    position.step = step + 1;
    position.steps++;
    context.progress.update(
      step + 1,
      `loss ${result.loss.toFixed(3)} adv-acc ${((100 * position.partial.correct) / position.partial.seen).toFixed(1)}%`,
    );
    context.hooks?.afterStep?.(position.steps);
    await yieldToEventLoop();
    if (context.hooks?.shouldStop?.()) return false;
  }
  context.progress.end();
  return true;
}

/** Logs the epoch, runs the overfitting guard, and moves the position to the next epoch (or marks it done). */
async function closeEpoch(
  state: TrainState,
  dataset: ImageDataset,
  config: TrainConfig,
  context: TrainContext,
  position: TrainPosition,
  seconds: number,
): Promise<void> {
  const { epoch, partial } = position;
  const perEpoch = batchesPerEpoch(dataset, config);
  const fraction = epoch + Math.max(0, position.step - 1) / perEpoch;
  const schedule = {
    learningRate: learningRateAt(config.schedule, fraction, config.epochs),
    epsilon: epsilonAt(config, context.epsilon, fraction),
  };
  closeSegment(position, epoch + position.step / perEpoch, schedule);
  const log: EpochLog = {
    epoch: epoch + 1,
    loss: partial.lossSum / Math.max(1, partial.seen),
    adversarialAccuracy: partial.correct / Math.max(1, partial.seen),
    ...schedule,
    seconds,
  };
  if (config.overfitCheckExamples > 0) {
    log.heldOutRobustness = await heldOutRobustness(state.net, state.plan, dataset, {
      examples: config.overfitCheckExamples,
      epsilon: context.epsilon,
      seed: context.seed,
    });
  }
  position.epochs.push(log);
  const guard =
    log.heldOutRobustness === undefined ? '' : `, held-out PGD-10 ${(100 * log.heldOutRobustness).toFixed(2)}%`;
  context.progress.log(
    `${context.runId} epoch ${log.epoch}/${config.epochs}: loss ${log.loss.toFixed(4)}, adversarial accuracy ` +
      `${(100 * log.adversarialAccuracy).toFixed(2)}%${guard}, lr ${log.learningRate.toPrecision(3)}, ε ${log.epsilon.toFixed(4)}, ${seconds.toFixed(1)} s`,
  );
  const notLearning = checkLearning(log, partial, {
    runId: context.runId,
    index: epoch,
    steps: perEpoch,
    batchSize: config.batchSize,
    numClasses: dataset.numClasses,
  });
  if (notLearning) throw notLearning;
  position.epoch++;
  position.step = 0;
  position.partial = emptyPartial();
  position.done = position.epoch >= config.epochs || (context.maxSteps > 0 && position.steps >= context.maxSteps);
  const restoreBest = context.hooks?.restoreBest;
  const verdict = decideOverfit(position.epochs, position.overfit, {
    runId: context.runId,
    stopOnOverfit: config.stopOnOverfit,
    canRestoreBest: restoreBest !== undefined,
  });
  if (verdict.overfit) position.overfit = verdict.overfit;
  if (verdict.warning) context.progress.log(verdict.warning);
  if (verdict.stop && restoreBest) stopAtBest(restoreBest(), position);
  await context.hooks?.epochEnd?.(position, { isBest: verdict.isBest });
}

/** Keeps the full log (it shows the collapse) but the best epoch's weights; training is over. */
function stopAtBest(best: TrainPosition, position: TrainPosition): void {
  position.overfit = { ...position.overfit!, stopped: true };
  position.done = true;
  position.lastFinite = best.lastFinite;
}
