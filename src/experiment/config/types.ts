import type { DatasetName } from '../../data/registry';
import type { ActivationSpec } from '../../nn/activation-spec';
import type { Activation } from '../../nn/activations';
import type { InitScheme } from '../../nn/init';
import type { ModelName } from '../../nn/models';
import type { EvalConfig } from '../../eval/config';
import type { TrainConfig } from '../../train/config';

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

/** One row of Table 1 or one point of Figure 3. `N`: the activation names it may use (any string once loaded). */
export interface ExperimentRun<N extends string = string> {
  /** Lowercase id used in CSV cells, `--runs` and folders. */
  id: string;
  label: string;
  /** A name (`'relu'`) or a name with settings (`{ name: 'psoftplus', sharpness: 5 }`). */
  forward: ActivationSpec<N>;
  backward: { attack: ActivationSpec<N>; train: ActivationSpec<N> };
  /** The paper's numbers (ImageNet, ResNet-50, ε = 4/255), in percent; leave out for runs the paper has not. */
  paper?: { accuracy: number; robustness: number };
  /** Set by sweep expansion (sweep.ts), never written by hand: the preset values this copy of a run uses. */
  sweepPoint?: SweepPoint;
}

/** A JSON value a sweep assigns to a preset key. */
export type SweepValue = string | number | boolean | null | SweepValue[] | { [key: string]: SweepValue };

/** One combination of swept values, and the run id it was expanded from. */
export interface SweepPoint {
  baseId: string;
  values: Readonly<Record<string, SweepValue>>;
}

export interface ExperimentConfig<N extends string = string> {
  id: string;
  title: string;
  /** The CSV layout: Table 1 names both backward functions, Figure 3 the one activation. */
  layout: 'backward-pair' | 'activation';
  /** The run deltas are measured against (within each sweep point). */
  baseline: string;
  runs: Array<ExperimentRun<N>>;
  /** Activations this experiment adds to the built-ins (value and derivative), by the name its runs use. */
  activations?: Readonly<Record<string, Activation>>;
  /**
   * Preset values to vary across runs, by dot-path (`epsilon`, `train.schedule`): every run is trained once per
   * combination of the listed values, and the CSV gets a `sweep_<dot.path>` column per key.
   */
  sweep?: Readonly<Record<string, readonly SweepValue[]>>;
}
