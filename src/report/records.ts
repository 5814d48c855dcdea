import type { EvalSummary } from '../eval/summary';
import type { ActivationSpec } from '../nn/activation-spec';
import type { Activation } from '../nn/activations';
import type { EpochLog, OverfitFlag, SegmentLog } from '../train/train-position';

// The plain records report/ is assembled from: an experiment's definition (its runs are the rows, its layout the
// columns), what each finished (run, seed) leaves on disk (its metrics and manifest), and a preset folder's
// experiments as the store read them. experiment/ fills, writes and reads them (experiment/store/seed-folder.ts),
// importing these types from here, so report/ never imports experiment/ and never reads a results folder itself.

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
  /** Set by sweep expansion (experiment/config/sweep.ts), never written by hand: the preset values this copy of a run uses. */
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

/**
 * Final numbers of one finished (run, seed): what the CSV and the reports are assembled from. Fractions in [0, 1].
 * `evaluation` is src/eval's summary of the full evaluation.
 */
export interface RunMetrics {
  experiment: string;
  run: string;
  preset: string;
  configHash: string;
  seed: number;
  backend: string;
  dataset: string;
  model: string;
  epsilon: number;
  evalSteps: number;
  /** The evaluation PGD's step as a multiple of epsilon. */
  evalStepSizeFactor: number;
  evalExamples: number;
  accuracy: number;
  robustness: number;
  trainSteps: number;
  trainSeconds: number;
  trainImagesPerSecond: number;
  evalSeconds: number;
  /** The catastrophic-overfitting guard's verdict (absent when the guard is off). */
  overfit?: OverfitFlag;
  /** Set when training stopped short of the preset: `training cut at step 2 of 64 (--max-steps 2)` (the CSV's status). */
  trainingCut?: string;
  evaluation: EvalSummary;
}

/** Provenance of one (run, seed): what ran, on what, when, and how fast. Updated at each stage, atomically. */
export interface Manifest {
  experiment: string;
  run: string;
  seed: number;
  preset: string;
  configHash: string;
  config: unknown;
  backend: string;
  versions: { satBench: string; tfjs: string; node: string };
  /** HEAD of the sat-bench checkout when the process started (`-dirty`: tracked files changed); null outside git. */
  gitCommit: string | null;
  startedAt: string;
  endedAt?: string;
  /** How many times the CLI started (or resumed) this (run, seed). */
  sessions: number;
  /** Wall time per phase over every session, in seconds. */
  phases: { train: number; eval: number };
  trainImagesPerSecond?: number;
  evalShard?: string;
  /** Set when this unit was not trained but copied from a finished twin with the same config hash (its folder, relative). */
  copiedFrom?: string;
  /** Set when training stopped short of the preset (--max-steps, a shortening --set): what cut it, as in the CSV's status. */
  trainingCut?: string;
}

/** One CSV row as written: column name → cell text. */
export type CsvRow = Record<string, string>;

/**
 * What one `<experiment>/<run>/seed-<k>/` folder holds, as the store read it (a missing or damaged file: undefined,
 * a gap in the report, never a reason to stop). `dir` names the folder in the report's provenance.
 */
export interface SeedRecord {
  run: string;
  seed: number;
  dir: string;
  metrics?: RunMetrics;
  manifest?: Manifest;
  trainLog?: EpochLog[];
  /** The within-epoch log (absent in folders from before it existed). */
  trainSteps?: SegmentLog[];
}

/** What the registry knows of an experiment id; the report works without it (first row as baseline, id as title). */
export interface ExperimentInfo {
  title: string;
  baseline: string;
}

/** One experiment of a preset folder: its CSV's text and its seed folders' records, as the store hands them over. */
export interface ExperimentFiles {
  id: string;
  csvText: string;
  seeds: SeedRecord[];
}

export interface ExperimentResults {
  id: string;
  title: string;
  baseline: string;
  columns: string[];
  rows: CsvRow[];
  seeds: SeedRecord[];
}

export interface ResultsFolder {
  presetDir: string;
  preset: string;
  experiments: ExperimentResults[];
}
