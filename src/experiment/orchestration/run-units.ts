import * as path from 'node:path';
import type { Progress } from '../../util/progress';
import type { Preset } from '../config/types';
import { unitName, type Shard, type Unit } from '../config/units';
import { copyFinishedTwin } from '../store/copy-twin';
import { NEVER_KILL, type KillPoints } from '../store/kill-point';
import { describeTrainingCut } from '../store/training-cut';
import { seedDirectory } from '../store/run-store';
import { tryLockUnit } from '../store/unit-lock';
import { presetForRun } from '../config/sweep';
import { estimateExperiment, formatSeconds } from './estimate';
import type { InterruptWatch } from './interrupt';
import { datasetSizeWarnings, loadPresetDataset } from './load-data';
import type { PendingUnits } from './pending-units';
import type { ExperimentPlan } from './plan-experiment';
import { runUnit, type UnitContext } from './run-unit';

/** Processes started by `startWorkers`. */
export interface WorkerPool {
  count: number;
  /** Resolves once all have exited, with a line for each that did not finish cleanly. */
  settled(): Promise<string[]>;
}

/** The part of RunExperimentOptions that training and evaluating the units reads (see there for each field). */
export interface RunUnitsOptions {
  outDir: string;
  presetName: string;
  preset: Preset;
  backend: string;
  maxSteps: number;
  presetBeforeOverrides?: { preset: Preset; overrides: readonly string[] };
  dataDir?: string;
  force: boolean;
  progress: Progress;
  evalShard?: Shard;
  estimate: boolean;
  watch?: InterruptWatch;
  kill?: KillPoints;
  startWorkers?: (unitsLeft: number) => WorkerPool | undefined;
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

const NEVER: InterruptWatch = { requested: () => undefined, check: () => undefined, dispose: () => undefined };

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
  const lock = tryLockUnit(
    dir,
    ctx.evalShard ? `lock-eval-${ctx.evalShard.index}-of-${ctx.evalShard.count}.json` : 'lock.json',
  );
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
async function openUnitContext(plan: ExperimentPlan, options: RunUnitsOptions): Promise<UnitContext> {
  const dataset = await loadPresetDataset(options.preset.dataset, { dataDir: options.dataDir });
  for (const warning of [...dataset.warnings, ...datasetSizeWarnings(options.preset, dataset)])
    options.progress.log(`warning: ${warning}`);
  const trainingCutOf = (unit: Unit, steps: number) =>
    describeTrainingCut({
      steps,
      maxSteps: options.maxSteps,
      preset: plan.presetOf(unit),
      trainAvailable: dataset.size('train'),
      reference: presetForRun(options.presetBeforeOverrides?.preset ?? options.preset, unit.run),
      overrides: options.presetBeforeOverrides?.overrides ?? [],
    });
  const { experiment, hashOf, configOf } = plan;
  return {
    ...options,
    experiment,
    dataset,
    watch: options.watch ?? NEVER,
    kill: options.kill ?? NEVER_KILL,
    hashOf,
    configOf,
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
  options: RunUnitsOptions,
): Promise<UnitTally> {
  const tally: UnitTally = { ranNow: [], copied: [], skipped: [] };
  if (pending.todo.length === 0) return tally;
  const ctx = await openUnitContext(plan, options);
  const { toTrain } = pending;
  const estimate =
    options.estimate && toTrain.length > 0
      ? await estimateExperiment(toTrain, { ...ctx, preset: plan.presetOf(toTrain[0]) })
      : undefined;
  const pool = toTrain.length > 0 ? options.startWorkers?.(toTrain.length) : undefined;
  if (pool)
    options.progress.log(
      `${pool.count + 1} processes share these units (--workers); they share the cores too, so expect less than the estimate, not ${pool.count + 1} times less`,
    );
  const loop: UnitLoop = { ctx, plan, pending, tally, startedAt: estimate && !pool ? Date.now() : undefined };
  tally.skipped = await runEach(pending.todo, loop);
  if (pool) {
    const problems = await pool.settled();
    ctx.watch.check('waiting for the other workers');
    for (const problem of problems) options.progress.log(`${problem}; its unfinished units are run here`);
    // The helpers finished the units they held unless one stopped early: run what is left, so the CSV is whole. A
    // unit still held now belongs to another command.
    tally.skipped = await runEach(
      pending.todo.filter((unit) => !pending.isFinished(unit)),
      loop,
    );
  }
  return tally;
}
