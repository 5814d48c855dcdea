import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvalSummary } from '../../eval/summary';
import type { OverfitFlag } from '../../train/train-position';
import { writeJsonAtomic } from '../../util/atomic-write';
import { UserError } from '../../util/errors';

/**
 * Final numbers of one finished (run, seed): what the CSV and the reports are assembled from. Fractions in [0, 1].
 * `evaluation` is src/eval's summary of the full evaluation (absent in metrics written before it existed).
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
  /** The evaluation PGD's step as a multiple of epsilon (absent in metrics written before it was relative). */
  evalStepSizeFactor?: number;
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
  evaluation?: EvalSummary;
}

/**
 * `<out>/<preset>/<experiment>/<run>/seed-<k>/`: one folder per (run, seed), holding config.json, manifest.json,
 * train-log.json, checkpoint/ (latest state), metrics.json (present = finished) and eval-shard files.
 */
export function seedDirectory(outDir: string, preset: string, experiment: string, run: string, seed: number): string {
  return path.join(outDir, preset, experiment, run, `seed-${seed}`);
}

/** The seeds with a folder under `<run dir>`, ascending. */
export function seedFolders(runDir: string): number[] {
  if (!fs.existsSync(runDir)) return [];
  return fs
    .readdirSync(runDir)
    .map((name) => /^seed-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new UserError('corrupt-results', `${file}: not a valid ${what} (${(error as Error).message})`, `delete ${path.dirname(file)} to rerun it`);
  }
}

export function readMetrics(seedDir: string): RunMetrics | undefined {
  const file = path.join(seedDir, 'metrics.json');
  return fs.existsSync(file) ? readJson<RunMetrics>(file, 'metrics file') : undefined;
}

/** The error for results (metrics or a checkpoint) made with another config: never silently reused or replaced. */
export function configChangedError(file: string, found: string, now: string): UserError {
  return new UserError(
    'config-changed',
    `${file}: this run was made with another config (hash ${found}, now ${now})`,
    'use another --out folder, or add --force to the same command to replace it',
  );
}

/**
 * The finished metrics of a (run, seed) if they exist for this exact config; undefined if it has not finished
 * (or finished with another config and `force` says to replace it).
 */
export function readFinishedRun(seedDir: string, hash: string, options: { force: boolean }): RunMetrics | undefined {
  const metrics = readMetrics(seedDir);
  if (!metrics || metrics.configHash === hash) return metrics;
  if (options.force) return undefined;
  throw configChangedError(path.join(seedDir, 'metrics.json'), metrics.configHash, hash);
}

/** Last: the presence of metrics.json marks the (run, seed) finished. */
export function writeMetrics(seedDir: string, metrics: RunMetrics): void {
  writeJsonAtomic(path.join(seedDir, 'metrics.json'), metrics);
}
