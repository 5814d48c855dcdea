import type { ImageDataset } from '../../data/types';
import type { AttackJournal } from '../../eval/attack-journal';
import type { EvalConfig } from '../../eval/config';
import { evaluateModel } from '../../eval/evaluate';
import { examplesRecord, summarizeEvaluation, type EvalSummary } from '../../eval/summary';
import type { SuiteName } from '../../eval/suites';
import type { Network } from '../../nn/network';
import type { PhasePlan } from '../../nn/phase';
import { epsilonFolder, evalOutputPath, writeEpsilonCurveCsv, writeExamplesCsv } from '../store/seed-folder';
import { writeJsonAtomic } from '../../util/atomic-write';
import type { Progress } from '../../util/progress';

export interface ReevaluateOptions {
  suite: SuiteName;
  /** Attacked examples (default: the preset's eval.examples). */
  examples?: number;
  /** Seeds the random starts; the run's own seed reproduces its evaluation. */
  seed: number;
  /** The run's ε, evaluated at unless `epsilons` lists others. */
  epsilon: number;
  /** Evaluate at each of these ε instead (a robustness curve); every step is a multiple of ε, so it scales with it. */
  epsilons?: readonly number[];
  /** Every attack on every example (each attack's own robustness) instead of the cascade. */
  standalone?: boolean;
  outDir: string;
  runId: string;
  progress: Progress;
  /** Called with each ε's files once they are written (what an interrupted eval leaves on disk). */
  onWritten?: (files: string[]) => void;
  /** Keeps the finished attack batches, one section per ε, so an interrupted evaluation resumes (default: none). */
  journal?: { section(name: string): AttackJournal };
}

/**
 * Evaluates a trained model again (no training) with a chosen suite, and writes `evaluation.json` (the config
 * used and the summary) and `examples.csv` into `outDir`, each atomically. With several ε, each ε gets the same
 * examples and the same random starts (scaled to its ball), its examples.csv in `eps-<ε>/`, and
 * `robustness-vs-epsilon.csv` joins them. With a journal, a rerun after an interrupt takes every attack batch the
 * interrupted run finished (at any ε) from it instead of attacking again; the caller removes it once all is written.
 */
export async function reevaluateModel(
  model: { net: Network; plan: PhasePlan; evalConfig: EvalConfig },
  dataset: ImageDataset,
  options: ReevaluateOptions,
): Promise<{ summaries: EvalSummary[]; files: string[] }> {
  const epsilons = options.epsilons ?? [options.epsilon];
  const curve = epsilons.length > 1;
  const summaries: EvalSummary[] = [];
  const files: string[] = [];
  for (const epsilon of epsilons) {
    const config: EvalConfig = {
      // The step is a multiple of ε (eval.stepSizeFactor), so each ε of a curve gets its own step.
      ...model.evalConfig,
      suite: options.suite,
      examples: options.examples ?? model.evalConfig.examples,
    };
    const context = {
      epsilon,
      seed: options.seed,
      runId: curve ? `${options.runId} ε ${epsilon}` : options.runId,
      progress: options.progress,
      standalone: options.standalone,
      journal: options.journal?.section(`epsilon ${epsilon}`),
    };
    const result = await evaluateModel(model.net, model.plan, dataset, config, context);
    const summary = summarizeEvaluation(result);
    const dir = curve ? epsilonFolder(options.outDir, epsilon) : options.outDir;
    const evaluationFile = evalOutputPath(dir, 'evaluation');
    writeJsonAtomic(evaluationFile, { config, epsilon, seed: options.seed, summary });
    const examplesFile = writeExamplesCsv(dir, examplesRecord(result));
    files.push(evaluationFile, examplesFile);
    options.onWritten?.([evaluationFile, examplesFile]);
    summaries.push(summary);
  }
  if (curve) files.push(writeEpsilonCurveCsv(options.outDir, summaries));
  return { summaries, files };
}
