import * as fs from 'node:fs';
import * as path from 'node:path';
import { suggestName, UserError } from '../../util/errors';
import type { Progress } from '../../util/progress';
import { estimateExperiment, formatSeconds } from './estimate';
import { readEvalShard } from '../store/eval-shards';
import { collectFailed, readFailure, type FailedUnit } from '../store/failed-units';
import type { InterruptWatch } from './interrupt';
import { NEVER_KILL, type KillPoints } from '../store/kill-point';
import { datasetSizeWarnings, loadPresetDataset } from './load-data';
import { writePlan } from '../store/plan';
import { collectFinished } from '../store/results';
import { runUnit, type UnitContext } from './run-unit';
import { configHash, type UnitConfig } from '../config/config-hash';
import type { RunMetrics } from '../../report/records';
import { readFinishedRun, seedDirectory } from '../store/run-store';
import type { ExperimentConfig, ExperimentRun, Preset } from '../config/types';
import { tryLockUnit } from '../store/unit-lock';
import { listUnits, shardName, shardUnits, unitName, type Shard, type Unit } from '../config/units';
import { prepareExperiment } from '../config/prepare';
import { checkSweep, expandSweep, presetForRun } from '../config/sweep';
import { customActivationSource } from '../config/run-activations';
import { validatePreset } from '../config/validate';
import { writeReports } from '../store/write-reports';
import { describeTrainingCut } from '../store/training-cut';
import { experimentSanitySummary } from '../../eval/sanity-warnings';
import { copyFinishedTwin, findFinishedTwin } from '../store/copy-twin';

export interface RunExperimentOptions {
  outDir: string;
  presetName: string;
  preset: Preset;
  /** Each selected run is trained once per seed. */
  seeds: readonly number[];
  /** Provenance label of the active TF.js backend (goes into the CSV). */
  backend: string;
  /** Run ids to run now (default: all); the CSV still lists every finished run. */
  runs?: readonly string[];
  /** Stop each run's training after this many steps (0 = no limit). */
  maxSteps: number;
  /** The preset before --set and the assignments: a run trained shorter than it is marked in the CSV's status. */
  presetBeforeOverrides?: { preset: Preset; overrides: readonly string[] };
  dataDir?: string;
  /** Replace results and checkpoints whose config changed. */
  force: boolean;
  /** Train units recorded as failed (collapsed, NaN loss) with this config again; default: keep the records. */
  retryFailed?: boolean;
  progress: Progress;
  /** This machine's share of the (run, seed) units. */
  shard?: Shard;
  /** This machine's share of each unit's evaluation examples (writes eval-shard files; `merge` joins them). */
  evalShard?: Shard;
  /** Measure a few steps first and print the expected wall time. */
  estimate: boolean;
  /** Ctrl-C handling (the CLI's); default: never interrupted. */
  watch?: InterruptWatch;
  /** Test hook: where to SIGKILL the process (the CLI's SAT_BENCH_TEST_KILL_AT); default: never. */
  kill?: KillPoints;
  /**
   * Called once the units left are known (after the estimate) to start other processes that share them through the
   * unit locks (the CLI's --workers). This process waits for them before it writes the CSV, then runs whatever they
   * left (a helper that stopped early).
   */
  startWorkers?: (unitsLeft: number) => WorkerPool | undefined;
  /** This process is a helper of `--workers`: units the others hold are theirs, not "skipped". */
  helperOfWorkers?: boolean;
  /**
   * Copy a unit from a finished twin with the same config hash elsewhere in the preset folder instead of training it
   * (store/copy-twin.ts); default true. Never with an eval shard, whose result is a slice, not a unit.
   */
  reuse?: boolean;
}

/** Processes started by `startWorkers`. */
export interface WorkerPool {
  count: number;
  /** Resolves once all have exited, with a line for each that did not finish cleanly. */
  settled(): Promise<string[]>;
}

export interface ExperimentOutcome {
  csvPath: string;
  /** `<out>/<preset>/index.html`: the HTML report of every experiment in the folder. */
  htmlPath: string;
  /** Runs of the experiment (every sweep point counted). */
  runCount: number;
  finished: RunMetrics[];
  /** Units of this command recorded as failed with this config (now or earlier); their rows say so. */
  failed: FailedUnit[];
  ranNow: string[];
  /** Units copied from a finished twin with the same config hash instead of trained (the log line names the twin). */
  copied: string[];
  /** Units another live process was working on: left to it (their rows appear once it finishes them). */
  skipped: string[];
}

const NEVER: InterruptWatch = { requested: () => undefined, check: () => undefined, dispose: () => undefined };

function selectRuns(experiment: ExperimentConfig, ids: readonly string[] | undefined): ExperimentRun[] {
  if (!ids || ids.length === 0) return experiment.runs;
  // A swept run is selected by its own id or by the id it was expanded from (all its sweep points).
  const idsOf = (r: ExperimentRun) => [r.id, ...(r.sweepPoint ? [r.sweepPoint.baseId] : [])];
  const known = [...new Set(experiment.runs.flatMap(idsOf))];
  for (const id of ids) {
    if (!known.includes(id)) throw new UserError('unknown-run', `--runs: ${experiment.id} has no run "${id}"`, suggestName(id, known));
  }
  return experiment.runs.filter((r) => idsOf(r).some((id) => ids.includes(id)));
}

