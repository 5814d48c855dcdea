import { chiSquare1SurvivalP, studentTwoSidedP } from './special-functions';

/**
 * What the CSV's uncertainty columns mean. Per seed: a Wilson interval is evaluation noise only (which test
 * examples were drawn), and a McNemar p-value asks whether two runs differ on the same examples. Across seeds:
 * std/min/max are seed-to-seed spread (training noise), and the paired t-test asks whether the per-seed deltas
 * differ from zero.
 */

/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** How many per-example flags are set (1; any non-zero entry counts as one): the successes of the intervals below. */
export function countOnes(flags: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i] ? 1 : 0;
  return n;
}

/** Wilson score interval for `successes` out of `trials` (Wilson 1927); [0, 1] when there are no trials. */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** Below this many discordant pairs the exact binomial test is used, above it χ² with continuity correction. */
export const MCNEMAR_EXACT_BELOW = 25;

/**
 * Two-sided McNemar test on paired 0/1 outcomes (same examples, two models). Only discordant pairs count:
 * b = a right and b wrong, c = the reverse; under H0 each discordant pair is a fair coin.
 */
export function mcnemarP(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new RangeError(`mcnemarP: paired vectors differ in length (${a.length} vs ${b.length})`);
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && !b[i]) onlyA++;
    else if (!a[i] && b[i]) onlyB++;
  }
  const n = onlyA + onlyB;
  if (n === 0) return 1;
  if (n < MCNEMAR_EXACT_BELOW) return Math.min(1, 2 * binomialLowerTail(Math.min(onlyA, onlyB), n));
  return chiSquare1SurvivalP((Math.abs(onlyA - onlyB) - 1) ** 2 / n);
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2), summed term by term (n is small here). */
function binomialLowerTail(k: number, n: number): number {
  let term = 0.5 ** n; // C(n, 0) / 2^n
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i;
    sum += term;
  }
  return sum;
}

export interface Spread {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  std: number;
  min: number;
  max: number;
  count: number;
}

export function describe(values: readonly number[]): Spread {
  const count = values.length;
  if (count === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, count };
  const mean = values.reduce((s, v) => s + v, 0) / count;
  const variance = count > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (count - 1) : 0;
  return { mean, std: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values), count };
}

/**
 * Two-sided paired t-test that the mean of `deltas` (one per seed: run − baseline) is zero; df = n − 1.
 * NaN with fewer than two pairs; with zero spread, 1 if every delta is 0, else 0.
 */
export function pairedTTestP(deltas: readonly number[]): number {
  const { mean, std, count } = describe(deltas);
  if (count < 2) return NaN;
  if (std === 0) return mean === 0 ? 1 : 0;
  return studentTwoSidedP(mean / (std / Math.sqrt(count)), count - 1);
}

/** The seeds both runs finished, as (run, baseline) pairs in the run's order: the only seeds a Δ over seeds uses. */
export function pairBySeed<T extends { seed: number }>(
  run: readonly T[],
  baseline: readonly T[],
): Array<readonly [T, T]> {
  return run.flatMap((m) => baseline.filter((b) => b.seed === m.seed).map((b) => [m, b] as const));
}

/** A run's Δ against its baseline over seeds, from the per-seed deltas of the seeds both finished. */
export interface PairedSeedDelta {
  /** Mean of the per-seed deltas (run − baseline): the Δ shown; NaN without a pair. */
  mean: number;
  /** Their sample standard deviation (n − 1). */
  std: number;
  /** How many seeds both runs finished. */
  pairs: number;
  /** Paired t-test p on the same deltas (pairedTTestP). */
  p: number;
}

/**
 * The one definition of Δ over seeds: the shown Δ and its t-test use the same pairs. mean(run) − mean(baseline)
 * over each run's own seeds is not this when the seed sets differ (a run with seeds 0, 1, 2 against a baseline
 * with 0, 1 would bring seed 2 into the Δ but not into the test).
 */
export function pairedSeedDelta<T extends { seed: number }>(
  run: readonly T[],
  baseline: readonly T[],
  value: (m: T) => number,
): PairedSeedDelta {
  const deltas = pairBySeed(run, baseline).map(([m, b]) => value(m) - value(b));
  const { mean, std } = describe(deltas);
  return { mean, std, pairs: deltas.length, p: pairedTTestP(deltas) };
}

/**
 * 95 % interval for the difference of two paired proportions, mean(a) − mean(b), on the same examples: Newcombe's
 * hybrid score method for paired data (Newcombe 1998, Stat. Med. 17:2635, method 10; worked in Altman et al.,
 * "Statistics with Confidence", 2000, p. 52). Each margin gets its Wilson interval; the two are combined with the
 * 2×2 table's correlation φ, whose numerator AD − BC is shrunk by n/2 towards 0 when positive, as there. The
 * paired counterpart of mcnemarP: both look at the same per-example outcomes.
 */
export function pairedDifferenceInterval(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  z = Z95,
): Interval & { difference: number } {
  if (a.length !== b.length)
    throw new RangeError(`pairedDifferenceInterval: paired vectors differ in length (${a.length} vs ${b.length})`);
  const n = a.length;
  if (n === 0) return { difference: 0, low: -1, high: 1 };
  let both = 0,
    onlyA = 0,
    onlyB = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] && b[i]) both++;
    else if (a[i]) onlyA++;
    else if (b[i]) onlyB++;
  }
  const neither = n - both - onlyA - onlyB;
  const [pA, pB] = [(both + onlyA) / n, (both + onlyB) / n];
  const [ciA, ciB] = [wilsonInterval(both + onlyA, n, z), wilsonInterval(both + onlyB, n, z)];
  const margins = (both + onlyA) * (onlyB + neither) * (both + onlyB) * (onlyA + neither);
  const cross = both * neither - onlyA * onlyB;
  const shrunk = cross > n / 2 ? cross - n / 2 : cross < 0 ? cross : 0;
  const phi = margins > 0 ? shrunk / Math.sqrt(margins) : 0;
  const below = Math.sqrt(
    Math.max(0, (pA - ciA.low) ** 2 - 2 * phi * (pA - ciA.low) * (ciB.high - pB) + (ciB.high - pB) ** 2),
  );
  const above = Math.sqrt(
    Math.max(0, (ciA.high - pA) ** 2 - 2 * phi * (ciA.high - pA) * (pB - ciB.low) + (pB - ciB.low) ** 2),
  );
  const difference = pA - pB;
  return { difference, low: Math.max(-1, difference - below), high: Math.min(1, difference + above) };
}
