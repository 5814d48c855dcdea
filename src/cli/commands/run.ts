import type { Argv, CommandModule, Options } from 'yargs';
import type { BackendChoice } from '../../engine/backend';
import type { ExperimentConfig } from '../../experiment/config/types';
import { watchInterrupts, type InterruptWatch } from '../../experiment/orchestration/interrupt';
import { KillSwitch } from '../../experiment/store/kill-point';
import { UnitsFailed } from '../../experiment/store/failed-units';
import { seedFolderName } from '../../experiment/store/seed-folder';
import { EXPERIMENTS, PRESET_NAMES } from '../../experiment/config/registry';
import { resolveExperiment, resolvePreset, type ResolvedPreset } from '../../experiment/config/resolve';
import {
  runExperiment,
  type ExperimentOutcome,
  type RunHooks,
  type RunRequest,
  type WorkerPool,
} from '../../experiment/orchestration/run-experiment';
import { chooseSeeds, parseShard, type Shard } from '../../experiment/config/units';
import { UserError } from '../../util/errors';
import type { Progress } from '../../util/progress';
import { csvRows } from '../csv-rows';
import { JSON_OPTION, outputFor, resultsTableText, VERBOSE_OPTION, type Output } from '../output';
import { terminalProgress } from '../progress';
import { HELPER_ENV } from '../launch';
import { chooseWorkers, startHelpers, type Helpers } from '../workers';
import { BACKEND_CHOICES, FAST_KERNELS_OPTION, prepareBackendFor, type BackendRequest } from '../setup';

interface RunArgs {
  experiment: string;
  preset: string;
  out: string;
  seed?: number;
  seeds?: string;
  backend: BackendRequest;
  runs?: string | string[];
  set: string[];
  'max-steps': number;
  'data-dir'?: string;
  force: boolean;
  'retry-failed': boolean;
  shard?: string;
  'eval-shard'?: string;
  estimate: boolean;
  'fast-kernels': boolean;
  json: boolean;
  verbose: boolean;
  workers: string;
  reuse: boolean;
}

function checkFlags(args: RunArgs): void {
  for (const [flag, value] of [
    ['--seed', args.seed ?? 0],
    ['--max-steps', args['max-steps']],
  ] as const) {
    if (!Number.isInteger(value) || value < 0)
      throw new UserError('bad-flag', `${flag}: expected an integer >= 0, got ${value}`, `e.g. ${flag} 0`);
  }
  if (args.seed !== undefined && args.seeds !== undefined) {
    throw new UserError(
      'bad-flag',
      `--seed and --seeds: give one of them, got --seed ${args.seed} --seeds ${args.seeds}`,
      'use --seeds 0,1,2 for several seeds',
    );
  }
}

/** The flags of `run` besides the experiment, in the order --help lists them. */
const RUN_OPTIONS = {
  preset: {
    type: 'string',
    default: 'quick',
    describe: `scale: data, model, recipe (${PRESET_NAMES.join(', ')}, or a preset file)`,
  },
  out: { type: 'string', default: 'results', describe: 'results folder' },
  seed: { type: 'number', describe: "one seed (default: the preset's seeds, else 0)" },
  seeds: { type: 'string', describe: 'several seeds, e.g. 0,1,2: each run is trained once per seed' },
  backend: { type: 'string', choices: BACKEND_CHOICES, default: 'auto' },
  'fast-kernels': FAST_KERNELS_OPTION,
  runs: { type: 'string', describe: 'comma-separated run ids (default: all)' },
  set: { type: 'string', array: true, default: [], describe: 'override a preset value, e.g. --set train.epochs=1' },
  'max-steps': { type: 'number', default: 0, describe: 'stop each training after N steps (tiny runs)' },
  'data-dir': { type: 'string', describe: "the dataset's folder (else $SAT_BENCH_DATA, else ~/.cache/sat-bench)" },
  force: { type: 'boolean', default: false, describe: 'replace results and checkpoints whose config changed' },
  'retry-failed': {
    type: 'boolean',
    default: false,
    describe: 'train again the units recorded as collapsed or NaN-loss (kept by default)',
  },
  shard: {
    type: 'string',
    describe: 'run only the i-th of n shares of the (run, seed) units, e.g. 2/3 ($SLURM_ARRAY_TASK_ID/3)',
  },
  'eval-shard': {
    type: 'string',
    describe: "evaluate only the i-th of n slices of each run's test examples; join with merge",
  },
  json: JSON_OPTION,
  verbose: VERBOSE_OPTION,
  workers: {
    type: 'string',
    default: '1',
    describe: 'processes sharing the units on this machine (auto: one per core); each trains and evaluates whole units',
  },
  reuse: {
    type: 'boolean',
    default: true,
    describe:
      'copy a unit finished with the same config hash elsewhere in the preset folder (fig3 relu = table1 relu-relu) instead of training it; --no-reuse trains it',
  },
  estimate: {
    type: 'boolean',
    default: true,
    describe: 'time a few steps first and print the expected wall time (--no-estimate skips it)',
  },
} satisfies Record<string, Options>;

