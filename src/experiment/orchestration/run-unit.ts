import * as path from 'node:path';
import type { ImageDataset } from '../../data/types';
import { evaluateModel } from '../../eval/evaluate';
import type { EvalResult } from '../../eval/result';
import { examplesRecord } from '../../eval/summary';
import type { Manifest, RunMetrics } from '../../report/records';
import { disposeNetwork } from '../../nn/network';
import { TrainingFailed } from '../../train/epoch-checks';
import { trainModel, type TrainHooks } from '../../train/trainer';
import type { TrainState } from '../../train/train-step';
import { initialPosition, type TrainPosition } from '../../train/train-position';
import type { Progress } from '../../util/progress';
import { buildTrainState } from './build-run';
import { registryOf } from '../config/run-activations';
import {
  BEST_CHECKPOINT,
  CHECKPOINT,
  readCheckpoint,
  restoreState,
  saveCheckpoint,
  type CheckpointMeta,
} from '../store/checkpoint';
import { removeCheckpointFiles } from '../store/checkpoint-files';
import { encodeTyped, type EvalShardRecord } from '../store/eval-shards';
import { describeFailure, type FailedUnit } from '../store/failed-units';
import { EvalJournal, evalJournalPath } from '../store/eval-journal';
import { Interrupted, interruptibleProgress, type InterruptWatch } from './interrupt';
import type { KillPoints } from '../store/kill-point';
import { beginManifest } from '../store/manifest';
import { buildMetrics } from '../store/metrics';
import { configChangedError } from '../store/run-store';
import {
  clearFailure,
  seedDirectory,
  writeEvalShard,
  writeExamplesCsv,
  writeFailure,
  writeManifest,
  writeMetrics,
  writeTrainLogs,
  writeUnitConfig,
} from '../store/seed-folder';
import type { ExperimentConfig, Preset } from '../config/types';
import { evalShardRange, shardName, unitName, type Shard, type Unit } from '../config/units';

/** What every unit of one `run` shares. */
export interface UnitContext {
  experiment: ExperimentConfig;
  outDir: string;
  presetName: string;
  preset: Preset;
  maxSteps: number;
  backend: string;
  force: boolean;
  dataset: ImageDataset;
  progress: Progress;
  watch: InterruptWatch;
  /** Test hook (crash safety): where the process may be killed; NEVER_KILL unless a test set one. */
  kill: KillPoints;
  evalShard?: Shard;
  hashOf(unit: Unit): string;
  configOf(unit: Unit): unknown;
  /** What cut this unit's training short of its preset (--max-steps, a shortening --set), after `steps`; undefined if nothing. */
  trainingCutOf?(unit: Unit, steps: number): string | undefined;
}

/** The checkpoint to resume from: none, this config's, or (another config's) an error unless --force. */
function resumableCheckpoint(seedDir: string, hash: string, force: boolean) {
  const checkpoint = readCheckpoint(seedDir);
  if (!checkpoint || checkpoint.index.configHash === hash) return checkpoint;
  if (!force) throw configChangedError(path.join(seedDir, CHECKPOINT), checkpoint.index.configHash, hash);
  removeCheckpointFiles(seedDir, CHECKPOINT);
  removeCheckpointFiles(seedDir, BEST_CHECKPOINT);
  return undefined;
}

/**
 * Trains (or resumes) one (run, seed) and evaluates it; writes metrics.json, or with an eval shard that shard's
 * file. Checkpoints after every epoch; a signal stops it at a batch boundary with a checkpoint (Interrupted).
 * Training that stops for good (a collapse to chance, a NaN loss) is recorded in failed.json and returned.
 */
export async function runUnit(unit: Unit, ctx: UnitContext): Promise<RunMetrics | EvalShardRecord | FailedUnit> {
  const { experiment, preset, dataset } = ctx;
  const dir = seedDirectory(ctx.outDir, ctx.presetName, experiment.id, unit.run.id, unit.seed);
  const hash = ctx.hashOf(unit);
  const checkpoint = resumableCheckpoint(dir, hash, ctx.force);
  const manifest = startUnit(unit, ctx, dir);
  const data = { shape: dataset.shape, numClasses: dataset.numClasses };
  const meta: CheckpointMeta = {
    configHash: hash,
    experiment: experiment.id,
    presetName: ctx.presetName,
    preset,
    run: unit.run,
    seed: unit.seed,
    data,
  };
  const state = buildTrainState(unit.run, preset, unit.seed, data, registryOf(experiment));
  try {
    let position = initialPosition();
    if (checkpoint) {
      restoreState(checkpoint, state.net, state.optimizer);
      position = checkpoint.index.position;
      const where = position.done ? 'training finished' : `epoch ${position.epoch + 1}, step ${position.step}`;
      ctx.progress.log(`${unitName(unit)}: resuming from its checkpoint (${where})`);
    }
    if (!position.done) {
      try {
        position = await train(unit, ctx, state, dir, meta, position, manifest);
      } catch (error) {
        if (!(error instanceof TrainingFailed)) throw error;
        return recordFailure(unit, ctx, dir, error);
      }
    }
    return await evaluate(unit, ctx, state, dir, position, manifest);
  } finally {
    state.optimizer.dispose();
    disposeNetwork(state.net);
  }
}

