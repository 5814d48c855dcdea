/** One line of the per-epoch log. Fractions in [0, 1]. */
export interface EpochLog {
  epoch: number;
  loss: number;
  /** Accuracy on the adversarial training batches. */
  adversarialAccuracy: number;
  learningRate: number;
  epsilon: number;
  seconds: number;
  /** PGD-10 accuracy on the overfitting guard's held-out examples (absent when the guard is off). */
  heldOutRobustness?: number;
}

/**
 * Loss and adversarial training accuracy over a stretch of about a tenth of an epoch: the curve within epochs, where
 * catastrophic overfitting shows (a one-epoch run has a single epoch log).
 */
export interface SegmentLog {
  /** Epochs trained at the stretch's end: 0.3 is 30 % into the first epoch (epoch logs sit at 1, 2, …). */
  at: number;
  loss: number;
  adversarialAccuracy: number;
  /** The schedule's values at the stretch's last step. */
  learningRate: number;
  epsilon: number;
}

/** Stretches per epoch in the within-epoch log (fewer when an epoch has fewer steps). */
export const SEGMENTS_PER_EPOCH = 10;

/** What the overfitting guard concluded; `collapsedAtEpoch` is 1-based, absent when nothing collapsed. */
export interface OverfitFlag {
  collapsedAtEpoch?: number;
  bestEpoch: number;
  /** True when training stopped there and the best epoch's weights were restored. */
  stopped: boolean;
}

/**
 * Where a training run stands, in plain numbers (it goes into the checkpoint's JSON). With the weights and the
 * optimizer's velocity it is everything needed to continue exactly: all randomness derives from (seed, epoch, step).
 */
export interface TrainPosition {
  /** 0-based epoch in progress (equal to the epoch count when training is done). */
  epoch: number;
  /** Batches of `epoch` already trained (0 at an epoch boundary). */
  step: number;
  /** Training steps in all, over every session. */
  steps: number;
  /** Training wall time over every session, in seconds. */
  seconds: number;
  epochs: EpochLog[];
  segments: SegmentLog[];
  /**
   * Running sums of the epoch in progress; `late*` over its second half (the collapse check's window), `segment*`
   * over the stretch in progress.
   */
  partial: {
    lossSum: number;
    correct: number;
    seen: number;
    lateCorrect: number;
    lateSeen: number;
    segmentLossSum: number;
    segmentCorrect: number;
    segmentSeen: number;
  };
  /** For the NaN-loss message: the last finite loss and its step (0-based, -1 = none yet). */
  lastFinite: { loss: number; step: number };
  overfit?: OverfitFlag;
  done: boolean;
}

export function initialPosition(): TrainPosition {
  return {
    epoch: 0,
    step: 0,
    steps: 0,
    seconds: 0,
    epochs: [],
    segments: [],
    partial: emptyPartial(),
    lastFinite: { loss: NaN, step: -1 },
    done: false,
  };
}

export function emptyPartial(): TrainPosition['partial'] {
  return {
    lossSum: 0,
    correct: 0,
    seen: 0,
    lateCorrect: 0,
    lateSeen: 0,
    segmentLossSum: 0,
    segmentCorrect: 0,
    segmentSeen: 0,
  };
}

/** JSON turns NaN into null; this undoes it. */
export function revivePosition(json: TrainPosition): TrainPosition {
  return { ...json, lastFinite: { loss: json.lastFinite.loss ?? NaN, step: json.lastFinite.step } };
}

/** Appends the stretch in progress to the within-epoch log (nothing when it is empty) and starts the next one. */
export function closeSegment(
  position: TrainPosition,
  at: number,
  schedule: { learningRate: number; epsilon: number },
): void {
  const { partial } = position;
  if (partial.segmentSeen === 0) return;
  position.segments.push({
    at,
    loss: partial.segmentLossSum / partial.segmentSeen,
    adversarialAccuracy: partial.segmentCorrect / partial.segmentSeen,
    ...schedule,
  });
  partial.segmentLossSum = 0;
  partial.segmentCorrect = 0;
  partial.segmentSeen = 0;
}
