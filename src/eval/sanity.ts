/**
 * The automatic checks that an evaluation measured the model and not a weak attack (Carlini et al. 2019,
 * "On Evaluating Adversarial Robustness"). Pure functions of per-example flags; src/eval/evaluate.ts runs the
 * attacks they need. Every value and limit is a fraction in [0, 1].
 */

export const SANITY_CHECKS = {
  'large-epsilon': 'at a large ε (0.5: every image can reach uniform grey) robust accuracy must fall to chance + 2 pts',
  'step-monotone': 'accuracy under independent PGD runs must not rise with more steps (tolerance: 1 pt or 1 example)',
  'dead-gradient': 'no attacked example may have an all-zero or NaN input gradient at its clean point',
  'gradient-masking':
    'PGD through a smoothed (psoftplus) backward must not break > 1 pt of the examples the attacks before it left standing',
  'pgd-gap': "the rest of the suite must not break > 2 pts more examples than the preset's PGD (the robustness column)",
} as const;

export type SanityCheckName = keyof typeof SANITY_CHECKS;

export interface SanityCheck {
  name: SanityCheckName;
  passed: boolean;
  /** The measured quantity and the limit it is compared with (see each check), fractions in [0, 1]. */
  value: number;
  limit: number;
  detail: string;
}

export interface SanityInputs {
  numClasses: number;
  /** Per attacked example (the sanity subset is a prefix of these). */
  cleanCorrect: Uint8Array;
  deadGradient: Uint8Array;
  paperFooled: Uint8Array;
  worstCorrect: Uint8Array;
  /**
   * Per example: broken by the smoothed-gradient PGD and by no attack before it in the suite (the paper's PGD at
   * least). Absent when the model's forward is smooth (the check does not apply).
   */
  smoothedBroken?: Uint8Array;
  /** On the sanity subset. */
  largeEpsilon: { epsilon: number; fooled: Uint8Array };
  monotone: ReadonlyArray<{ steps: number; fooled: Uint8Array }>;
}

const pts = (fraction: number) => `${(100 * fraction).toFixed(2)} pts`;

/** Accuracy under an attack: clean-correct and never fooled, over the first fooled.length examples. */
export function robustAccuracy(cleanCorrect: Uint8Array, fooled: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < fooled.length; i++) correct += cleanCorrect[i] === 1 && fooled[i] === 0 ? 1 : 0;
  return correct / Math.max(1, fooled.length);
}

const share = (flags: Uint8Array) => flags.reduce((s, v) => s + v, 0) / Math.max(1, flags.length);

function check(name: SanityCheckName, value: number, limit: number, detail: string): SanityCheck {
  // The tolerance keeps float noise (1 − 0.98 = 0.0200000000000000018) from failing a value exactly at its limit.
  return { name, passed: value <= limit + 1e-12, value, limit, detail };
}

export function runSanityChecks(inputs: SanityInputs): SanityCheck[] {
  const { cleanCorrect } = inputs;
  const large = robustAccuracy(cleanCorrect, inputs.largeEpsilon.fooled);
  const chance = 1 / inputs.numClasses + 0.02;
  return [
    check(
      'large-epsilon',
      large,
      chance,
      `robust accuracy at ε = ${inputs.largeEpsilon.epsilon} is ${pts(large)} on ${inputs.largeEpsilon.fooled.length} examples (chance + 2 = ${pts(chance)})`,
    ),
    monotoneCheck(cleanCorrect, inputs.monotone),
    ...wholeEvaluationChecks(inputs),
  ];
}

