/**
 * sat-bench as a library: the same functions the CLI calls. Set the backend up once (`setupBackend`) before
 * running anything; experiment and preset objects are checked exactly as the CLI checks them.
 */
export { defineExperiment, definePreset } from './experiment/define';
export type { ExperimentConfig, ExperimentRun, Preset, DatasetConfig, ModelConfig, SweepValue } from './experiment/types';
export { ACTIVATIONS, type Activation, type ActivationName, type ActivationSettings, type ActivationSetting } from './nn/activations';
export type { ActivationSpec } from './nn/activation-spec';
export { PRESETS } from '../configs/presets';
