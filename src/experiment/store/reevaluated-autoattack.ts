import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvalSummary } from '../../eval/summary';
import type { RunMetrics } from '../../report/records';

/** Where `sat-bench eval <seed folder> --attack autoattack` writes by default (evaluate-checkpoint's defaultOut). */
const AUTOATTACK_EVALUATION = path.join('eval-autoattack', 'evaluation.json');

interface Reevaluation {
  seed: number;
  epsilon: number;
  summary: EvalSummary;
}

function readReevaluation(file: string): Reevaluation | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Reevaluation;
  } catch {
    return undefined; // absent or half-copied: the run's own numbers stand
  }
}

/**
 * The run's metrics with `robustness_aa` filled in from an AutoAttack re-evaluation beside it, when the run's own
 * suite did not run AutoAttack. Only a re-evaluation of the same examples with the same seed and ε counts: then
 * its PGD ∪ AutoAttack is measured on exactly the examples the run's other columns are, so the row's columns
 * compare. Any other (more or fewer examples, another seed) is left to its own evaluation.json.
 */
export function withReevaluatedAutoAttack(metrics: RunMetrics, seedDir: string): RunMetrics {
  const own = metrics.evaluation;
  if (!own || own.robustnessAa !== undefined) return metrics;
  const found = readReevaluation(path.join(seedDir, AUTOATTACK_EVALUATION));
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