/** The checks CHECKS_OF_EVERY_EXAMPLE names: functions of every attacked example's flags (a merge recomputes them). */
export function wholeEvaluationChecks(
  inputs: Pick<SanityInputs, 'cleanCorrect' | 'deadGradient' | 'paperFooled' | 'worstCorrect' | 'smoothedBroken'>,
): SanityCheck[] {
  const { cleanCorrect } = inputs;
  const checks: SanityCheck[] = [];
  const dead = share(inputs.deadGradient);
  checks.push(
    check(
      'dead-gradient',
      dead,
      0,
      `${pts(dead)} of ${inputs.deadGradient.length} attacked examples have an all-zero or NaN input gradient`,
    ),
  );
  const paper = robustAccuracy(cleanCorrect, inputs.paperFooled);
  if (inputs.smoothedBroken) {
    // One-sided, so the cascade can compute it: what the smooth backward finds that the true gradient missed.
    const gain = share(inputs.smoothedBroken);
    checks.push(
      check(
        'gradient-masking',
        gain,
        0.01,
        `the smoothed-gradient PGD breaks ${pts(gain)} of examples that the true-gradient attacks before it left standing`,
      ),
    );
  }
  const worstGap = paper - share(inputs.worstCorrect);
  checks.push(
    check(
      'pgd-gap',
      worstGap,
      0.02,
      `the suite breaks ${pts(worstGap)} of examples that the evaluation's PGD left standing`,
    ),
  );
  return checks;
}

/** The checks over every attacked example; the others run their own attacks on the sanity subset (a prefix). */
export const CHECKS_OF_EVERY_EXAMPLE: readonly SanityCheckName[] = ['dead-gradient', 'gradient-masking', 'pgd-gap'];

function monotoneCheck(cleanCorrect: Uint8Array, runs: SanityInputs['monotone']): SanityCheck {
  const accuracies = runs.map((r) => robustAccuracy(cleanCorrect, r.fooled));
  const examples = runs[0]?.fooled.length ?? 0;
  const tolerance = Math.max(0.01, 1 / Math.max(1, examples));
  // The largest rise from fewer to more steps; ≤ 0 for a well-behaved attack.
  let rise = -Infinity;
  for (let i = 1; i < accuracies.length; i++) rise = Math.max(rise, accuracies[i] - accuracies[i - 1]);
  const listing = runs.map((r, i) => `PGD-${r.steps} ${pts(accuracies[i])}`).join(', ');
  return check('step-monotone', Math.max(rise, 0), tolerance, `robust accuracy on ${examples} examples: ${listing}`);
}

/**
 * A model whose clean accuracy is at most this multiple of chance (1 / classes) did not learn: its robustness says
 * nothing. Checked on the clean accuracy of the whole test split, so it flags runs whatever else passed.
 */
export const CHANCE_ACCURACY_FACTOR = 1.5;
export const CHANCE_ACCURACY = 'chance-accuracy';

export function atChanceAccuracy(accuracy: number, numClasses: number): boolean {
  return accuracy <= CHANCE_ACCURACY_FACTOR / numClasses + 1e-12;
}

/** What a name in the CSV's `sanity` cell means: one of SANITY_CHECKS, or the chance-accuracy flag. */
export function sanityFlagMeaning(name: string): string | undefined {
  if (name === CHANCE_ACCURACY)
    return `clean accuracy at most ${CHANCE_ACCURACY_FACTOR}× chance: the model did not learn, and its robustness says nothing`;
  return (SANITY_CHECKS as Record<string, string>)[name];
}

/** A sanity cell with `chance-accuracy` first when the clean accuracy is at chance: `ok` becomes `chance-accuracy`. */
export function withChanceFlag(cell: string, accuracy: number, numClasses: number): string {
  if (!atChanceAccuracy(accuracy, numClasses) || cell.split('+').includes(CHANCE_ACCURACY)) return cell;
  return cell === 'ok' ? CHANCE_ACCURACY : `${CHANCE_ACCURACY}+${cell}`;
}

/** 'ok', or the failed checks' names joined with '+' (the CSV's `sanity` cell). */
export function sanityCell(checks: readonly SanityCheck[]): string {
  const failed = checks.filter((c) => !c.passed).map((c) => c.name);
  return failed.length === 0 ? 'ok' : failed.join('+');
}
