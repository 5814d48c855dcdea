import * as path from 'node:path';
import type { ImageDataset } from '../../data/types';
import { evaluateModel } from '../../eval/evaluate';
import type { EvalResult } from '../../eval/result';
import { examplesRecord } from '../../eval/summary';
import { writeExamplesCsv } from '../../report/examples-csv';
import type { Manifest, RunMetrics } from '../../report/records';
import { disposeNetwork } from '../../nn/network';
import { TrainingFailed } from '../../train/epoch-checks';
import { trainModel } from '../../train/trainer';
import type { TrainState } from '../../train/train-step';
import { initialPosition, type TrainPosition } from '../../train/train-position';
import { writeJsonAtomic } from '../../util/atomic-write';
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
import { encodeTyped, writeEvalShard, type EvalShardRecord } from '../store/eval-shards';
import { EvalJournal, evalJournalPath } from '../store/eval-journal';
import { clearFailure, describeFailure, writeFailure, type FailedUnit } from '../store/failed-units';
import { Interrupted, interruptibleProgress, type InterruptWatch } from './interrupt';
import type { KillPoints } from '../store/kill-point';
import { beginManifest, writeManifest } from '../store/manifest';
import { buildMetrics } from '../store/metrics';
import { configChangedError, seedDirectory, writeMetrics } from '../store/run-store';
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
  clearFailure(dir); // an earlier failure, of another config or retried (--retry-failed)
  writeJsonAtomic(path.join(dir, 'config.json'), ctx.configOf(unit));
  const manifest = beginManifest(dir, {
    experiment: experiment.id,
    run: unit.run.id,
    seed: unit.seed,
    preset: ctx.presetName,
    configHash: hash,
    config: ctx.configOf(unit),
    backend: ctx.backend,
    ...(ctx.evalShard ? { evalShard: shardName(ctx.evalShard) } : {}),
  });
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
      hooks: {
        async epochEnd(position, { isBest }) {
          if (isBest && ctx.preset.train.stopOnOverfit && !position.done) await save(BEST_CHECKPOINT, position);
          await save(CHECKPOINT, position);
          writeJsonAtomic(path.join(dir, 'train-log.json'), position.epochs);
          writeJsonAtomic(path.join(dir, 'train-steps.json'), position.segments);
        },
        restoreBest() {
          const best = readCheckpoint(dir, BEST_CHECKPOINT);
          if (!best) throw new Error(`${dir}: train.stopOnOverfit needs ${BEST_CHECKPOINT}/, which is missing`);
          restoreState(best, state.net, state.optimizer);
          return best.index.position;
        },
        shouldStop: () => ctx.watch.requested() !== undefined,
        afterStep: () => ctx.kill.reach('train-step'),
      },
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
  const trainImagesPerSecond = (position.steps * ctx.preset.train.batchSize) / Math.max(1e-9, position.seconds);
  const trainingCut = ctx.trainingCutOf?.(unit, position.steps);
  if (ctx.evalShard && range) {
    const record: EvalShardRecord = {
      configHash: ctx.hashOf(unit),
      run: unit.run.id,
      seed: unit.seed,
      shard: ctx.evalShard,
      range,
      backend: ctx.backend,
      dataset: ctx.dataset.name,
      position,
      trainImagesPerSecond,
      evalSeconds,
      result: encodeTyped(result),
    };
    // merge joins the shards into metrics.json; the manifest it copies carries the cut to the CSV (store/results.ts).
    writeManifest(dir, { ...manifest, endedAt: new Date().toISOString(), ...(trainingCut ? { trainingCut } : {}) });
    writeEvalShard(dir, record);
    journal.remove();
    ctx.progress.log(
      `${unitName(unit)}: eval shard ${shardName(ctx.evalShard)} (examples ${range[0]}–${range[1] - 1}) written`,
    );
    return record;
  }
  const metrics = buildMetrics({
    experiment: ctx.experiment,
    presetName: ctx.presetName,
    preset: ctx.preset,
    unit,
    configHash: ctx.hashOf(unit),
    backend: ctx.backend,
    datasetName: ctx.dataset.name,
    position,
    trainImagesPerSecond,
    evalSeconds,
    result,
    trainingCut,
  });
  ctx.progress.log(
    `${unitName(unit)}: accuracy ${(100 * metrics.accuracy).toFixed(2)}%, PGD-${ctx.preset.eval.steps} robustness ${(100 * metrics.robustness).toFixed(2)}%${trainingCut ? ` (${trainingCut})` : ''}`,
  );
  writeManifest(dir, { ...manifest, endedAt: new Date().toISOString(), ...(trainingCut ? { trainingCut } : {}) });
  writeExamplesCsv(dir, examplesRecord(result));
  ctx.kill.reach('metrics-write');
  writeMetrics(dir, metrics);
  journal.remove();
  return metrics;
}