/** Fails before any training if results cannot be written there. */
function assertWritable(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    fs.rmSync(fs.mkdtempSync(path.join(dir, '.write-check-')), { recursive: true });
  } catch (error) {
    throw new UserError('unwritable-out', `--out: cannot write to ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'choose a writable folder with --out');
  }
}

/** Whether a unit's result for this config already exists (metrics, or this eval shard's file, or a failure record). */
function isFinished(unit: Unit, options: RunExperimentOptions, experiment: ExperimentConfig, hash: string): boolean {
  const dir = seedDirectory(options.outDir, options.presetName, experiment.id, unit.run.id, unit.seed);
  if (!options.retryFailed && readFailure(dir)?.configHash === hash) return true;
  if (!options.evalShard) return readFinishedRun(dir, hash, { force: options.force }) !== undefined;
  return readEvalShard(dir, options.evalShard)?.configHash === hash;
}

/**
 * Runs a unit under its lock (several workers may share one --out): 'skipped' when a live worker holds it,
 * 'finished' when another worker finished it between our listing and the lock, 'copied' when it had a finished twin.
 */
async function runLocked(unit: Unit, ctx: UnitContext, finishedNow: () => boolean, twinOf: () => string | undefined): Promise<'ran' | 'copied' | 'skipped' | 'finished'> {
  const dir = seedDirectory(ctx.outDir, ctx.presetName, ctx.experiment.id, unit.run.id, unit.seed);
  const lock = tryLockUnit(dir, ctx.evalShard ? `lock-eval-${ctx.evalShard.index}-of-${ctx.evalShard.count}.json` : 'lock.json');
  if (!lock.acquired) {
    const { pid, host } = lock.holder;
    ctx.progress.log(`${unitName(unit)}: pid ${pid} on ${host} is working on it (heartbeat ${lock.heartbeatSecondsAgo} s ago), skipped`);
    return 'skipped';
  }
  try {
    if (finishedNow()) {
      ctx.progress.log(`${unitName(unit)}: finished meanwhile by another worker, kept`);
      return 'finished';
    }
    const twin = twinOf();
    if (twin) {
      copyFinishedTwin(twin, dir, { experiment: ctx.experiment.id, run: unit.run, configHash: ctx.hashOf(unit), config: ctx.configOf(unit), force: ctx.force });
      const where = path.relative(path.join(ctx.outDir, ctx.presetName), twin);
      ctx.progress.log(`${unitName(unit)}: same config (hash ${ctx.hashOf(unit)}) as ${where}, finished there: copied, not trained again (--no-reuse trains it)`);
      return 'copied';
    }
    await runUnit(unit, ctx);
    return 'ran';
  } finally {
    lock.release();
  }
}

function describeDone(unit: Unit, options: RunExperimentOptions, experiment: ExperimentConfig, hash: string): string {
  const failure = readFailure(seedDirectory(options.outDir, options.presetName, experiment.id, unit.run.id, unit.seed));
  return failure?.configHash === hash && !options.retryFailed ? `recorded earlier as ${failure.code} with this config, kept (--retry-failed trains it again)` : 'finished earlier with this config, kept';
}

/**
 * Trains and evaluates this shard's (run, seed) units of an experiment — skipping finished ones, resuming
 * interrupted ones — then rebuilds the CSV and reports from every finished run in the store.
 */
export async function runExperiment(config: ExperimentConfig, options: RunExperimentOptions): Promise<ExperimentOutcome> {
  const prepared = await prepareExperiment(config, `experiment ${config.id}`);
  validatePreset(options.preset, `preset ${options.presetName}`);
  checkSweep(prepared, options.preset, `experiment ${prepared.id}`);
  const experiment = expandSweep(prepared);
  const presetOf = (unit: Unit) => presetForRun(options.preset, unit.run);
  const units = listUnits(selectRuns(experiment, options.runs), options.seeds);
  const presetDir = path.join(options.outDir, options.presetName);
  assertWritable(presetDir);
  // What a (run, seed) computes: config/config-hash.ts leaves out prose (description, expectedWallTime) and the default
  // seed list (a unit trains the same whichever list it came from), so editing them keeps finished results valid.
  const configOf = (unit: Unit): UnitConfig => ({ preset: presetOf(unit), run: unit.run, seed: unit.seed, maxSteps: options.maxSteps });
  const hashOf = (unit: Unit) => configHash(configOf(unit), customActivationSource(unit.run, experiment));
  writePlan(presetDir, experiment.id, { presetName: options.presetName, units: units.map((u) => ({ run: u.run.id, seed: u.seed, configHash: hashOf(u) })), evalShards: options.evalShard?.count ?? 0 });
  const mine = shardUnits(units, options.shard);
  if (options.shard) options.progress.log(`shard ${shardName(options.shard)}: ${mine.map(unitName).join(', ') || 'no units'}`);
  const todo = mine.filter((unit) => !isFinished(unit, options, experiment, hashOf(unit)));
  for (const unit of mine) if (!todo.includes(unit)) options.progress.log(`${unitName(unit)}: ${describeDone(unit, options, experiment, hashOf(unit))}`);
  const kill = options.kill ?? NEVER_KILL;
  const watch = options.watch ?? NEVER;
  const ranNow: string[] = [];
  const copied: string[] = [];
  let skipped: string[] = [];
  const reuse = options.reuse !== false && !options.evalShard;
  const twinOf = (unit: Unit) => (reuse ? findFinishedTwin(presetDir, unit.seed, hashOf(unit), seedDirectory(options.outDir, options.presetName, experiment.id, unit.run.id, unit.seed)) : undefined);
  if (todo.length > 0) {
    const dataset = await loadPresetDataset(options.preset.dataset, { dataDir: options.dataDir });
    for (const warning of [...dataset.warnings, ...datasetSizeWarnings(options.preset, dataset)]) options.progress.log(`warning: ${warning}`);
    const trainingCutOf = (unit: Unit, steps: number) => describeTrainingCut({
      steps, maxSteps: options.maxSteps, preset: presetOf(unit), trainAvailable: dataset.size('train'),
      reference: presetForRun(options.presetBeforeOverrides?.preset ?? options.preset, unit.run), overrides: options.presetBeforeOverrides?.overrides ?? [],
    });
    const ctx: UnitContext = { ...options, experiment, dataset, watch, kill, hashOf, configOf, trainingCutOf };
    // Only the units that will train count: those with a finished twin are copied in a moment.
    const toTrain = todo.filter((unit) => twinOf(unit) === undefined);
    const estimate = options.estimate && toTrain.length > 0 ? await estimateExperiment(toTrain, { ...ctx, preset: presetOf(toTrain[0]) }) : undefined;
    const pool = toTrain.length > 0 ? options.startWorkers?.(toTrain.length) : undefined;
    if (pool) options.progress.log(`${pool.count + 1} processes share these units (--workers); they share the cores too, so expect less than the estimate, not ${pool.count + 1} times less`);
    const started = Date.now();
    /** Runs each unit not held by another process; returns those that were. */
    const runEach = async (units: readonly Unit[]): Promise<string[]> => {
      const held: string[] = [];
      for (const unit of units) {
        watch.check(`before ${unitName(unit)}`);
        const outcome = await runLocked(unit, { ...ctx, preset: presetOf(unit) }, () => isFinished(unit, options, experiment, hashOf(unit)), () => twinOf(unit));
        (outcome === 'ran' ? ranNow : outcome === 'copied' ? copied : outcome === 'skipped' ? held : []).push(unitName(unit));
        const k = toTrain.indexOf(unit);
        if (estimate && !pool && outcome === 'ran' && k >= 0 && k + 1 < toTrain.length) {
          const perUnit = (Date.now() - started) / 1000 / ranNow.length;
          options.progress.log(`${k + 1}/${toTrain.length} units done; about ${formatSeconds(perUnit * (toTrain.length - k - 1))} left`);
        }
      }
      return held;
    };
    skipped = await runEach(todo);
    if (pool) {
      const problems = await pool.settled();
      watch.check('waiting for the other workers');
      for (const problem of problems) options.progress.log(`${problem}; its unfinished units are run here`);
      // The helpers finished the units they held unless one stopped early: run what is left, so the CSV below is
      // whole. A unit still held now belongs to another command.
      skipped = await runEach(todo.filter((unit) => !isFinished(unit, options, experiment, hashOf(unit))));
    }
  }
  const finished = collectFinished(options.outDir, options.presetName, experiment, { hashOf, force: options.force, progress: options.progress });
  const failed = collectFailed(options.outDir, options.presetName, experiment, hashOf);
  const { csvPath, htmlPath } = await writeReports(presetDir, experiment, finished, failed, kill);
  if (!options.helperOfWorkers) {
    const evaluated = [...finished.values()].flat().flatMap((m) => (m.evaluation ? [{ evalSteps: m.evalSteps, evaluation: m.evaluation }] : []));
    for (const line of experimentSanitySummary(experiment.id, evaluated)) options.progress.log(line);
  }
  const mineFailed = [...failed.values()].flat().filter((f) => mine.some((u) => u.run.id === f.run && u.seed === f.seed));
  if (skipped.length > 0 && !options.helperOfWorkers) options.progress.log(`skipped ${skipped.length} unit(s) another live process was working on: ${skipped.join(', ')}; run the same command again once it is done to have them in this CSV`);
  return { csvPath, htmlPath, runCount: experiment.runs.length, finished: [...finished.values()].flat(), failed: mineFailed, ranNow, copied, skipped };
}