/** What the flags resolved to, before any work. */
interface ResolvedRun {
  experiment: ExperimentConfig;
  preset: ResolvedPreset;
  seeds: number[];
  shard?: Shard;
  evalShard?: Shard;
  backend: BackendChoice;
}

/** Starts the --workers helpers once runExperiment knows how many units are left, and keeps them for the cleanup. */
interface WorkerLauncher {
  /** Processes sharing the units, this one included. */
  workers: number;
  helpers?: Helpers;
  startWorkers(unitsLeft: number): WorkerPool | undefined;
}

/** `argv` is the whole command line, which the helpers get as it is. */
function launchWorkers(spec: string, argv: readonly string[], progress: Progress): WorkerLauncher {
  const launcher: WorkerLauncher = {
    workers: 1,
    startWorkers: (unitsLeft) => {
      const count = chooseWorkers(spec, unitsLeft) - 1;
      launcher.workers = count + 1;
      if (count === 0) return undefined;
      const started = startHelpers(count, argv, (line) => progress.log(line));
      launcher.helpers = started;
      return { count, settled: () => started.settled() };
    },
  };
  return launcher;
}

/** A repeated --runs arrives as an array: every id given, in order. */
function runIds(runs: string | string[] | undefined): string[] | undefined {
  if (!runs) return undefined;
  return [runs]
    .flat()
    .flatMap((list) => list.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** What to run, as plain data: the flags resolved. */
function runRequest(args: RunArgs, run: ResolvedRun): RunRequest {
  return {
    experiment: run.experiment,
    outDir: args.out,
    presetName: run.preset.name,
    preset: run.preset.preset,
    seeds: run.seeds,
    backend: run.backend.provenance,
    runs: runIds(args.runs),
    maxSteps: args['max-steps'],
    presetBeforeOverrides: { preset: run.preset.base, overrides: args.set },
    dataDir: args['data-dir'],
    force: args.force,
    retryFailed: args['retry-failed'],
    shard: run.shard,
    evalShard: run.evalShard,
    estimate: args.estimate,
    reuse: args.reuse,
  };
}

/** This process was started by another `run --workers N` to share its units. */
const isWorkersHelper = () => process.env[HELPER_ENV] !== undefined;

/** The terminal's progress and Ctrl-C handling, the test kill switch, and the --workers helpers. */
function runHooks(live: { progress: Progress; watch: InterruptWatch; launcher: WorkerLauncher }): RunHooks {
  return {
    progress: live.progress,
    watch: live.watch,
    kill: KillSwitch.fromEnv(),
    startWorkers: (unitsLeft) => live.launcher.startWorkers(unitsLeft),
    helperOfWorkers: isWorkersHelper(),
  };
}

function printOutcome(
  outcome: ExperimentOutcome,
  run: ResolvedRun,
  out: Output,
  flags: { json: boolean; workers: number },
): void {
  const runs = new Set(outcome.finished.map((m) => m.run)).size;
  out.human(`wrote ${outcome.csvPath} (${runs} of ${outcome.runCount} runs finished)`);
  out.human(`report: ${outcome.htmlPath}`);
  if (!flags.json) out.human(`\n${resultsTableText(outcome.csvPath, run.experiment.baseline)}`);
  out.result({
    experiment: run.experiment.id,
    preset: run.preset.name,
    backend: run.backend.provenance,
    csv: outcome.csvPath,
    html: outcome.htmlPath,
    runs: outcome.runCount,
    // ranNow: the units this process ran; with --workers the helpers name theirs in their own lines.
    workers: flags.workers,
    ranNow: outcome.ranNow,
    copied: outcome.copied,
    skipped: outcome.skipped,
    failed: outcome.failed.map((f) => `${f.run}/${seedFolderName(f.seed)}`),
    rows: csvRows(outcome.csvPath),
  });
}

/** Checks and resolves the flags (preset, seeds, shards, backend, experiment) before any work. */
async function resolveRun(args: RunArgs, out: Output): Promise<ResolvedRun> {
  checkFlags(args);
  const shard = args.shard !== undefined ? parseShard(args.shard, '--shard') : undefined;
  const evalShard = args['eval-shard'] !== undefined ? parseShard(args['eval-shard'], '--eval-shard') : undefined;
  const preset = await resolvePreset(args.preset, args.set);
  const seeds = chooseSeeds(args, preset.preset);
  const backend = await prepareBackendFor(
    args.backend,
    { model: preset.preset.model.name, batchSize: preset.preset.train.batchSize },
    args['fast-kernels'],
  );
  // After the backend: checking a file's own activations runs them (finite differences) on the chosen one.
  const experiment = await resolveExperiment(args.experiment);
  out.human(backend.reason);
  if (args.verbose) for (const line of backend.skipped) out.human(`  ${line}`);
  return { experiment, preset, seeds, shard, evalShard, backend };
}

/** Runs the experiment (with its --workers helpers), prints where the results went, and always stops the helpers. */
async function runAndReport(args: RunArgs, run: ResolvedRun, out: Output, argv: readonly string[]): Promise<void> {
  const progress = terminalProgress();
  const watch = watchInterrupts(progress);
  chooseWorkers(args.workers, 1); // a bad value is refused before any work
  const launcher = launchWorkers(args.workers, argv, progress);
  try {
    const outcome = await runExperiment(runRequest(args, run), runHooks({ progress, watch, launcher }));
    // A --workers helper's units are in the parent's CSV and table; its own would print the table twice.
    if (!isWorkersHelper()) printOutcome(outcome, run, out, { json: args.json, workers: launcher.workers });
    if (outcome.failed.length > 0) throw new UnitsFailed(outcome.failed);
  } finally {
    // Interrupted: the helpers got the same signal. Failed: ask them to stop too. Either way they checkpoint first.
    if (launcher.helpers && !watch.requested()) launcher.helpers.stop();
    await launcher.helpers?.settled();
    watch.dispose();
  }
}

/** `argv` is the whole command line, which --workers hands to its helper processes. */
export const runCommand = (argv: readonly string[]): CommandModule<object, RunArgs> => ({
  command: 'run <experiment>',
  describe:
    'train and evaluate every run of an experiment (resuming where it stopped) and write its CSV and reports; experiment and preset may be .ts/.js files',
  builder: (y: Argv) =>
    y
      .positional('experiment', {
        type: 'string',
        demandOption: true,
        describe: `${Object.keys(EXPERIMENTS).join(', ')}, or an experiment file (./my-ablation.ts)`,
      })
      .options(RUN_OPTIONS)
      .example('$0 run table1 --preset smoke', 'seconds: checks the install, writes results/smoke/table1.csv')
      .example('$0 run fig3 --preset quick --runs relu,silu --seeds 0,1,2', 'two runs of Figure 3, three seeds each')
      .example(
        '$0 run table1 --preset mnist --workers auto',
        'real MNIST, one process per core; rerun the same command to resume',
      ) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const out = outputFor(args.json);
    await runAndReport(args, await resolveRun(args, out), out, argv);
  },
});
