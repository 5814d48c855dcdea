import type { EvalResult } from './result';
import {
  atChanceAccuracy,
  CHANCE_ACCURACY,
  CHANCE_ACCURACY_FACTOR,
  SANITY_CHECKS,
  type SanityCheck,
  type SanityCheckName,
} from './sanity';

/** Where every sanity warning points: the checks, what each means, and what to cite. */
export const SANITY_DOCS = 'docs/evaluation.md, section "Sanity checks"';

/** The checks that say the preset's PGD overstates robustness; they share one warning. */
const OVERSTATEMENT: readonly SanityCheckName[] = ['pgd-gap', 'gradient-masking'];

/** The paper evaluates with PGD-200. A shorter PGD (the smoke preset's PGD-5) is expected to leave a gap the suite closes. */
export const PAPER_PGD_STEPS = 200;
export const isShortPgd = (steps: number) => steps < PAPER_PGD_STEPS;

const pct = (fraction: number) => `${(100 * fraction).toFixed(2)} %`;
const pts = (fraction: number) => `${(100 * fraction).toFixed(2)} pts`;

type WarnedResult = Pick<
  EvalResult,
  'sanity' | 'robustness' | 'robustnessWorst' | 'robustnessAa' | 'attacks' | 'suite' | 'accuracy' | 'numClasses'
>;

/**
 * The warning lines of one evaluation: a clean accuracy at chance; when the PGD overstates robustness (pgd-gap,
 * gradient-masking), one line saying by how much and which CSV column to cite, unless the PGD is shorter than the
 * paper's (then the gap is expected, and experimentSanitySummary says it once per experiment); then one line per
 * other failed check.
 */
export function sanityWarnings(result: WarnedResult, runId: string): string[] {
  const failed = result.sanity.filter((c) => !c.passed);
  const lines: string[] = [];
  if (atChanceAccuracy(result.accuracy, result.numClasses)) {
    lines.push(
      `warning [sanity:${CHANCE_ACCURACY}] ${runId}: clean accuracy ${pct(result.accuracy)} is at chance (${result.numClasses} classes: at most ${CHANCE_ACCURACY_FACTOR} × ${pct(1 / result.numClasses)}); ` +
        `the model did not learn and its robustness says nothing (${SANITY_DOCS})`,
    );
  }
  const pgd = `PGD-${result.attacks[0].steps}`;
  const overstating = failed.filter((c) => OVERSTATEMENT.includes(c.name));
  if (overstating.length > 0 && !isShortPgd(result.attacks[0].steps)) {
    const [column, value, by] =
      result.robustnessAa !== undefined
        ? ['robustness_aa', result.robustnessAa, 'AutoAttack (after it)']
        : ['robustness_worst', result.robustnessWorst, `the worst case over the ${result.suite} suite`];
    const masking = overstating.find((c) => c.name === 'gradient-masking');
    const maskingText = masking
      ? `; gradient masking: the smoothed-gradient PGD alone broke ${pts(masking.value)} that the true-gradient attacks before it left standing`
      : '';
    const fix =
      column === 'robustness_aa'
        ? 'cite robustness_aa'
        : 'cite robustness_worst, or run `sat-bench eval <run> --attack autoattack` and cite robustness_aa';
    lines.push(
      `warning [sanity:${overstating.map((c) => c.name).join('+')}] ${runId}: ${pgd} (robustness ${pct(result.robustness)}) ` +
        `overstates robustness by ${pts(result.robustness - value)}: ${by} gives ${pct(value)} (${column})${maskingText}. ${fix} (${SANITY_DOCS})`,
    );
  }
  for (const check of failed.filter((c) => !OVERSTATEMENT.includes(c.name))) {
    lines.push(
      `warning [sanity:${check.name}] ${runId}: ${check.detail}; expected: ${SANITY_CHECKS[check.name]} (${SANITY_DOCS})`,
    );
  }
  return lines;
}

/** One evaluated unit of an experiment, as its metrics store it. */
export interface EvaluatedUnit {
  evalSteps: number;
  evaluation: {
    suite: string;
    robustness: number;
    robustnessWorst: number;
    sanity: { checks: readonly SanityCheck[] };
  };
}

/**
 * One line per experiment for the gap a short PGD leaves (the per-unit warnings leave it out): how many units show
 * it, by how much, and that it is expected. Empty when no unit was evaluated with a short PGD or none shows a gap.
 */
export function experimentSanitySummary(experimentId: string, units: readonly EvaluatedUnit[]): string[] {
  const short = units.filter((u) => isShortPgd(u.evalSteps));
  const failing = (u: EvaluatedUnit, name: SanityCheckName) =>
    u.evaluation.sanity.checks.some((c) => c.name === name && !c.passed);
  const gapped = short.filter((u) => OVERSTATEMENT.some((name) => failing(u, name)));
  if (gapped.length === 0) return [];
  const gaps = gapped.map((u) => u.evaluation.robustness - u.evaluation.robustnessWorst);
  const range =
    Math.min(...gaps) === Math.max(...gaps)
      ? pts(gaps[0])
      : `${(100 * Math.min(...gaps)).toFixed(2)}–${pts(Math.max(...gaps))}`;
  const suites = [...new Set(gapped.map((u) => u.evaluation.suite))].join('+');
  const pgd = [...new Set(gapped.map((u) => `PGD-${u.evalSteps}`))].join(', ');
  const masked = gapped.filter((u) => failing(u, 'gradient-masking')).length;
  const maskingText = masked > 0 ? `; ${masked} of them also show gradient masking` : '';
  return [
    `warning [sanity:pgd-gap] ${experimentId}: ${gapped.length} of ${short.length} units show a PGD gap: the ${suites} suite breaks ${range} that ${pgd} left standing${maskingText}. ` +
      `Expected with a ${pgd} evaluation (the paper's is PGD-${PAPER_PGD_STEPS}): cite robustness_worst, not robustness (${SANITY_DOCS})`,
  ];
}
