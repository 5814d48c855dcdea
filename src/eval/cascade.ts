import type { AttackOutcome, EvalResult } from './result';
import { countOnes } from './statistics';

/**
 * The numbers an evaluation reports, derived from its per-example flags alone, so that an evaluation and a merge
 * of its shards compute them by the same formulas. In a cascade an attack's `fooled` flags cover only the
 * examples it ran on, but every derived number below is the same as without the cascade: an example skipped by
 * attack k was already broken by an earlier attack, and each attack's outcome on an example it ran on does not
 * depend on which others ran (src/eval/run-attacks.ts).
 */

/** Per example: clean-correct and fooled by none of `attacks`. */
export function standingAfter(
  cleanCorrect: Uint8Array,
  attacks: ReadonlyArray<Pick<AttackOutcome, 'fooled'>>,
): Uint8Array {
  return cleanCorrect.map((c, i) => (c === 1 && attacks.every((a) => a.fooled[i] === 0) ? 1 : 0));
}

/** Per attack, the examples it broke that every attack before it (in suite order) left standing. */
export function brokenByEach(
  cleanCorrect: Uint8Array,
  attacks: ReadonlyArray<Pick<AttackOutcome, 'fooled'>>,
): Uint8Array[] {
  let standing = cleanCorrect.slice();
  return attacks.map((attack) => {
    const broken = standing.map((s, i) => (s === 1 && attack.fooled[i] === 1 ? 1 : 0));
    standing = standing.map((s, i) => (broken[i] ? 0 : s));
    return broken;
  });
}

/** Fills every aggregate of `result` (robustness, worst case, AutoAttack, per-attack counts) from its flags. */
export function deriveTotals(result: EvalResult): EvalResult {
  const { cleanCorrect, attacks } = result;
  const attacked = Math.max(1, result.attackedExamples);
  const broken = brokenByEach(cleanCorrect, attacks);
  const robustCorrect = standingAfter(cleanCorrect, attacks.slice(0, 1));
  const worstCorrect = standingAfter(cleanCorrect, attacks);
  const autoAttack = attacks.filter((a) => a.autoAttack);
  // AutoAttack's attacks follow the paper's PGD directly in every suite that has them, so in a cascade they ran on
  // every example PGD left standing: the union below is PGD ∪ AutoAttack, exactly.
  const aaCorrect = autoAttack.length === 4 ? standingAfter(cleanCorrect, [attacks[0], ...autoAttack]) : undefined;
  let standing = countOnes(cleanCorrect);
  const withTotals = attacks.map((attack, k) => {
    standing -= countOnes(broken[k]);
    const alone = result.cascade ? undefined : standingAfter(cleanCorrect, [attack]);
    return {
      ...attack,
      broken: countOnes(broken[k]),
      robustnessAfter: standing / attacked,
      robustness: alone && countOnes(alone) / attacked,
    };
  });
  return {
    ...result,
    attacks: withTotals,
    robustCorrect,
    robustness: countOnes(robustCorrect) / attacked,
    worstCorrect,
    robustnessWorst: countOnes(worstCorrect) / attacked,
    aaCorrect,
    robustnessAa: aaCorrect && countOnes(aaCorrect) / attacked,
  };
}
