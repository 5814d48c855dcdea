import type { CsvRow } from '../results-folder';

/**
 * The evaluation attack as it ran, from the CSV's `eval_steps`: "PGD-200", "PGD-5/10" when rows differ, "PGD"
 * when the CSV predates the column. Axis titles use it, so a smoke run's PGD-5 is never read as the paper's PGD-200.
 */
export function pgdName(rows: readonly CsvRow[]): string {
  const steps = [...new Set(rows.map((r) => r.eval_steps?.trim()).filter((s): s is string => !!s))].sort(
    (a, b) => Number(a) - Number(b),
  );
  return steps.length === 0 ? 'PGD' : `PGD-${steps.join('/')}`;
}

/** The paper's evaluation attack (Xie et al., ImageNet): 200-step PGD. */
export const PAPER_ATTACK = 'PGD-200';
