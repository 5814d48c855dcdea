import type { DatasetName } from '../data/registry';
import type { ActivationName } from '../nn/activations';
import type { InitScheme } from '../nn/init';
import type { ModelName } from '../nn/models';
import type { EvalConfig } from '../eval/config';
import type { TrainConfig } from '../train/config';

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

/** One row of Table 1 or one point of Figure 3. */
export interface ExperimentRun {
  /** Lowercase id used in CSV cells, `--runs` and errors. */
  id: string;
  label: string;
  forward: ActivationName;
  backward: { attack: ActivationName; train: ActivationName };
  /** The paper's numbers (ImageNet, ResNet-50, ε = 4/255), in percent. */
  paper: { accuracy: number; robustness: number };
}

export interface ExperimentConfig {
  id: string;
  title: string;
  /** The CSV layout: Table 1 names both backward functions, Figure 3 the one activation. */
  layout: 'backward-pair' | 'activation';
  /** The run deltas are measured against. */
  baseline: string;
  runs: ExperimentRun[];
}
