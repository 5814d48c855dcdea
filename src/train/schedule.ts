/** Learning-rate schedules, as a function of fractional epoch (epoch + step / stepsPerEpoch). */
export type LrSchedule =
  | { kind: 'constant'; learningRate: number }
  /** Multiply by `factor` at each milestone epoch; linear warm-up from 0 over `warmupEpochs` (Goyal et al. 2017). */
  | { kind: 'step'; learningRate: number; milestones: number[]; factor: number; warmupEpochs: number }
  /** Half-cosine from learningRate to 0 over all epochs, after an optional linear warm-up. */
  | { kind: 'cosine'; learningRate: number; warmupEpochs: number }
  /** Linear up to learningRate at `peakFraction` of training, then linear down to 0 (Smith 2018; fast AT). */
  | { kind: 'oneCycle'; learningRate: number; peakFraction: number };

export function learningRateAt(schedule: LrSchedule, epoch: number, totalEpochs: number): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.learningRate;
    case 'step': {
      if (epoch < schedule.warmupEpochs) return (schedule.learningRate * epoch) / schedule.warmupEpochs;
      const passed = schedule.milestones.filter((m) => epoch >= m).length;
      return schedule.learningRate * schedule.factor ** passed;
    }
    case 'cosine': {
      if (epoch < schedule.warmupEpochs) return (schedule.learningRate * epoch) / schedule.warmupEpochs;
      const progress = (epoch - schedule.warmupEpochs) / Math.max(1e-9, totalEpochs - schedule.warmupEpochs);
      return 0.5 * schedule.learningRate * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
    case 'oneCycle': {
      const progress = epoch / totalEpochs;
      const peak = schedule.peakFraction;
      return progress < peak
        ? (schedule.learningRate * progress) / peak
        : (schedule.learningRate * Math.max(0, 1 - progress)) / (1 - peak);
    }
  }
}

/**
 * Each schedule kind's numeric fields: what a preset file or a whole-object `--set train.schedule={...}` must give.
 * The mapped type holds it to LrSchedule: a new kind fails to compile until listed, and every field listed exists.
 */
export const SCHEDULE_FIELDS = {
  constant: ['learningRate'],
  step: ['learningRate', 'milestones', 'factor', 'warmupEpochs'],
  cosine: ['learningRate', 'warmupEpochs'],
  oneCycle: ['learningRate', 'peakFraction'],
} as const satisfies {
  [K in LrSchedule['kind']]: ReadonlyArray<Exclude<keyof Extract<LrSchedule, { kind: K }>, 'kind'>>;
};
