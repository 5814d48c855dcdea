import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../util/errors';
import { collectFailed, type FailedUnit } from '../store/failed-units';
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
import { completeHooks, type RunHooks } from './run-hooks';
import { runUnits, type UnitTally } from './run-units';

export type { RunHooks, WorkerPool } from './run-hooks';

/** What to run: plain data, the CLI's flags resolved. How the run reports and stops is in RunHooks. */
export interface RunRequest {
  experiment: ExperimentConfig;
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
  /** This machine's share of the (run, seed) units. */
  shard?: Shard;
  /** This machine's share of each unit's evaluation examples (writes eval-shard files; `merge` joins them). */
  evalShard?: Shard;
  /** Measure a few steps first and print the expected wall time. */
  estimate: boolean;
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
  request: RunRequest,
  hooks: RunHooks,
): Promise<ExperimentOutcome> {
  const { experiment, hashOf, mine } = plan;
  const finished = collectFinished(request.outDir, request.presetName, experiment, {
    hashOf,
    force: request.force,
    progress: hooks.progress,
  });
  const failed = collectFailed(request.outDir, request.presetName, experiment, hashOf);
  const presetDir = path.join(request.outDir, request.presetName);
  const { csvPath, htmlPath } = await writeReports(presetDir, experiment, finished, failed, hooks.kill);
  if (!hooks.helperOfWorkers) logSummary(experiment.id, finished, tally, hooks);
  const mineFailed = [...failed.values()]
    .flat()
    .filter((f) => mine.some((u) => u.run.id === f.run && u.seed === f.seed));
  return {
    csvPath,
    htmlPath,
    runCount: experiment.runs.length,
    finished: [...finished.values()].flat(),
    failed: mineFailed,
    ...tally,
  };
}

/** The sanity warnings over every finished run, and the units left to another live process. */
function logSummary(
  experimentId: string,
  finished: ReadonlyMap<string, RunMetrics[]>,
  tally: UnitTally,
  hooks: RunHooks,
): void {
  const evaluated = [...finished.values()]
    .flat()
    .flatMap((m) => (m.evaluation ? [{ evalSteps: m.evalSteps, evaluation: m.evaluation }] : []));
  for (const line of experimentSanitySummary(experimentId, evaluated)) hooks.progress.log(line);
  if (tally.skipped.length > 0)
    hooks.progress.log(
      `skipped ${tally.skipped.length} unit(s) another live process was working on: ${tally.skipped.join(', ')}; run the same command again once it is done to have them in this CSV`,
    );
}

/**
 * Trains and evaluates this shard's (run, seed) units of an experiment — skipping finished ones, resuming
 * interrupted ones — then rebuilds the CSV and reports from every finished run in the store. `hooks` left out:
 * no output, never interrupted, no other workers.
 */
export async function runExperiment(request: RunRequest, hooks: Partial<RunHooks> = {}): Promise<ExperimentOutcome> {
  const live = completeHooks(hooks);
  const { presetName, preset, outDir } = request;
  // Checking is async (a file's own activations are run to check them), so it happens here and the plan stays pure.
  const prepared = await prepareExperiment(request.experiment, `experiment ${request.experiment.id}`);
  const plan = planExperiment(prepared, { name: presetName, preset }, request);
  const presetDir = path.join(outDir, presetName);
  assertWritable(presetDir);
  const planned = plan.units.map((u) => ({ run: u.run.id, seed: u.seed, configHash: plan.hashOf(u) }));
  writePlan(presetDir, plan.experiment.id, { presetName, units: planned, evalShards: request.evalShard?.count ?? 0 });
  const pending = findPendingUnits(plan, request, live.progress);
  const tally = await runUnits(plan, pending, request, live);
  return closeExperiment(plan, tally, request, live);
}
