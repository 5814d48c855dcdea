import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SuiteName } from '../../eval/suites';
import type { EvalSummary } from '../../eval/summary';
import { disposeNetwork } from '../../nn/network';
import { NO_PROGRESS, type Progress } from '../../util/progress';
import { loadCheckpoint } from './load-checkpoint';
import { loadPresetDataset } from './load-data';
import { checkpointIndexPath, seedFolderName } from '../store/seed-folder';
import { reevaluateModel } from './reevaluate';
import { registryOf } from '../config/run-activations';
import type { ExperimentConfig } from '../config/types';

export interface EvaluateCheckpointOptions {
  /** Attack suite (default: the preset's eval.suite). */
  suite?: SuiteName;
  /** Attacked test examples (default: the preset's eval.examples). */
  examples?: number;
  /** Seed of the random starts (default: the run's seed, which reproduces its evaluation). */
  seed?: number;
  /** Evaluate at each of these ε (a robustness curve, same examples and starts) instead of the run's ε. */
  epsilons?: readonly number[];
  /** Every attack on every example (each attack's own robustness) instead of the cascade. */
  standalone?: boolean;
  /** Output folder (default: eval-<suite> next to the checkpoint). */
  outDir?: string;
  dataDir?: string;
  progress?: Progress;
  /** Called with each ε's files once they are written. */
  onWritten?: (files: string[]) => void;
  /** The experiment the checkpoint came from, when its runs use activations defined in an experiment file. */
  experiment?: Pick<ExperimentConfig, 'activations'>;
}

export interface CheckpointEvaluation {
  run: string;
  seed: number;
  suite: SuiteName;
  /** One per ε evaluated (the run's own ε unless `epsilons` was given). */
  summaries: EvalSummary[];
  /** evaluation.json and examples.csv (per ε, and robustness-vs-epsilon.csv, for a curve). */
  files: string[];
}

/** Next to the checkpoint folder (never inside it, where the checkpoint reader looks), named after the suite. */
function defaultOut(checkpoint: string, suite: string): string {
  const isCheckpointFolder = fs.existsSync(checkpointIndexPath(checkpoint));
  return path.join(isCheckpointFolder ? path.dirname(checkpoint) : checkpoint, `eval-${suite}`);
}

/**
 * Evaluates a saved model again (no training): a seed folder (`<out>/<preset>/<experiment>/<run>/seed-<k>`) or its
 * checkpoint/ folder. Needs the backend set up (setupBackend); writes evaluation.json and examples.csv.
 */
export async function evaluateCheckpoint(
  checkpoint: string,
  options: EvaluateCheckpointOptions = {},
): Promise<CheckpointEvaluation> {
  const loaded = loadCheckpoint(checkpoint, registryOf(options.experiment ?? {}));
  try {
    const suite = options.suite ?? loaded.preset.eval.suite;
    const dataset = await loadPresetDataset(loaded.preset.dataset, { dataDir: options.dataDir });
    const { summaries, files } = await reevaluateModel(
      { net: loaded.net, plan: loaded.plan, evalConfig: loaded.preset.eval },
      dataset,
      {
        suite,
        examples: options.examples,
        seed: options.seed ?? loaded.seed,
        epsilon: loaded.preset.epsilon,
        epsilons: options.epsilons,
        standalone: options.standalone,
        outDir: options.outDir ?? defaultOut(checkpoint, suite),
        runId: `${loaded.run.id}/${seedFolderName(loaded.seed)}`,
        progress: options.progress ?? NO_PROGRESS,
        onWritten: options.onWritten,
      },
    );
    return { run: loaded.run.id, seed: loaded.seed, suite, summaries, files };
  } finally {
    disposeNetwork(loaded.net);
  }
}