/** Clears an earlier failure, writes the unit's config, and starts (or continues) its manifest. */
function startUnit(unit: Unit, ctx: UnitContext, dir: string): Manifest {
  clearFailure(dir); // an earlier failure, of another config or retried (--retry-failed)
  writeUnitConfig(dir, ctx.configOf(unit));
  return beginManifest(dir, {
    experiment: ctx.experiment.id,
    run: unit.run.id,
    seed: unit.seed,
    preset: ctx.presetName,
    configHash: ctx.hashOf(unit),
    config: ctx.configOf(unit),
    backend: ctx.backend,
    ...(ctx.evalShard ? { evalShard: shardName(ctx.evalShard) } : {}),
  });
}

/** A failed unit is a result: recorded with its epoch's numbers, and the experiment goes on with the other units. */
function recordFailure(unit: Unit, ctx: UnitContext, dir: string, error: TrainingFailed): FailedUnit {
  const failure: FailedUnit = {
    experiment: ctx.experiment.id,
    run: unit.run.id,
    seed: unit.seed,
    configHash: ctx.hashOf(unit),
    code: error.failure,
    message: error.message,
    numbers: error.numbers,
  };
  writeFailure(dir, failure);
  ctx.progress.log(
    `${unitName(unit)}: ${error.message}\n  recorded as ${describeFailure(failure)}; going on with the other units (fix: ${error.fix})`,
  );
  return failure;
}

/** What the trainer asks of the store and the process: checkpoints and logs per epoch, Ctrl-C, the kill points. */
function trainerHooks(
  ctx: UnitContext,
  state: TrainState,
  dir: string,
  save: (name: string, position: TrainPosition) => Promise<void>,
): TrainHooks {
  return {
    async epochEnd(position, { isBest }) {
      if (isBest && ctx.preset.train.stopOnOverfit && !position.done) await save(BEST_CHECKPOINT, position);
      await save(CHECKPOINT, position);
      writeTrainLogs(dir, { epochs: position.epochs, segments: position.segments });
    },
    restoreBest() {
      const best = readCheckpoint(dir, BEST_CHECKPOINT);
      if (!best) throw new Error(`${dir}: train.stopOnOverfit needs ${BEST_CHECKPOINT}/, which is missing`);
      restoreState(best, state.net, state.optimizer);
      return best.index.position;
    },
    shouldStop: () => ctx.watch.requested() !== undefined,
    afterStep: () => ctx.kill.reach('train-step'),
  };
}

async function train(
  unit: Unit,
  ctx: UnitContext,
  state: TrainState,
  dir: string,
  meta: CheckpointMeta,
  start: TrainPosition,
  manifest: Manifest,
): Promise<TrainPosition> {
  const save = (name: string, position: TrainPosition) => saveCheckpoint(dir, name, state, meta, position, ctx.kill);
  const outcome = await trainModel(
    state,
    ctx.dataset,
    ctx.preset.train,
    {
      runId: unitName(unit),
      epsilon: ctx.preset.epsilon,
      seed: unit.seed,
      maxSteps: ctx.maxSteps,
      progress: ctx.progress,
      hooks: trainerHooks(ctx, state, dir, save),
    },
    start,
  );
  manifest.phases.train += outcome.position.seconds - start.seconds;
  manifest.trainImagesPerSecond = outcome.imagesPerSecond;
  writeManifest(dir, manifest);
  if (outcome.interrupted) {
    // Mid-epoch: the position carries the epoch's running sums, and every draw derives from (seed, epoch, step).
    await save(CHECKPOINT, outcome.position);
    const { epoch, step } = outcome.position;
    throw new Interrupted(
      ctx.watch.requested() ?? 'SIGINT',
      `${unitName(unit)} at epoch ${epoch + 1}, step ${step} (checkpoint saved)`,
    );
  }
  return outcome.position;
}

/** The run's journal of finished attack batches, kept only for this config, training and shard (and backend). */
function openEvalJournal(unit: Unit, ctx: UnitContext, dir: string, position: TrainPosition, range?: number[]) {
  const key = {
    configHash: ctx.hashOf(unit),
    trainedSteps: position.steps,
    range: range?.join('-') ?? null,
    backend: ctx.backend,
  };
  return EvalJournal.open(evalJournalPath(dir, ctx.evalShard), key, {
    log: (line) => ctx.progress.log(line),
    kill: ctx.kill,
  });
}

