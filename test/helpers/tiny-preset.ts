import { PRESETS } from '../../configs/presets';
import type { Preset } from '../../src/experiment/config/types';

/** `smoke` cut to seconds per unit: 256 training glyphs, one epoch, no overfit guard, 16 evaluated examples. */
export const TINY_PRESET: Preset = {
  ...PRESETS.smoke,
  dataset: { name: 'glyphs', trainSize: 256, testSize: 64 },
  train: { ...PRESETS.smoke.train, epochs: 1, overfitCheckExamples: 0 },
  eval: { ...PRESETS.smoke.eval, examples: 16, batchSize: 16 },
};
