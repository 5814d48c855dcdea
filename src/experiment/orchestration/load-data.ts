import { createGlyphs } from '../../data/glyphs';
import { openDataset } from '../../data/locate';
import type { ImageDataset } from '../../data/types';
import type { DatasetConfig, Preset } from '../config/types';

/** The glyphs set is the same for every seed: seeds vary training, not the data. */
const GLYPHS_SEED = 0;

/** Loads the preset's dataset: generated in-process for glyphs, from --data-dir / $SAT_BENCH_DATA / the cache otherwise. */
export async function loadPresetDataset(config: DatasetConfig, options: { dataDir?: string }): Promise<ImageDataset> {
  switch (config.name) {
    case 'glyphs':
      return createGlyphs({ trainSize: config.trainSize, testSize: config.testSize, seed: GLYPHS_SEED });
    case 'imagenet':
      return openDataset('imagenet', { dataDir: options.dataDir, imageSize: config.imageSize });
    default:
      return openDataset(config.name, { dataDir: options.dataDir });
  }
}

/** Said once per command: a preset asking for more evaluation examples than the test split has (evaluation uses them all). */
export function datasetSizeWarnings(preset: Preset, dataset: ImageDataset): string[] {
  const test = dataset.size('test');
  if (preset.eval.examples <= test) return [];
  return [
    `eval.examples is ${preset.eval.examples}, but ${dataset.name}'s test split has ${test} examples: robustness is measured on all ${test}`,
  ];
}
