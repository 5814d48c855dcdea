import type { ImageDataset } from '../data/types';
import { batchToTensors } from '../data/to-tensor';
import { UserError } from '../util/errors';
import type { Progress } from '../util/progress';
import { yieldToEventLoop } from '../util/progress';
import { deriveSeed, Rng } from '../util/rng';
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from './config';
import { learningRateAt } from './schedule';
import { adversarialTrainStep, type TrainState } from './train-step';

export interface EpochLog {
  epoch: number;
  loss: number;
  /** Accuracy on the adversarial training batches, in [0, 1]. */
  adversarialAccuracy: number;
  learningRate: number;
  epsilon: number;
  seconds: number;
}

export interface TrainSummary {
  epochs: EpochLog[];
  steps: number;
  seconds: number;
  imagesPerSecond: number;
}

export interface TrainContext {
  /** Names the run in errors ("row "silu", epoch 3, step 412: …"). */
  runId: string;
  epsilon: number;
  seed: number;
  /** Stop after this many steps in all (tiny runs, tests); 0 = no limit. */
  maxSteps: number;
  progress: Progress;
}

/** Linear ε ramp over the first epochs (0 ramp epochs = full ε from the start). */
function epsilonAt(config: TrainConfig, epsilon: number, epoch: number): number {
  const ramp = config.attack.epsilonRampEpochs;
  return ramp > 0 ? epsilon * Math.min(1, epoch / ramp) : epsilon;
}

/** Full batches only: equal shapes let kernels and caches be reused, and no step sees a 1-example batch. */
function batchesPerEpoch(examples: number, batchSize: number): number {
  return Math.max(1, Math.floor(examples / batchSize));
}

/** PGD-k adversarial training for `config.epochs` epochs; returns numbers, never tensors. */
export async function trainModel(state: TrainState, dataset: ImageDataset, config: TrainConfig, context: TrainContext): Promise<TrainSummary> {
  const available = dataset.size('train');
  const examples = config.examples > 0 ? Math.min(config.examples, available) : available;
  const perEpoch = batchesPerEpoch(examples, config.batchSize);
  const chance = 1 / dataset.numClasses;
  const epochs: EpochLog[] = [];
  const started = Date.now();
  let steps = 0;
  let lastFinite = { loss: NaN, step: -1 };
  for (let epoch = 0; epoch < config.epochs && (context.maxSteps === 0 || steps < context.maxSteps); epoch++) {
    const epochStarted = Date.now();
    const order = new Rng(deriveSeed(context.seed, 'shuffle', epoch)).permutation(examples);
    const batchRng = new Rng(deriveSeed(context.seed, 'train-attack', epoch));
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let learningRate = 0;
    let epsilon = 0;
    context.progress.begin(`${context.runId} epoch ${epoch + 1}/${config.epochs}`, perEpoch);
    for (let step = 0; step < perEpoch && (context.maxSteps === 0 || steps < context.maxSteps); step++) {
      const fraction = epoch + step / perEpoch;
      learningRate = learningRateAt(config.schedule, fraction, config.epochs);
      epsilon = epsilonAt(config, context.epsilon, fraction);
      const indices = order.subarray(step * config.batchSize, (step + 1) * config.batchSize);
      const batch = await dataset.read('train', indices, new Rng(deriveSeed(context.seed, 'augment', epoch, step)));
      const { x, y } = batchToTensors(batch, dataset.shape);
      const result = adversarialTrainStep(state, x, y, {
        learningRate,
        attack: {
          epsilon,
          stepSize: config.attack.stepSizeFactor * epsilon,
          steps: config.attack.steps,
          randomStart: batchRng.next() < config.attack.randomStartProbability,
        },
        startSeeds: { seed: deriveSeed(context.seed, 'train-start', epoch, step), exampleIds: indices },
        labelSmoothing: config.labelSmoothing,
      });
      tf.dispose([x, y]);
      if (!Number.isFinite(result.loss)) {
        throw new UserError(
          'nan-loss',
          `row "${context.runId}", epoch ${epoch + 1}, step ${step + 1}: training loss is ${result.loss} ` +
            `(last finite ${lastFinite.loss.toFixed(4)} at step ${lastFinite.step + 1})`,
          `lower the learning rate (now ${learningRate}), e.g. --set train.schedule.learningRate=${learningRate / 4}; finished rows are kept`,
        );
      }
      lastFinite = { loss: result.loss, step };
      lossSum += result.loss * batch.count;
      correct += result.correct;
      seen += batch.count;
      steps++;
      context.progress.update(step + 1, `loss ${result.loss.toFixed(3)} adv-acc ${((100 * correct) / seen).toFixed(1)}%`);
      await yieldToEventLoop();
    }
    context.progress.end();
    const log: EpochLog = {
      epoch: epoch + 1,
      loss: lossSum / Math.max(1, seen),
      adversarialAccuracy: correct / Math.max(1, seen),
      learningRate,
      epsilon,
      seconds: (Date.now() - epochStarted) / 1000,
    };
    epochs.push(log);
    context.progress.log(
      `${context.runId} epoch ${log.epoch}/${config.epochs}: loss ${log.loss.toFixed(4)}, adversarial accuracy ` +
        `${(100 * log.adversarialAccuracy).toFixed(2)}%, lr ${learningRate.toPrecision(3)}, ε ${epsilon.toFixed(4)}, ${log.seconds.toFixed(1)} s`,
    );
    if (epoch === 0 && seen === perEpoch * config.batchSize && log.adversarialAccuracy < chance + 0.05) {
      throw new UserError(
        'training-collapsed',
        `row "${context.runId}", epoch 1: training accuracy ${(100 * log.adversarialAccuracy).toFixed(1)}% is within 5 points of chance (${(100 * chance).toFixed(1)}%)`,
        'the model is not learning: lower train.schedule.learningRate, add an ε ramp (--set train.attack.epsilonRampEpochs=2) or lower epsilon',
      );
    }
  }
  const seconds = (Date.now() - started) / 1000;
  return { epochs, steps, seconds, imagesPerSecond: (steps * config.batchSize) / Math.max(1e-9, seconds) };
}
