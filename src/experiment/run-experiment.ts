import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateModel } from '../eval/evaluate';
import { MODELS } from '../nn/models';
import { disposeNetwork, trainableParams } from '../nn/network';
import type { PhasePlan } from '../nn/phase';
import { experimentCsv } from '../report/csv';
import { SgdOptimizer } from '../train/sgd';
import { trainModel } from '../train/trainer';
import { writeFileAtomic } from '../util/atomic-write';
import { suggestName, UserError } from '../util/errors';
import type { Progress } from '../util/progress';
import { deriveSeed } from '../util/rng';
import { loadPresetDataset } from './load-data';
import { configHash, readFinishedRun, runDirectory, writeRunFiles, type RunMetrics } from './run-store';
import type { ExperimentConfig, ExperimentRun, Preset } from './types';
import { validateExperiment, validatePreset } from './validate';

export interface RunExperimentOptions {
  outDir: string;
  presetName: string;
  preset: Preset;
  seed: number;
  /** Provenance label of the active TF.js backend (goes into the CSV). */
  backend: string;
  /** Run ids to run now (default: all); the CSV still lists every finished run. */
  runs?: readonly string[];
  /** Stop each run's training after this many steps (0 = no limit). */
  maxSteps: number;
  dataDir?: string;
  /** Replace finished runs whose config changed. */
  force: boolean;
  progress: Progress;
}

export interface ExperimentOutcome {
  csvPath: string;
  finished: RunMetrics[];
  ranNow: string[];
}

function selectRuns(experiment: ExperimentConfig, ids: readonly string[] | undefined): ExperimentRun[] {
  if (!ids || ids.length === 0) return experiment.runs;
  const known = experiment.runs.map((r) => r.id);
  for (const id of ids) {
    if (!known.includes(id)) {
      throw new UserError('unknown-run', `--runs: ${experiment.id} has no run "${id}"`, suggestName(id, known));
    }
  }
  return experiment.runs.filter((r) => ids.includes(r.id));
}

/** Fails before any training if results cannot be written there. */
function assertWritable(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new UserError('unwritable-out', `--out: cannot write to ${dir} (${(error as Error).message})`, 'choose a writable folder with --out');
  }
}

function phasePlanFor(run: ExperimentRun, preset: Preset): PhasePlan {
  return {
    forward: run.forward,
    backward: { attack: run.backward.attack, train: run.backward.train, eval: run.forward },
    batchNormInAttack: preset.train.attack.batchNorm,
  };
}

/** Trains and evaluates every selected run of an experiment, then writes its CSV from all finished runs. */
export async function runExperiment(experiment: ExperimentConfig, options: RunExperimentOptions): Promise<ExperimentOutcome> {
  validateExperiment(experiment, `experiment ${experiment.id}`);
  validatePreset(options.preset, `preset ${options.presetName}`);
  const selected = selectRuns(experiment, options.runs);
  const presetDir = path.join(options.outDir, options.presetName);
  assertWritable(presetDir);
  const hashOf = (run: ExperimentRun) => configHash({ preset: options.preset, run, seed: options.seed, maxSteps: options.maxSteps });
  const finished = new Map<string, RunMetrics>();
  for (const run of experiment.runs) {
    const dir = runDirectory(options.outDir, options.presetName, experiment.id, run.id);
    const metrics = readFinishedRun(dir, hashOf(run), { force: options.force && selected.includes(run) });
    if (metrics) finished.set(run.id, metrics);
  }
  const todo = selected.filter((run) => !finished.has(run.id));
  for (const run of selected) if (finished.has(run.id)) options.progress.log(`${run.id}: finished earlier with this config, kept`);
  const dataset = todo.length > 0 ? await loadPresetDataset(options.preset.dataset, { dataDir: options.dataDir }) : undefined;
  for (const warning of dataset?.warnings ?? []) options.progress.log(`warning: ${warning}`);
  for (const run of todo) {
    const metrics = await trainAndEvaluate(run, experiment, options, dataset!, hashOf(run));
    finished.set(run.id, metrics);
  }
  const csvPath = path.join(presetDir, `${experiment.id}.csv`);
  writeFileAtomic(csvPath, experimentCsv(experiment, finished));
  return { csvPath, finished: [...finished.values()], ranNow: todo.map((r) => r.id) };
}

async function trainAndEvaluate(
  run: ExperimentRun,
  experiment: ExperimentConfig,
  options: RunExperimentOptions,
  dataset: import('../data/types').ImageDataset,
  hash: string,
): Promise<RunMetrics> {
  const { preset, seed, progress } = options;
  // Every row starts from the same weights and sees the same batches: deltas measure the activation alone.
  const net = MODELS[preset.model.name].build({
    inputShape: dataset.shape,
    numClasses: dataset.numClasses,
    width: preset.model.width,
    init: preset.model.init,
    activation: run.forward,
    seed: deriveSeed(seed, 'init'),
  });
  const optimizer = new SgdOptimizer(trainableParams(net), { momentum: preset.train.momentum, nesterov: preset.train.nesterov, weightDecay: preset.train.weightDecay });
  try {
    const plan = phasePlanFor(run, preset);
    const context = { runId: run.id, epsilon: preset.epsilon, seed, progress };
    const train = await trainModel({ net, plan, optimizer }, dataset, preset.train, { ...context, maxSteps: options.maxSteps });
    const evalStarted = Date.now();
    const result = await evaluateModel(net, plan, dataset, preset.eval, context);
    const metrics: RunMetrics = {
      experiment: experiment.id,
      run: run.id,
      preset: options.presetName,
      configHash: hash,
      seed,
      backend: options.backend,
      dataset: dataset.name,
      model: preset.model.name,
      epsilon: preset.epsilon,
      evalSteps: preset.eval.steps,
      evalExamples: result.attackedExamples,
      accuracy: result.accuracy,
      robustness: result.robustness,
      trainSteps: train.steps,
      trainSeconds: train.seconds,
      trainImagesPerSecond: train.imagesPerSecond,
      evalSeconds: (Date.now() - evalStarted) / 1000,
    };
    progress.log(`${run.id}: accuracy ${(100 * result.accuracy).toFixed(2)}%, PGD-${preset.eval.steps} robustness ${(100 * result.robustness).toFixed(2)}%`);
    const dir = runDirectory(options.outDir, options.presetName, experiment.id, run.id);
    writeRunFiles(dir, { config: { run, preset, seed, maxSteps: options.maxSteps }, metrics, log: train.epochs });
    return metrics;
  } finally {
    optimizer.dispose();
    disposeNetwork(net);
  }
}
