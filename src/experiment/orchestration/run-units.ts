import * as path from 'node:path';
import type { Preset } from '../config/types';
import { unitName, type Shard, type Unit } from '../config/units';
import { copyFinishedTwin } from '../store/copy-twin';
import { describeTrainingCut } from '../store/training-cut';
import { seedDirectory, unitLockName } from '../store/seed-folder';
import { tryLockUnit } from '../store/unit-lock';
import { presetForRun } from '../config/sweep';
import { estimateExperiment, formatSeconds } from './estimate';
import { datasetSizeWarnings, loadPresetDataset } from './load-data';
import type { PendingUnits } from './pending-units';
import type { RunHooks } from './run-hooks';
import type { ExperimentPlan } from './plan-experiment';
import { runUnit, type UnitContext } from './run-unit';

/** The part of RunRequest that training and evaluating the units reads (see there for each field). */
export interface RunUnitsRequest {
  outDir: string;
  presetName: string;
  preset: Preset;
  backend: string;
  maxSteps: number;
  presetBeforeOverrides?: { preset: Preset; overrides: readonly string[] };
  dataDir?: string;
  force: boolean;
  evalShard?: Shard;
  estimate: boolean;
}

/** Names of the units by what happened to them in this process. */
export interface UnitTally {
  ranNow: string[];
  copied: string[];
  /** Held by another live process. */
  skipped: string[];
}

/** The state one pass over the units shares with the next (the rerun after --workers). */
interface UnitLoop {
  ctx: UnitContext;
  plan: ExperimentPlan;
  pending: PendingUnits;
  tally: UnitTally;
  /** When the timed units started; set only if there is an estimate and no helpers, whose pace this one can't see. */
  startedAt?: number;
}

/**
 * Runs a unit under its lock (several workers may share one --out): 'skipped' when a live worker holds it,
 * 'finished' when another worker finished it between our listing and the lock, 'copied' when it had a finished twin.
 */
async function runLocked(
  unit: Unit,
  ctx: UnitContext,
  finishedNow: () => boolean,
  twinOf: () => string | undefined,
): Promise<'ran' | 'copied' | 'skipped' | 'finished'> {
  const dir = seedDirectory(ctx.outDir, ctx.presetName, ctx.experiment.id, unit.run.id, unit.seed);
  const lock = tryLockUnit(dir, unitLockName(ctx.evalShard));
  if (!lock.acquired) {
    const { pid, host } = lock.holder;
    ctx.progress.log(
      `${unitName(unit)}: pid ${pid} on ${host} is working on it (heartbeat ${lock.heartbeatSecondsAgo} s ago), skipped`,
    );
    return 'skipped';
  }
  try {
    if (finishedNow()) {
      ctx.progress.log(`${unitName(unit)}: finished meanwhile by another worker, kept`);
      return 'finished';
    }
    const twin = twinOf();
    if (twin) {
      copyFinishedTwin(twin, dir, {
        experiment: ctx.experiment.id,
        run: unit.run,
        configHash: ctx.hashOf(unit),
        config: ctx.configOf(unit),
        force: ctx.force,
      });
      const where = path.relative(path.join(ctx.outDir, ctx.presetName), twin);
      ctx.progress.log(
        `${unitName(unit)}: same config (hash ${ctx.hashOf(unit)}) as ${where}, finished there: copied, not trained again (--no-reuse trains it)`,
      );
      return 'copied';
    }
    await runUnit(unit, ctx);
    return 'ran';
  } finally {
    lock.release();
  }
}

