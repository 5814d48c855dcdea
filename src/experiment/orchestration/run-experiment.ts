import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../util/errors';
import type { Progress } from '../../util/progress';
import { collectFailed, type FailedUnit } from '../store/failed-units';
import type { InterruptWatch } from './interrupt';
import { NEVER_KILL, type KillPoints } from '../store/kill-point';
import { writePlan } from '../store/plan';
import { collectFinished } from '../store/results';
import type { RunMetrics } from '../../report/records';
import type { ExperimentConfig, Preset } from '../config/types';
import type { Shard } from '../config/units';
import { prepareExperiment } from '../config/prepare';
import { writeReports } from '../store/write-reports';
import { experimentSanitySummary } from '../../eval/sanity-warnings';
import { findPendingUnits } from './pending-units';
import { planExperiment, type ExperimentPlan } from './plan-experiment';
import { runUnits, type UnitTally, type WorkerPool } from './run-units';

export type { WorkerPool } from './run-units';

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

/** Fails before any training if results cannot be written there. */
function assertWritable(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    fs.rmSync(fs.mkdtempSync(path.join(dir, '.write-check-')), { recursive: true });
  } catch (error) {
    throw new UserError(
      'unwritable-out',
      `--out: cannot write to ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'choose a writable folder with --out',
    );
  }
}

/** Rebuilds the CSV and reports from every finished run in the store, and says what this command left undone. */
async function closeExperiment(
  plan: ExperimentPlan,
  tally: UnitTally,
  options: RunExperimentOptions,
): Promise<ExperimentOutcome> {
  const { experiment, hashOf, mine } = plan;
  const finished = collectFinished(options.outDir, options.presetName, experiment, {
    hashOf,
    force: options.force,
    progress: options.progress,
  });
  const failed = collectFailed(options.outDir, options.presetName, experiment, hashOf);
  const { csvPath, htmlPath } = await writeReports(
    path.join(options.outDir, options.presetName),
    experiment,
    finished,
    failed,
    options.kill ?? NEVER_KILL,
  );
  if (!options.helperOfWorkers) {
    const evaluated = [...finished.values()]
      .flat()
      .flatMap((m) => (m.evaluation ? [{ evalSteps: m.evalSteps, evaluation: m.evaluation }] : []));
    for (const line of experimentSanitySummary(experiment.id, evaluated)) options.progress.log(line);
  }
  const mineFailed = [...failed.values()]
    .flat()
    .filter((f) => mine.some((u) => u.run.id === f.run && u.seed === f.seed));
  const { ranNow, copied, skipped } = tally;
  if (skipped.length > 0 && !options.helperOfWorkers)
    options.progress.log(
      `skipped ${skipped.length} unit(s) another live process was working on: ${skipped.join(', ')}; run the same command again once it is done to have them in this CSV`,
    );
  return {
    csvPath,
    htmlPath,
    runCount: experiment.runs.length,
    finished: [...finished.values()].flat(),
    failed: mineFailed,
    ranNow,
    copied,
    skipped,
  };
}

/**
 * Trains and evaluates this shard's (run, seed) units of an experiment — skipping finished ones, resuming
 * interrupted ones — then rebuilds the CSV and reports from every finished run in the store.
 */
export async function runExperiment(
  config: ExperimentConfig,
  options: RunExperimentOptions,
): Promise<ExperimentOutcome> {
  // Checking is async (a file's own activations are run to check them), so it happens here and the plan stays pure.
  const prepared = await prepareExperiment(config, `experiment ${config.id}`);
  const plan = planExperiment(prepared, { name: options.presetName, preset: options.preset }, options);
  const presetDir = path.join(options.outDir, options.presetName);
  assertWritable(presetDir);
  const planned = plan.units.map((u) => ({ run: u.run.id, seed: u.seed, configHash: plan.hashOf(u) }));
  writePlan(presetDir, plan.experiment.id, {
    presetName: options.presetName,
    units: planned,
    evalShards: options.evalShard?.count ?? 0,
  });
  const pending = findPendingUnits(plan, options);
  const tally = await runUnits(plan, pending, options);
  return closeExperiment(plan, tally, options);
}
