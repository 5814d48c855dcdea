import { UserError } from '../util/errors';
import { bestEpochIndex, hasCollapsed } from './overfit-guard';
import type { EpochLog, OverfitFlag } from './train-position';

/** The numbers of the epoch a unit stopped in, for its record and the CSV (fractions in [0, 1]). */
export interface FailureNumbers {
  /** 1-based epoch, and for a NaN loss the 1-based step. */
  epoch: number;
  step?: number;
  /** Mean training loss of the epoch so far; for a NaN loss the last finite one. */
  loss: number;
  /** Accuracy on the adversarial training batches of the epoch (so far). */
  adversarialAccuracy: number;
  /** The collapse check's window: accuracy over the epoch's second half, and chance. */
  lateAccuracy?: number;
  chance?: number;
}

export type FailureCode = 'training-collapsed' | 'nan-loss';

/**
 * Training cannot go on (a NaN loss, or a recipe that does not learn). A user error with a fix, and also a result:
 * the experiment records the unit with these numbers and goes on with the others.
 */
export class TrainingFailed extends UserError {
  constructor(
    code: FailureCode,
    message: string,
    fix: string,
    readonly numbers: FailureNumbers,
  ) {
    super(code, message, fix);
    this.name = 'TrainingFailed';
  }

  get failure(): FailureCode {
    return this.code as FailureCode;
  }
}

/** A non-finite training loss stops the unit; `step` is 0-based, `lastFinite.step` -1 when none yet. */
export function checkLoss(
  loss: number,
  at: {
    runId: string;
    epoch: number;
    step: number;
    learningRate: number;
    lastFinite: { loss: number; step: number };
    adversarialAccuracy: number;
  },
): TrainingFailed | undefined {
  if (Number.isFinite(loss)) return undefined;
  return new TrainingFailed(
    'nan-loss',
    `row "${at.runId}", epoch ${at.epoch + 1}, step ${at.step + 1}: training loss is ${loss} ` +
      `(last finite ${at.lastFinite.loss.toFixed(4)} at step ${at.lastFinite.step + 1})`,
    `lower the learning rate (now ${at.learningRate}), e.g. --set train.schedule.learningRate=${at.learningRate / 4}; finished rows are kept`,
    { epoch: at.epoch + 1, step: at.step + 1, loss: at.lastFinite.loss, adversarialAccuracy: at.adversarialAccuracy },
  );
}

/** Fewer steps than this in epoch 1 are too few to call a recipe broken (tiny test slices). */
export const MIN_STEPS_TO_JUDGE = 20;

/**
 * Epoch 1 ending near chance means the recipe does not learn. Judged on the epoch's second half, so the warm-up
 * and ε ramp at its start do not count against it; only a full epoch of at least MIN_STEPS_TO_JUDGE steps is judged.
 */
export function checkLearning(
  log: EpochLog,
  partial: { seen: number; lateCorrect: number; lateSeen: number },
  epoch: { runId: string; index: number; steps: number; batchSize: number; numClasses: number },
): TrainingFailed | undefined {
  const chance = 1 / epoch.numClasses;
  const full = partial.seen === epoch.steps * epoch.batchSize && epoch.steps >= MIN_STEPS_TO_JUDGE;
  const lateAccuracy = partial.lateCorrect / Math.max(1, partial.lateSeen);
  if (epoch.index !== 0 || !full || lateAccuracy >= chance + 0.05) return undefined;
  return new TrainingFailed(
    'training-collapsed',
    `row "${epoch.runId}", epoch 1: training accuracy over its second half ${(100 * lateAccuracy).toFixed(1)}% is within 5 points of chance (${(100 * chance).toFixed(1)}%)`,
    'the model is not learning: lower train.schedule.learningRate, add an ε ramp (--set train.attack.epsilonRampEpochs=2) or lower epsilon',
    { epoch: log.epoch, loss: log.loss, adversarialAccuracy: log.adversarialAccuracy, lateAccuracy, chance },
  );
}

export interface OverfitDecision {
  overfit?: OverfitFlag;
  /** The epoch just logged has the best held-out robustness so far. */
  isBest: boolean;
  /** Go back to the best epoch's weights and end training. */
  stop: boolean;
  /** The warning for a collapse first seen at this epoch. */
  warning?: string;
}

/**
 * The catastrophic-overfitting guard's verdict after an epoch was logged. It only says "stopping" when it can stop:
 * `train.stopOnOverfit` is set and the caller can restore the best epoch.
 */
export function decideOverfit(
  epochs: readonly EpochLog[],
  previous: OverfitFlag | undefined,
  options: { runId: string; stopOnOverfit: boolean; canRestoreBest: boolean },
): OverfitDecision {
  const best = bestEpochIndex(epochs);
  const isBest = best >= 0 && best === epochs.length - 1;
  if (best < 0) return { overfit: previous, isBest, stop: false };
  const overfit: OverfitFlag = { ...previous, bestEpoch: best + 1, stopped: previous?.stopped ?? false };
  if (overfit.collapsedAtEpoch !== undefined || !hasCollapsed(epochs)) return { overfit, isBest, stop: false };
  const last = epochs[epochs.length - 1];
  overfit.collapsedAtEpoch = last.epoch;
  const stop = options.stopOnOverfit && options.canRestoreBest;
  const then = stop
    ? `; stopping at epoch ${best + 1}'s weights`
    : options.stopOnOverfit
      ? ` (train.stopOnOverfit is set, but this caller keeps no best checkpoint: training goes on)`
      : ' (set train.stopOnOverfit=true to stop at the best epoch)';
  const warning =
    `warning: ${options.runId} epoch ${last.epoch}: catastrophic overfitting, held-out PGD-10 robustness fell from ` +
    `${(100 * epochs[best].heldOutRobustness!).toFixed(2)}% (epoch ${best + 1}) while training accuracy rose${then}`;
  return { overfit, isBest, stop, warning };
}
