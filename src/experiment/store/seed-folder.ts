import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExamplesRecord } from '../../eval/summary';
import { epsilonCurveCsv, type EpsilonPoint } from '../../report/epsilon-curve-csv';
import { examplesCsv } from '../../report/examples-csv';
import type { Manifest, RunMetrics } from '../../report/records';
import type { EpochLog, SegmentLog } from '../../train/train-position';
import { writeFileAtomic, writeJsonAtomic } from '../../util/atomic-write';
import { UserError } from '../../util/errors';
import type { Shard } from '../config/units';
import type { EvalShardRecord, FailedUnit } from './seed-records';

/**
 * The one module that knows the names inside a seed folder, `<out>/<preset>/<experiment>/<run>/seed-<k>/`, and
 * inside the folders `eval` writes; every other module reads and writes them through the functions below.
 * Every write is atomic (a temp file, then a rename): a reader sees the old file or the new one, never a torn one.
 */
export const SEED_FILES = {
  /** The unit's resolved config (preset, run, seed), written when it starts: what `merge` rebuilds metrics from. */
  config: 'config.json',
  /** Provenance: versions, sessions, wall time per phase; rewritten at each stage. */
  manifest: 'manifest.json',
  /** One entry per finished epoch, and the within-epoch segments: the report's training curves. */
  trainLog: 'train-log.json',
  trainSteps: 'train-steps.json',
  /** Written last: its presence marks the unit finished. */
  metrics: 'metrics.json',
  /** Per attacked example: label, clean prediction, each attack's success. */
  examples: 'examples.csv',
  /** Training stopped for good (collapse, NaN loss): a result, kept unless --retry-failed. */
  failure: 'failed.json',
  /** Held by the worker training the unit (unit-lock.ts). */
  lock: 'lock.json',
} as const;

export type SeedFile = keyof typeof SEED_FILES;

/** The folders inside a seed folder: the latest state, and the best epoch's (kept for `train.stopOnOverfit`). */
export const CHECKPOINT = 'checkpoint';
export const BEST_CHECKPOINT = 'checkpoint-best';

/** Inside a checkpoint folder: a JSON index (written last) beside one Float32 file of every tensor. */
export const CHECKPOINT_FILES = { index: 'index.json', values: 'tensors.f32' } as const;

/** What `eval` writes into its output folder (per ε in `eps-<ε>/` for a curve, the curve itself at the top). */
export const EVAL_OUTPUT_FILES = {
  evaluation: 'evaluation.json',
  examples: SEED_FILES.examples,
  epsilonCurve: 'robustness-vs-epsilon.csv',
} as const;

const SEED_FOLDER = /^seed-(\d+)$/;

export function seedFolderName(seed: number): string {
  return `seed-${seed}`;
}

/** The seed a folder name stands for, or undefined when it is not a seed folder. */
export function seedOfFolderName(name: string): number | undefined {
  const match = SEED_FOLDER.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** `<out>/<preset>/<experiment>/<run>/seed-<k>`. */
export function seedDirectory(outDir: string, preset: string, experiment: string, run: string, seed: number): string {
  return path.join(outDir, preset, experiment, run, seedFolderName(seed));
}

/** The seeds with a folder under `<run dir>`, ascending. */
export function seedFolders(runDir: string): number[] {
  if (!fs.existsSync(runDir)) return [];
  return fs
    .readdirSync(runDir)
    .map(seedOfFolderName)
    .filter((seed): seed is number => seed !== undefined)
    .sort((a, b) => a - b);
}

export function seedFile(seedDir: string, file: SeedFile): string {
  return path.join(seedDir, SEED_FILES[file]);
}

/**
 * An evaluation's finished attack batches (eval-journal.ts), kept beside its results (a seed folder for a run's
 * evaluation, the output folder for `eval`) so that an interrupted evaluation resumes where it stopped; removed once
 * the results are written. Each eval shard of a seed folder keeps its own.
 */
export function evalJournalPath(dir: string, shard?: Shard): string {
  return path.join(dir, shard ? `eval-journal-${shard.index}-of-${shard.count}.json` : 'eval-journal.json');
}

/** An eval shard's result: `eval-shard-<i>-of-<n>.json`, one per shard, joined by `merge`. */
export function evalShardPath(seedDir: string, shard: Shard): string {
  return path.join(seedDir, `eval-shard-${shard.index}-of-${shard.count}.json`);
}

/** The unit lock's file name: one per eval shard, since each shard's worker evaluates the unit on its own. */
export function unitLockName(evalShard: Shard | undefined): string {
  return evalShard ? `lock-eval-${evalShard.index}-of-${evalShard.count}.json` : SEED_FILES.lock;
}

/** The index file of checkpoint folder `dir`. */
export function checkpointIndexPath(dir: string): string {
  return path.join(dir, CHECKPOINT_FILES.index);
}

/** Whether `dir` is a checkpoint folder itself (its index, or the `.prev` a crash left), not a seed folder. */
export function isCheckpointFolder(dir: string): boolean {
  return fs.existsSync(checkpointIndexPath(dir)) || fs.existsSync(`${dir}.prev`);
}

export function evalOutputPath(dir: string, file: keyof typeof EVAL_OUTPUT_FILES): string {
  return path.join(dir, EVAL_OUTPUT_FILES[file]);
}

/** The folder of one ε of a robustness curve. */
/** `eval`'s default output folder beside a seed folder, named after the suite (`eval-autoattack/`, …). */
export function evalFolderBeside(seedDir: string, suite: string): string {
  return path.join(seedDir, `eval-${suite}`);
}

export function epsilonFolder(outDir: string, epsilon: number): string {
  return path.join(outDir, `eps-${epsilon}`);
}

/**
 * The one JSON reader of the store. `damaged: 'error'` for records a result depends on (a corrupt-results error
 * that names the file and the fix); `'absent'` where a damaged file only leaves a gap (provenance, another
 * unit's twin, the report's curves). A missing file is undefined either way.
 */
export function readJsonFile<T>(file: string, what: string, damaged: 'error' | 'absent'): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || damaged === 'absent') return undefined;
    throw new UserError(
      'corrupt-results',
      `${file}: not a valid ${what} (${(error as Error).message})`,
      `delete ${path.dirname(file)} to rerun it`,
    );
  }
}

