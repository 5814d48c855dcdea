import * as path from 'node:path';
import type { Progress } from '../../util/progress';
import { shardName, unitName, type Shard, type Unit } from '../config/units';
import { findFinishedTwin } from '../store/copy-twin';
import { readFinishedRun } from '../store/run-store';
import { readEvalShard, readFailure, seedDirectory } from '../store/seed-folder';
import type { ExperimentPlan } from './plan-experiment';

/** Where results live and which of them count as finished (the part of RunRequest this step reads). */
export interface PendingOptions {
  outDir: string;
  presetName: string;
  force: boolean;
  retryFailed?: boolean;
  shard?: Shard;
  evalShard?: Shard;
  reuse?: boolean;
}

/** This shard's units that still need work, and the store queries the run asks again under each unit's lock. */
export interface PendingUnits {
  /** Units with no result for their config yet. */
  todo: Unit[];
  /** Those of `todo` that will train: the others have a finished twin to copy. */
  toTrain: Unit[];
  /** Whether a unit's result for this config exists now (another worker may have finished it meanwhile). */
  isFinished(unit: Unit): boolean;
  /** A finished unit with the same config hash elsewhere in the preset folder; never with --no-reuse or an eval shard. */
  twinOf(unit: Unit): string | undefined;
}

/** Whether a unit's result for this config already exists (metrics, or this eval shard's file, or a failure record). */
function hasResult(dir: string, hash: string, options: PendingOptions): boolean {
  if (!options.retryFailed && readFailure(dir)?.configHash === hash) return true;
  if (!options.evalShard) return readFinishedRun(dir, hash, { force: options.force }) !== undefined;
  return readEvalShard(dir, options.evalShard)?.configHash === hash;
}

function describeDone(dir: string, hash: string, options: PendingOptions): string {
  const failure = readFailure(dir);
  return failure?.configHash === hash && !options.retryFailed
    ? `recorded earlier as ${failure.code} with this config, kept (--retry-failed trains it again)`
    : 'finished earlier with this config, kept';
}

/** Sorts this shard's units into finished (logged and kept), to copy from a twin, and to train. */
export function findPendingUnits(plan: ExperimentPlan, options: PendingOptions, progress: Progress): PendingUnits {
  const { experiment, mine, hashOf } = plan;
  if (options.shard) progress.log(`shard ${shardName(options.shard)}: ${mine.map(unitName).join(', ') || 'no units'}`);
  const dirOf = (unit: Unit) =>
    seedDirectory(options.outDir, options.presetName, experiment.id, unit.run.id, unit.seed);
  const isFinished = (unit: Unit) => hasResult(dirOf(unit), hashOf(unit), options);
  const todo = mine.filter((unit) => !isFinished(unit));
  for (const unit of mine)
    if (!todo.includes(unit)) progress.log(`${unitName(unit)}: ${describeDone(dirOf(unit), hashOf(unit), options)}`);
  const presetDir = path.join(options.outDir, options.presetName);
  const reuse = options.reuse !== false && !options.evalShard;
  const twinOf = (unit: Unit) =>
    reuse ? findFinishedTwin(presetDir, unit.seed, hashOf(unit), dirOf(unit)) : undefined;
  // Units with a finished twin are copied, not trained: the estimate and --workers count only the others.
  const toTrain = todo.filter((unit) => twinOf(unit) === undefined);
  return { todo, toTrain, isFinished, twinOf };
}