/** Loads the preset's dataset once for all units and gathers what each unit's training reads. */
async function openUnitContext(plan: ExperimentPlan, request: RunUnitsRequest, hooks: RunHooks): Promise<UnitContext> {
  const dataset = await loadPresetDataset(request.preset.dataset, { dataDir: request.dataDir });
  for (const warning of [...dataset.warnings, ...datasetSizeWarnings(request.preset, dataset)])
    hooks.progress.log(`warning: ${warning}`);
  const reference = request.presetBeforeOverrides;
  const trainingCutOf = (unit: Unit, steps: number) =>
    describeTrainingCut({
      steps,
      maxSteps: request.maxSteps,
      preset: plan.presetOf(unit),
      trainAvailable: dataset.size('train'),
      reference: presetForRun(reference?.preset ?? request.preset, unit.run),
      overrides: reference?.overrides ?? [],
    });
  return {
    experiment: plan.experiment,
    outDir: request.outDir,
    presetName: request.presetName,
    preset: request.preset,
    maxSteps: request.maxSteps,
    backend: request.backend,
    force: request.force,
    evalShard: request.evalShard,
    dataset,
    progress: hooks.progress,
    watch: hooks.watch,
    kill: hooks.kill,
    hashOf: plan.hashOf,
    configOf: plan.configOf,
    trainingCutOf,
  };
}

/** Runs each unit not held by another process, one after another; returns those that were. */
async function runEach(units: readonly Unit[], loop: UnitLoop): Promise<string[]> {
  const { ctx, plan, pending, tally } = loop;
  const held: string[] = [];
  for (const unit of units) {
    ctx.watch.check(`before ${unitName(unit)}`);
    const outcome = await runLocked(
      unit,
      { ...ctx, preset: plan.presetOf(unit) },
      () => pending.isFinished(unit),
      () => pending.twinOf(unit),
    );
    (outcome === 'ran' ? tally.ranNow : outcome === 'copied' ? tally.copied : outcome === 'skipped' ? held : []).push(
      unitName(unit),
    );
    const k = pending.toTrain.indexOf(unit);
    if (loop.startedAt !== undefined && outcome === 'ran' && k >= 0 && k + 1 < pending.toTrain.length) {
      const perUnit = (Date.now() - loop.startedAt) / 1000 / tally.ranNow.length;
      ctx.progress.log(
        `${k + 1}/${pending.toTrain.length} units done; about ${formatSeconds(perUnit * (pending.toTrain.length - k - 1))} left`,
      );
    }
  }
  return held;
}

/**
 * Trains (or copies) the pending units in order, optionally timing a few steps first and sharing the units with
 * --workers helpers; waits for the helpers and runs whatever they left.
 */
export async function runUnits(
  plan: ExperimentPlan,
  pending: PendingUnits,
  request: RunUnitsRequest,
  hooks: RunHooks,
): Promise<UnitTally> {
  const tally: UnitTally = { ranNow: [], copied: [], skipped: [] };
  if (pending.todo.length === 0) return tally;
  const ctx = await openUnitContext(plan, request, hooks);
  const { toTrain } = pending;
  const estimate =
    request.estimate && toTrain.length > 0
      ? await estimateExperiment(toTrain, { ...ctx, preset: plan.presetOf(toTrain[0]) })
      : undefined;
  const pool = toTrain.length > 0 ? hooks.startWorkers(toTrain.length) : undefined;
  if (pool)
    hooks.progress.log(
      `${pool.count + 1} processes share these units (--workers); they share the cores too, so expect less than the estimate, not ${pool.count + 1} times less`,
    );
  const loop: UnitLoop = { ctx, plan, pending, tally, startedAt: estimate && !pool ? Date.now() : undefined };
  tally.skipped = await runEach(pending.todo, loop);
  if (pool) {
    const problems = await pool.settled();
    ctx.watch.check('waiting for the other workers');
    for (const problem of problems) hooks.progress.log(`${problem}; its unfinished units are run here`);
    // The helpers finished the units they held unless one stopped early: run what is left, so the CSV is whole. A
    // unit still held now belongs to another command.
    tally.skipped = await runEach(
      pending.todo.filter((unit) => !pending.isFinished(unit)),
      loop,
    );
  }
  return tally;
}
