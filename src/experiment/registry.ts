import fig3 from '../../configs/fig3';
import { PRESETS } from '../../configs/presets';
import table1 from '../../configs/table1';
import type { ExperimentConfig, Preset } from './types';

/** Every experiment `sat-bench run` knows. */
export const EXPERIMENTS = { table1, fig3 } satisfies Record<string, ExperimentConfig>;
export type ExperimentName = keyof typeof EXPERIMENTS;

export { PRESETS };
export const PRESET_NAMES = Object.keys(PRESETS);

export function presetByName(name: string): Preset {
  return (PRESETS as Record<string, Preset>)[name];
}
