import type { EvalSummary } from '../../eval/summary';
import type { RunMetrics } from '../../report/records';
import { evalFolderBeside, evalOutputPath, readJsonFile } from './seed-folder';

/** What `sat-bench eval <seed folder> --attack autoattack` writes by default (evaluate-checkpoint's defaultOut). */
interface Reevaluation {
  seed: number;
  epsilon: number;
  summary: EvalSummary;
}

/** Absent or half-copied: the run's own numbers stand. */
const readReevaluation = (seedDir: string) =>
  readJsonFile<Reevaluation>(
    evalOutputPath(evalFolderBeside(seedDir, 'autoattack'), 'evaluation'),
    'AutoAttack re-evaluation',
    'absent',
  );

/**
 * The run's metrics with `robustness_aa` filled in from an AutoAttack re-evaluation beside it, when the run's own
 * suite did not run AutoAttack. Only a re-evaluation of the same examples with the same seed and ε counts: then
 * its PGD ∪ AutoAttack is measured on exactly the examples the run's other columns are, so the row's columns
 * compare. Any other (more or fewer examples, another seed) is left to its own evaluation.json.
 */
export function withReevaluatedAutoAttack(metrics: RunMetrics, seedDir: string): RunMetrics {
  const own = metrics.evaluation;
  if (!own || own.robustnessAa !== undefined) return metrics;
  const found = readReevaluation(seedDir);
  const aa = found?.summary;
  if (
    !aa ||
    aa.robustnessAa === undefined ||
    found.seed !== metrics.seed ||
    found.epsilon !== own.epsilon ||
    aa.attackedExamples !== own.attackedExamples ||
    aa.testExamples !== own.testExamples
  )
    return metrics;
  const perExample = { ...own.perExample, aaCorrect: aa.perExample.aaCorrect };
  return { ...metrics, evaluation: { ...own, robustnessAa: aa.robustnessAa, perExample } };
}
