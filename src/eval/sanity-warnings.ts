import type { EvalResult } from './result';
import { SANITY_CHECKS, type SanityCheckName } from './sanity';

/** The checks that say the paper's PGD overstates robustness; they share one warning. */
const OVERSTATEMENT: readonly SanityCheckName[] = ['pgd-gap', 'gradient-masking'];

const pct = (fraction: number) => `${(100 * fraction).toFixed(2)} %`;
const pts = (fraction: number) => `${(100 * fraction).toFixed(2)} pts`;

/**
 * The warning lines of one evaluation: when the paper's PGD overstates robustness (pgd-gap, gradient-masking),
 * one line saying by how much and which CSV column to cite; then one line per other failed check.
 */
export function sanityWarnings(result: Pick<EvalResult, 'sanity' | 'robustness' | 'robustnessWorst' | 'robustnessAa' | 'attacks' | 'suite'>, runId: string): string[] {
  const failed = result.sanity.filter((c) => !c.passed);
  const lines: string[] = [];
  const overstating = failed.filter((c) => OVERSTATEMENT.includes(c.name));
  if (overstating.length > 0) {
    const [column, value, by] = result.robustnessAa !== undefined
      ? ['robustness_aa', result.robustnessAa, 'AutoAttack (after it)']
      : ['robustness_worst', result.robustnessWorst, `the worst case over the ${result.suite} suite`];
    const masking = overstating.find((c) => c.name === 'gradient-masking');
    const maskingText = masking ? `; gradient masking: the smoothed-gradient PGD alone broke ${pts(masking.value)} that the true-gradient attacks before it left standing` : '';
    const fix = column === 'robustness_aa' ? 'cite robustness_aa' : 'cite robustness_worst, or run `sat-bench eval <run> --attack autoattack` and cite robustness_aa';
    lines.push(
      `warning [sanity:${overstating.map((c) => c.name).join('+')}] ${runId}: the paper's ${result.attacks[0].name} (robustness ${pct(result.robustness)}) ` +
        `overstates robustness by ${pts(result.robustness - value)}: ${by} gives ${pct(value)} (${column})${maskingText}. ${fix} (README, "Sanity checks")`,
    );
  }
  for (const check of failed.filter((c) => !OVERSTATEMENT.includes(c.name))) {
    lines.push(`warning [sanity:${check.name}] ${runId}: ${check.detail}; expected: ${SANITY_CHECKS[check.name]} (README, "Sanity checks")`);
  }
  return lines;
}
