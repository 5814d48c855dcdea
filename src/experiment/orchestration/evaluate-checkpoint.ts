import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../../data/types';
import type { SuiteName } from '../../eval/suites';
import type { EvalSummary } from '../../eval/summary';
import { disposeNetwork } from '../../nn/network';
import { NO_PROGRESS, type Progress } from '../../util/progress';
import { loadCheckpoint, type LoadedCheckpoint } from './load-checkpoint';
import { loadPresetDataset } from './load-data';
import { checkpointIndexPath, evalFolderBeside, seedFolderName } from '../store/seed-folder';
import { reevaluateModel } from './reevaluate';
import { registryOf } from '../config/run-activations';
import type { ExperimentConfig } from '../config/types';
import { EvalJournal, evalJournalPath, type EvalJournalKey } from '../store/eval-journal';
import { NEVER_KILL, type KillPoints } from '../store/kill-point';

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
  /** The backend's result tag (backend.provenance; default: TF.js's backend name): a journal is only reused on it. */
  backend?: string;
  /** Called with the journal of finished attack batches once it is open (an interrupt says what it holds). */
  onJournal?: (journal: EvalJournal) => void;
  /** Test hook (crash safety): where the process may be killed. */
  kill?: KillPoints;
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
  return evalFolderBeside(isCheckpointFolder ? path.dirname(checkpoint) : checkpoint, suite);
}

/** Everything that decides this evaluation's attack outcomes (see EvalJournalKey). */
function journalKey(
  loaded: LoadedCheckpoint,
  dataset: ImageDataset,
  suite: SuiteName,
  options: EvaluateCheckpointOptions,
): EvalJournalKey {
  const { batchSize, steps, stepSizeFactor, randomStart, examples } = loaded.preset.eval;
  return {
    weights: loaded.valuesDigest,
    run: `${loaded.experiment}/${loaded.run.id}`,
    suite,
    examples: options.examples ?? examples,
    seed: options.seed ?? loaded.seed,
    epsilons: (options.epsilons ?? [loaded.preset.epsilon]).join(','),
    standalone: options.standalone === true,
    batchSize,
    steps,
    stepSizeFactor,
    randomStart,
    dataset: dataset.name,
    testExamples: dataset.size('test'),
    backend: options.backend ?? tf.getBackend(),
  };
}

/**
 * Evaluates a saved model again (no training): a seed folder (`<out>/<preset>/<experiment>/<run>/seed-<k>`) or its
 * checkpoint/ folder. Needs the backend set up (setupBackend); writes evaluation.json and examples.csv. Each finished
 * attack batch goes to a journal in the output folder first, so the same call after an interrupt (Ctrl-C, a kill)
 * resumes from it; the journal is removed once every file is written.
 */
export async function evaluateCheckpoint(
  checkpoint: string,
  options: EvaluateCheckpointOptions = {},
): Promise<CheckpointEvaluation> {
  const loaded = loadCheckpoint(checkpoint, registryOf(options.experiment ?? {}));
  try {
    const suite = options.suite ?? loaded.preset.eval.suite;
    const dataset = await loadPresetDataset(loaded.preset.dataset, { dataDir: options.dataDir });
    const outDir = options.outDir ?? defaultOut(checkpoint, suite);
    const progress = options.progress ?? NO_PROGRESS;
    const kill = options.kill ?? NEVER_KILL;
    const journal = EvalJournal.open(evalJournalPath(outDir), journalKey(loaded, dataset, suite, options), {
      log: (line) => progress.log(line),
      kill,
    });
    options.onJournal?.(journal);
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
        outDir,
        runId: `${loaded.run.id}/${seedFolderName(loaded.seed)}`,
        progress: { ...progress, update: (done, status) => (progress.update(done, status), kill.reach('eval-batch')) },
        onWritten: options.onWritten,
        journal,
      },
    );
    journal.remove();
    return { run: loaded.run.id, seed: loaded.seed, suite, summaries, files };
  } finally {
    disposeNetwork(loaded.net);
  }
}
