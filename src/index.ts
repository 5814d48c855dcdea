/**
 * sat-bench as a library: the functions the CLI calls, with the same checks. Set the backend up once
 * (`setupBackend`) before training or evaluating; experiment and preset objects are validated as the CLI's are.
 *
 *   const { setupBackend, runExperiment, EXPERIMENTS, PRESETS, NO_PROGRESS } = require('sat-bench');
 */
export { defineExperiment, definePreset } from './experiment/config/define';
export {
  runExperiment,
  type RunRequest,
  type RunHooks,
  type ExperimentOutcome,
} from './experiment/orchestration/run-experiment';
export {
  evaluateCheckpoint,
  type EvaluateCheckpointOptions,
  type CheckpointEvaluation,
} from './experiment/orchestration/evaluate-checkpoint';
export { resolveExperiment, resolvePreset, type ResolvedPreset } from './experiment/config/resolve';
export { EXPERIMENTS, PRESETS } from './experiment/config/registry';
export type {
  ExperimentConfig,
  ExperimentRun,
  Preset,
  DatasetConfig,
  ModelConfig,
  SweepValue,
} from './experiment/config/types';
export type { RunMetrics } from './report/records';
export {
  ACTIVATIONS,
  type Activation,
  type ActivationName,
  type ActivationSettings,
  type ActivationSetting,
} from './nn/activations';
export type { ActivationSpec } from './nn/activation-spec';
export { prepareBackend as setupBackend, BACKEND_CHOICES, type BackendRequest } from './cli/setup';
export { NO_PROGRESS, type Progress } from './util/progress';
export { main } from './cli/main';
