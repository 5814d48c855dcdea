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
    const trained = await trainBatch(state, dataset, config, context, position, { order, batchRng, step, perEpoch });
    recordBatch(position, trained, { step, late: step >= perEpoch / 2 });
    // The epoch's last stretch (maybe shorter) is closed by closeEpoch, with the stretch cut short by maxSteps.
    if ((step + 1) % segmentSteps === 0 && step + 1 < perEpoch)
      closeSegment(position, epoch + (step + 1) / perEpoch, trained.schedule);
    position.step = step + 1;
    position.steps++;
    context.progress.update(
      step + 1,
      `loss ${trained.loss.toFixed(3)} adv-acc ${((100 * position.partial.correct) / position.partial.seen).toFixed(1)}%`,
    );
    context.hooks?.afterStep?.(position.steps);
    await yieldToEventLoop();
    if (context.hooks?.shouldStop?.()) return false;
  }
  context.progress.end();
  return true;
}

/** Where one batch sits in its epoch, and the epoch's streams it draws from. */
interface BatchPlace {
  /** The epoch's shuffled example indices. */
  order: Int32Array;
  /** The epoch's random-start stream: one draw per batch, in step order. */
  batchRng: Rng;
  step: number;
  perEpoch: number;
}

/** One batch's numbers: its loss and correct count, its size, and the schedule it was trained at. */
interface TrainedBatch {
  loss: number;
  correct: number;
  count: number;
  schedule: { learningRate: number; epsilon: number };
}

/** Reads batch `place.step`, takes one adversarial training step on it and checks its loss is finite. */
async function trainBatch(
  state: TrainState,
  dataset: ImageDataset,
  config: TrainConfig,
  context: TrainContext,
  position: TrainPosition,
  place: BatchPlace,
): Promise<TrainedBatch> {
  const { epoch } = position;
  const { step, perEpoch } = place;
  const fraction = epoch + step / perEpoch;
  const learningRate = learningRateAt(config.schedule, fraction, config.epochs);
  const epsilon = epsilonAt(config, context.epsilon, fraction);
  const indices = place.order.subarray(step * config.batchSize, (step + 1) * config.batchSize);
  const batch = await dataset.read('train', indices, new Rng(deriveSeed(context.seed, 'augment', epoch, step)));
  const { x, y } = batchToTensors(batch, dataset.shape);
  const result = await adversarialTrainStep(state, x, y, {
    learningRate,
    attack: {
      epsilon,
      stepSize: config.attack.stepSizeFactor * epsilon,
      steps: config.attack.steps,
      randomStart: place.batchRng.next() < config.attack.randomStartProbability,
    },
    startSeeds: { seed: deriveSeed(context.seed, 'train-start', epoch, step), exampleIds: indices },
    labelSmoothing: config.labelSmoothing,
  }).finally(() => tf.dispose([x, y])); // the batch is this loop's, across the step's await too
  const failed = checkLoss(result.loss, {
    runId: context.runId,
    epoch,
    step,
    learningRate,
    lastFinite: position.lastFinite,
    adversarialAccuracy: position.partial.correct / Math.max(1, position.partial.seen),
  });
  if (failed) throw failed;
  return { loss: result.loss, correct: result.correct, count: batch.count, schedule: { learningRate, epsilon } };
}

/** Adds batch `step` to the epoch's running sums; `late` batches (the epoch's second half) also count there. */
function recordBatch(
  position: TrainPosition,
  trained: TrainedBatch,
  { step, late }: { step: number; late: boolean },
): void {
  const { partial } = position;
  position.lastFinite = { loss: trained.loss, step };
  partial.lossSum += trained.loss * trained.count;
  partial.correct += trained.correct;
  partial.seen += trained.count;
  if (late) {
    partial.lateCorrect += trained.correct;
    partial.lateSeen += trained.count;
  }
  partial.segmentLossSum += trained.loss * trained.count;
  partial.segmentCorrect += trained.correct;
  partial.segmentSeen += trained.count;
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
  const log = await epochLog(state, dataset, config, context, position, seconds);
  position.epochs.push(log);
  context.progress.log(epochLine(context.runId, config, log));
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
  const verdict = applyOverfitVerdict(config, context, position);
  await context.hooks?.epochEnd?.(position, { isBest: verdict.isBest });
}

/** Closes the epoch's last segment and sums the epoch up, with the held-out PGD-10 robustness when configured. */
async function epochLog(
  state: TrainState,
  dataset: ImageDataset,
  config: TrainConfig,
  context: TrainContext,
  position: TrainPosition,
  seconds: number,
): Promise<EpochLog> {
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
  return log;
}

/** The progress line for a finished epoch. */
function epochLine(runId: string, config: TrainConfig, log: EpochLog): string {
  const guard =
    log.heldOutRobustness === undefined ? '' : `, held-out PGD-10 ${(100 * log.heldOutRobustness).toFixed(2)}%`;
  return (
    `${runId} epoch ${log.epoch}/${config.epochs}: loss ${log.loss.toFixed(4)}, adversarial accuracy ` +
    `${(100 * log.adversarialAccuracy).toFixed(2)}%${guard}, lr ${log.learningRate.toPrecision(3)}, ε ${log.epsilon.toFixed(4)}, ${log.seconds.toFixed(1)} s`
  );
}

/** Runs the overfitting guard over the logged epochs: records its finding, warns, and stops at the best epoch. */
function applyOverfitVerdict(config: TrainConfig, context: TrainContext, position: TrainPosition): { isBest: boolean } {
  const restoreBest = context.hooks?.restoreBest;
  const verdict = decideOverfit(position.epochs, position.overfit, {
    runId: context.runId,
    stopOnOverfit: config.stopOnOverfit,
    canRestoreBest: restoreBest !== undefined,
  });
  if (verdict.overfit) position.overfit = verdict.overfit;
  if (verdict.warning) context.progress.log(verdict.warning);
  if (verdict.stop && restoreBest) stopAtBest(restoreBest(), position);
  return verdict;
}

/** Keeps the full log (it shows the collapse) but the best epoch's weights; training is over. */
function stopAtBest(best: TrainPosition, position: TrainPosition): void {
  position.overfit = { ...position.overfit!, stopped: true };
  position.done = true;
  position.lastFinite = best.lastFinite;
}
