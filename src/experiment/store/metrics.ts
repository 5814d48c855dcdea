import type { EvalResult } from '../../eval/result';
import { summarizeEvaluation } from '../../eval/summary';
import type { TrainPosition } from '../../train/train-position';
import type { RunMetrics } from '../../report/records';
import type { ExperimentConfig, Preset } from '../config/types';
import type { Unit } from '../config/units';

export interface MetricsInputs {
  experiment: ExperimentConfig;
  presetName: string;
  preset: Preset;
  unit: Unit;
  configHash: string;
  backend: string;
  datasetName: string;
  position: TrainPosition;
  trainImagesPerSecond: number;
  evalSeconds: number;
  result: EvalResult;
  /** What cut training short of the preset (store/training-cut.ts); absent when it ran in full. */
  trainingCut?: string;
}

/**
 * The one place a finished (run, seed)'s metrics are assembled: `run` and `merge` (from eval shards) both call it,
 * so the CSV cannot depend on which of them produced a run.
 */
export function buildMetrics(m: MetricsInputs): RunMetrics {
  return {
    experiment: m.experiment.id,
    run: m.unit.run.id,
    preset: m.presetName,
    configHash: m.configHash,
    seed: m.unit.seed,
    backend: m.backend,
    dataset: m.datasetName,
    model: m.preset.model.name,
    epsilon: m.preset.epsilon,
    evalSteps: m.preset.eval.steps,
    evalStepSizeFactor: m.preset.eval.stepSizeFactor,
    evalExamples: m.result.attackedExamples,
    accuracy: m.result.accuracy,
    robustness: m.result.robustness,
    trainSteps: m.position.steps,
    trainSeconds: m.position.seconds,
    trainImagesPerSecond: m.trainImagesPerSecond,
    evalSeconds: m.evalSeconds,
    ...(m.position.overfit ? { overfit: m.position.overfit } : {}),
    ...(m.trainingCut ? { trainingCut: m.trainingCut } : {}),
    evaluation: summarizeEvaluation(m.result),
  };
}
