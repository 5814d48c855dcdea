import type { ActivationName, Activation } from '../../nn/activations';
import type { ExperimentConfig, Preset } from './types';

/**
 * Identity helpers for experiment and preset files: they give the editor the types (completion, and a compile
 * error on a misspelt activation), while the loader still checks everything at run time.
 *
 *   export default defineExperiment({ id: 'my-ablation', ..., activations: { mish: {...} }, runs: [...] });
 *
 * Activation names are the built-ins plus the keys of `activations`.
 */
export function defineExperiment<const Custom extends Record<string, Activation> = Record<never, Activation>>(
  config: ExperimentConfig<ActivationName | Extract<keyof Custom, string>> & { activations?: Custom },
): ExperimentConfig {
  return config as ExperimentConfig;
}

/** A preset file's default export; spread a built-in (`...PRESETS.smoke`) and change what you need. */
export function definePreset(preset: Preset): Preset {
  return preset;
}
