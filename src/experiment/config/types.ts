import type { DatasetName } from '../../data/registry';
import type { InitScheme } from '../../nn/init';
import type { ModelName } from '../../nn/models';
import type { EvalConfig } from '../../eval/config';
import type { TrainConfig } from '../../train/config';

// An experiment's runs, layout, baseline and sweep are declared in report/, whose tables they lay out; config files
// import them from here, beside Preset.
export type { ExperimentConfig, ExperimentRun, SweepPoint, SweepValue } from '../../report/records';

/**
 * Where a preset's images come from, one variant per name in src/data/registry.ts's DATASETS: `glyphs` is generated
 * in-process; the rest are read from disk, and only those with options are spelt out here.
 */
export type DatasetConfig =
  | { name: 'glyphs'; trainSize: number; testSize: number }
  | { name: 'imagenet'; imageSize: number }
  | { name: Exclude<DatasetName, 'glyphs' | 'imagenet'> };

export interface ModelConfig {
  name: ModelName;
  /** Multiplies every layer's width (1 = the published architecture). */
  width: number;
  init: InitScheme;
}

/** A scale of the experiment: data, model, threat model, training recipe and evaluation. */
export interface Preset {
  description: string;
  /** What `list` says about the expected wall time, and where that figure came from. */
  expectedWallTime: string;
  dataset: DatasetConfig;
  model: ModelConfig;
  /** L∞ radius on [0, 1] pixels (the paper's 4/255 is written `4 / 255`). */
  epsilon: number;
  train: TrainConfig;
  eval: EvalConfig;
  /**
   * Seeds a run trains with when neither --seed nor --seeds is given (default [0]). Not part of a unit's config
   * hash: each (run, seed) is the same training whichever list it came from.
   */
  seeds?: readonly number[];
}
