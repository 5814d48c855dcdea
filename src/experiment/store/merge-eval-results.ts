import { brokenByEach, deriveTotals } from '../../eval/cascade';
import type { AttackOutcome, EvalResult } from '../../eval/result';
import { CHECKS_OF_EVERY_EXAMPLE, wholeEvaluationChecks } from '../../eval/sanity';

/**
 * How the shards' values of one field become the unsharded value:
 * - `join`: one entry per attacked example, joined in shard order;
 * - `first`: the same in every shard (settings, whole-split numbers), or the first shard's (see `sanity`);
 * - `sum`: a count over the shard's examples;
 * - `derived`: recomputed from the joined fields by deriveTotals (src/eval/cascade.ts), as the evaluator does;
 * - `each attack`: merged attack by attack with ATTACK_FIELDS.
 */
type MergeRule = 'join' | 'first' | 'sum' | 'derived';

/**
 * Every field of an EvalResult, named with its rule: adding a field to EvalResult without a rule here fails to
 * compile (`satisfies` with every key), and a field present at run time without one fails the merge.
 */
export const RESULT_FIELDS = {
  accuracy: 'first', // clean accuracy on the whole test split: each shard measures the same
  robustness: 'derived',
  testExamples: 'first',
  attackedExamples: 'sum',
  robustCorrect: 'derived',
  cleanCorrect: 'join',
  cleanCorrectAll: 'first', // per example of the whole split, the same in every shard
  firstExample: 'first', // the first shard starts the unsharded range
  labels: 'join',
  cleanPrediction: 'join',
  suite: 'first',
  epsilon: 'first',
  numClasses: 'first',
  attacks: 'each attack',
  worstCorrect: 'derived',
  robustnessWorst: 'derived',
  aaCorrect: 'derived',
  robustnessAa: 'derived',
  cascade: 'first',
  deadGradient: 'join',
  // The checks over every example are recomputed from the joined flags; those that run their own attacks on the
  // sanity subset (a prefix of each shard's examples) keep the first shard's, the unsharded prefix when the first
  // shard holds at least the subset (sanityExamples).
  sanity: 'derived',
  sanityExamples: 'first',
  sanityOracleCallsPerExample: 'first',
} as const satisfies Record<keyof EvalResult, MergeRule | 'each attack'>;

/** Every field of one attack's outcome, named with its rule (checked as RESULT_FIELDS is). */
export const ATTACK_FIELDS = {
  name: 'first',
  attack: 'first',
  loss: 'first',
  gradient: 'first',
  steps: 'first',
  oracleCallsPerExample: 'first', // the attack's budget per example, a setting
  autoAttack: 'first',
  attacked: 'join',
  fooled: 'join',
  broken: 'derived',
  robustnessAfter: 'derived',
  robustness: 'derived',
} as const satisfies Record<keyof AttackOutcome, MergeRule>;

type PerExample = Uint8Array | Int32Array | Float32Array;

/** Joins one per-example typed array across the shards (`counts[i]` examples in shard i), keeping its element type. */
function join(values: readonly unknown[], counts: readonly number[], key: string): PerExample {
  const parts = values as PerExample[];
  if (
    !parts.every((p, i) => ArrayBuffer.isView(p) && p.constructor === parts[0].constructor && p.length === counts[i])
  ) {
    throw new Error(
      `merging eval shards: ${key} is not a per-example array of one type, one entry per attacked example, in every shard`,
    );
  }
  const all = new (parts[0].constructor as Uint8ArrayConstructor)(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/** Applies `rules` field by field; the first part gives the fields `derived` later overwrites. */
function mergeFields(
  parts: ReadonlyArray<Record<string, unknown>>,
  counts: readonly number[],
  rules: Readonly<Record<string, string>>,
  where: string,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...parts[0] };
  for (const key of new Set(parts.flatMap((p) => Object.keys(p)))) {
    const rule = rules[key];
    if (rule === undefined)
      throw new Error(
        `merging eval shards: ${where}.${key} has no merge rule (add it to src/experiment/store/merge-eval-results.ts)`,
      );
    const values = parts.map((p) => p[key]);
    if (rule === 'join') merged[key] = join(values, counts, `${where}.${key}`);
    if (rule === 'sum') merged[key] = (values as number[]).reduce((a, b) => a + b, 0);
  }
  return merged;
}

/**
 * The unsharded EvalResult from its shards (sorted by shard index): per-example arrays joined, every aggregate
 * recomputed from them by the evaluator's own formulas. Each shard lists the same attacks in the same order.
 */
export function mergeEvalResults(parts: readonly EvalResult[]): EvalResult {
  const records = parts as unknown as ReadonlyArray<Record<string, unknown>>;
  const counts = parts.map((p) => p.attackedExamples);
  const merged = mergeFields(records, counts, RESULT_FIELDS, 'EvalResult') as unknown as EvalResult;
  merged.attacks = parts[0].attacks.map((_, k) => {
    const outcomes = parts.map((p) => p.attacks[k] as unknown as Record<string, unknown>);
    return mergeFields(outcomes, counts, ATTACK_FIELDS, `attacks[${k}]`) as unknown as AttackOutcome;
  });
  return withWholeEvaluationChecks(deriveTotals(merged));
}

/** The sanity checks over every attacked example, as the evaluator computes them (src/eval/evaluate.ts), on the joined flags. */
function withWholeEvaluationChecks(merged: EvalResult): EvalResult {
  if (merged.sanity.length === 0) return merged;
  const smoothed = merged.attacks.findIndex((a) => a.gradient === 'smoothed');
  const whole = wholeEvaluationChecks({
    cleanCorrect: merged.cleanCorrect,
    deadGradient: merged.deadGradient,
    paperFooled: merged.attacks[0].fooled,
    worstCorrect: merged.worstCorrect,
    smoothedBroken: smoothed < 0 ? undefined : brokenByEach(merged.cleanCorrect, merged.attacks)[smoothed],
  });
  return { ...merged, sanity: [...merged.sanity.filter((c) => !CHECKS_OF_EVERY_EXAMPLE.includes(c.name)), ...whole] };
}
