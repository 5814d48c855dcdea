import * as path from 'node:path';
import type { ImageDataset } from '../data/types';
import type { Network } from '../nn/network';
import type { PhasePlan } from '../nn/phase';
import { writeExamplesCsv } from '../report/examples-csv';
import { writeJsonAtomic } from '../util/atomic-write';
import type { Progress } from '../util/progress';
import type { EvalConfig } from './config';
import { evaluateModel } from './evaluate';
import { examplesRecord, summarizeEvaluation, type EvalSummary } from './summary';
import type { SuiteName } from './suites';

export interface ReevaluateOptions {
  suite: SuiteName;
  /** Attacked examples (default: the preset's eval.examples). */
  examples?: number;
  /** Seeds the random starts; the run's own seed reproduces its evaluation. */
  seed: number;
  epsilon: number;
  outDir: string;
  runId: string;
  progress: Progress;
}

/**
 * Evaluates a trained model again (no training) with a chosen suite, and writes `evaluation.json` (the config
 * used and the summary) and `examples.csv` into `outDir`, each atomically.
 */
export async function reevaluateModel(
  model: { net: Network; plan: PhasePlan; evalConfig: EvalConfig },
  dataset: ImageDataset,
  options: ReevaluateOptions,
): Promise<{ summary: EvalSummary; files: string[] }> {
  const config: EvalConfig = { ...model.evalConfig, suite: options.suite, examples: options.examples ?? model.evalConfig.examples };
  const context = { epsilon: options.epsilon, seed: options.seed, runId: options.runId, progress: options.progress };
  const result = await evaluateModel(model.net, model.plan, dataset, config, context);
  const summary = summarizeEvaluation(result);
  const evaluationFile = path.join(options.outDir, 'evaluation.json');
  writeJsonAtomic(evaluationFile, { config, epsilon: options.epsilon, seed: options.seed, summary });
  writeExamplesCsv(options.outDir, examplesRecord(result));
  return { summary, files: [evaluationFile, path.join(options.outDir, 'examples.csv')] };
}
