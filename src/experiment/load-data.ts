import { createGlyphs } from '../data/glyphs';
import type { ImageDataset } from '../data/types';
import { UserError } from '../util/errors';
import type { DatasetConfig } from './types';

/** The glyphs set is the same for every seed: seeds vary training, not the data. */
const GLYPHS_SEED = 0;

/** Loads the preset's dataset: generated in-process for glyphs, from disk for the rest. */
export async function loadPresetDataset(config: DatasetConfig, options: { dataDir?: string }): Promise<ImageDataset> {
  switch (config.name) {
    case 'glyphs':
      return createGlyphs({ trainSize: config.trainSize, testSize: config.testSize, seed: GLYPHS_SEED });
    default:
      throw new UserError('dataset-unavailable', `dataset "${config.name}": no loader in this build (data dir ${options.dataDir ?? 'unset'})`, 'use --preset quick or smoke');
  }
}
