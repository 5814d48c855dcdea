import fig3 from '../../../configs/fig3';
import { PRESETS } from '../../../configs/presets';
import table1 from '../../../configs/table1';
import { lookup } from '../../util/errors';
import type { ExperimentConfig, Preset } from './types';

/** Every experiment `sat-bench run` knows. */
export const EXPERIMENTS = { table1, fig3 } satisfies Record<string, ExperimentConfig>;
export type ExperimentName = keyof typeof EXPERIMENTS;

export { PRESETS };
export const PRESET_NAMES = Object.keys(PRESETS);

/** A preset by name; an unknown name is a UserError listing the known ones. */
export function presetByName(name: string): Preset {
  return lookup<Preset>(PRESETS, name, 'preset', '--preset');
}