/** Like readJsonFile(…, 'error'), for a file that must exist. */
export function readRequiredJson<T>(file: string, what: string): T {
  const value = readJsonFile<T>(file, what, 'error');
  if (value === undefined)
    throw new UserError('corrupt-results', `${file}: no ${what} there`, `delete ${path.dirname(file)} to rerun it`);
  return value;
}

/** The unit's config as `run` wrote it: what `merge` needs to rebuild metrics from eval shards. */
export interface UnitConfigFile<Preset = unknown, Run = unknown> {
  preset: Preset;
  run: Run;
  seed: number;
}

export function writeUnitConfig(seedDir: string, config: unknown): void {
  writeJsonAtomic(seedFile(seedDir, 'config'), config);
}

export function readUnitConfig<Preset, Run>(seedDir: string): UnitConfigFile<Preset, Run> {
  return readRequiredJson<UnitConfigFile<Preset, Run>>(seedFile(seedDir, 'config'), 'config file');
}

export function readMetrics(seedDir: string): RunMetrics | undefined {
  return readJsonFile<RunMetrics>(seedFile(seedDir, 'metrics'), 'metrics file', 'error');
}

/** Metrics where damage is someone else's problem (a twin in another folder, the report): undefined then. */
export function readMetricsIfIntact(seedDir: string): RunMetrics | undefined {
  return readJsonFile<RunMetrics>(seedFile(seedDir, 'metrics'), 'metrics file', 'absent');
}

/** Last: the presence of metrics.json marks the (run, seed) finished. */
export function writeMetrics(seedDir: string, metrics: RunMetrics): void {
  writeJsonAtomic(seedFile(seedDir, 'metrics'), metrics);
}

/** Provenance only: a damaged manifest is rewritten, never a reason to stop. */
export function readManifest(seedDir: string): Manifest | undefined {
  return readJsonFile<Manifest>(seedFile(seedDir, 'manifest'), 'manifest', 'absent');
}

export function writeManifest(seedDir: string, manifest: Manifest): void {
  writeJsonAtomic(seedFile(seedDir, 'manifest'), manifest);
}

/** The training logs, for the report's curves; a missing or damaged one leaves a gap (undefined). */
export function readTrainLogs(seedDir: string): { epochs?: EpochLog[]; segments?: SegmentLog[] } {
  const epochs = readJsonFile<EpochLog[]>(seedFile(seedDir, 'trainLog'), 'training log', 'absent');
  const segments = readJsonFile<SegmentLog[]>(seedFile(seedDir, 'trainSteps'), 'training log', 'absent');
  return {
    epochs: Array.isArray(epochs) ? epochs : undefined,
    segments: Array.isArray(segments) ? segments : undefined,
  };
}

export function writeTrainLogs(seedDir: string, logs: { epochs: EpochLog[]; segments: SegmentLog[] }): void {
  writeJsonAtomic(seedFile(seedDir, 'trainLog'), logs.epochs);
  writeJsonAtomic(seedFile(seedDir, 'trainSteps'), logs.segments);
}

/** The files a finished twin's copy takes besides its checkpoints, manifest and metrics. */
export const COPIED_WITH_TWIN: readonly SeedFile[] = ['trainLog', 'trainSteps', 'examples'];

export function writeFailure(seedDir: string, failure: FailedUnit): void {
  writeJsonAtomic(seedFile(seedDir, 'failure'), failure);
}

export function readFailure(seedDir: string): FailedUnit | undefined {
  return readJsonFile<FailedUnit>(seedFile(seedDir, 'failure'), 'failure record', 'error');
}

export function clearFailure(seedDir: string): void {
  fs.rmSync(seedFile(seedDir, 'failure'), { force: true });
}

export function readEvalShard(seedDir: string, shard: Shard): EvalShardRecord | undefined {
  return readJsonFile<EvalShardRecord>(evalShardPath(seedDir, shard), 'eval shard file', 'error');
}

export function writeEvalShard(seedDir: string, record: EvalShardRecord): void {
  writeJsonAtomic(evalShardPath(seedDir, record.shard), record);
}

/** `examples.csv` of a seed folder or an `eval` output folder; returns its path. */
export function writeExamplesCsv(dir: string, record: ExamplesRecord): string {
  const file = path.join(dir, SEED_FILES.examples);
  writeFileAtomic(file, examplesCsv(record));
  return file;
}

/** `robustness-vs-epsilon.csv` of an `eval` output folder; returns its path. */
export function writeEpsilonCurveCsv(dir: string, points: readonly EpsilonPoint[]): string {
  const file = evalOutputPath(dir, 'epsilonCurve');
  writeFileAtomic(file, epsilonCurveCsv(points));
  return file;
}