/** What an evaluation hands to the file it ends in: the result, the training it came from, and their timings. */
interface Evaluated {
  result: EvalResult;
  position: TrainPosition;
  evalSeconds: number;
  trainImagesPerSecond: number;
  trainingCut?: string;
  manifest: Manifest;
  /** Finished attack batches, removed once the result is written. */
  journal: EvalJournal;
}

/** Evaluates the trained model (this eval shard's slice of the examples, if any) and writes the unit's result. */
async function evaluate(
  unit: Unit,
  ctx: UnitContext,
  state: TrainState,
  dir: string,
  position: TrainPosition,
  manifest: Manifest,
): Promise<RunMetrics | EvalShardRecord> {
  const started = Date.now();
  const attacked = Math.min(ctx.preset.eval.examples, ctx.dataset.size('test'));
  const range = ctx.evalShard ? evalShardRange(attacked, ctx.evalShard) : undefined;
  const journal = openEvalJournal(unit, ctx, dir, position, range);
  const progress = interruptibleProgress(
    ctx.progress,
    ctx.watch,
    () => `evaluating ${unitName(unit)} (its training is checkpointed; ${journal.describe()})`,
    () => ctx.kill.reach('eval-batch'),
  );
  const context = {
    runId: unitName(unit),
    epsilon: ctx.preset.epsilon,
    seed: unit.seed,
    progress,
    journal,
    ...(range ? { exampleRange: range } : {}),
  };
  const result: EvalResult = await evaluateModel(state.net, state.plan, ctx.dataset, ctx.preset.eval, context);
  const evalSeconds = (Date.now() - started) / 1000;
  manifest.phases.eval += evalSeconds;
  const evaluated: Evaluated = {
    result,
    position,
    evalSeconds,
    trainImagesPerSecond: (position.steps * ctx.preset.train.batchSize) / Math.max(1e-9, position.seconds),
    trainingCut: ctx.trainingCutOf?.(unit, position.steps),
    manifest,
    journal,
  };
  if (ctx.evalShard && range) return writeShardResult(unit, ctx, dir, evaluated, { shard: ctx.evalShard, range });
  return writeUnitResult(unit, ctx, dir, evaluated);
}

/** The manifest once evaluation ended, with what cut training short (if anything) for the CSV's status. */
function closedManifest(e: Evaluated): Manifest {
  return { ...e.manifest, endedAt: new Date().toISOString(), ...(e.trainingCut ? { trainingCut: e.trainingCut } : {}) };
}

/** An eval shard's slice: its own file, which `merge` joins with the other shards' into metrics. */
function writeShardResult(
  unit: Unit,
  ctx: UnitContext,
  dir: string,
  e: Evaluated,
  slice: { shard: Shard; range: [number, number] },
): EvalShardRecord {
  const record: EvalShardRecord = {
    configHash: ctx.hashOf(unit),
    run: unit.run.id,
    seed: unit.seed,
    shard: slice.shard,
    range: slice.range,
    backend: ctx.backend,
    dataset: ctx.dataset.name,
    position: e.position,
    trainImagesPerSecond: e.trainImagesPerSecond,
    evalSeconds: e.evalSeconds,
    result: encodeTyped(e.result),
  };
  // merge joins the shards into metrics; the manifest it copies carries the cut to the CSV (store/results.ts).
  writeManifest(dir, closedManifest(e));
  writeEvalShard(dir, record);
  e.journal.remove();
  const [first, end] = slice.range;
  ctx.progress.log(`${unitName(unit)}: eval shard ${shardName(slice.shard)} (examples ${first}–${end - 1}) written`);
  return record;
}

/** A whole unit's result: manifest, per-example CSV, then metrics last, whose presence marks the unit finished. */
function writeUnitResult(unit: Unit, ctx: UnitContext, dir: string, e: Evaluated): RunMetrics {
  const metrics = buildMetrics({
    experiment: ctx.experiment,
    presetName: ctx.presetName,
    preset: ctx.preset,
    unit,
    configHash: ctx.hashOf(unit),
    backend: ctx.backend,
    datasetName: ctx.dataset.name,
    position: e.position,
    trainImagesPerSecond: e.trainImagesPerSecond,
    evalSeconds: e.evalSeconds,
    result: e.result,
    trainingCut: e.trainingCut,
  });
  ctx.progress.log(
    `${unitName(unit)}: accuracy ${(100 * metrics.accuracy).toFixed(2)}%, PGD-${ctx.preset.eval.steps} robustness ${(100 * metrics.robustness).toFixed(2)}%${e.trainingCut ? ` (${e.trainingCut})` : ''}`,
  );
  writeManifest(dir, closedManifest(e));
  writeExamplesCsv(dir, examplesRecord(e.result));
  ctx.kill.reach('metrics-write');
  writeMetrics(dir, metrics);
  e.journal.remove();
  return metrics;
}
