import type { BatchNormMode } from '../nn/phase';
import type { LrSchedule } from './schedule';

export interface TrainAttackConfig {
  /** PGD steps while crafting training examples (the paper: 1). */
  steps: number;
  /** Step size as a multiple of ε (the paper: 1, i.e. 4/255 at ε = 4/255). */
  stepSizeFactor: number;
  /** Share of batches that start from a uniform random point in the ε-ball (official code: 0.8). */
  randomStartProbability: number;
  /** ε grows linearly from 0 over this many epochs (0 = no ramp). */
  epsilonRampEpochs: number;
  /** BN while crafting: 'running' (inference mode, the official code) or 'batch'. */
  batchNorm: BatchNormMode;
}

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  /** Use only the first N training examples (0 = all). */
  examples: number;
  attack: TrainAttackConfig;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  labelSmoothing: number;
  schedule: LrSchedule;
  /**
   * The catastrophic-overfitting guard measures PGD-10 robustness on this many held-out examples (the last ones
   * of the test split) after every epoch; 0 turns it off.
   */
  overfitCheckExamples: number;
  /** On a collapse (held-out robustness −20 points while training accuracy rises), stop at the best epoch. */
  stopOnOverfit: boolean;
}
