import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { logGamma, regularizedBeta, studentTwoSidedP } from '../../src/eval/special-functions';
import {
  describe,
  mcnemarP,
  pairBySeed,
  pairedDifferenceInterval,
  pairedSeedDelta,
  pairedTTestP,
  wilsonInterval,
} from '../../src/eval/statistics';

const close = (actual: number, expected: number, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} vs ${expected} (±${tolerance})`);

const flags = (pattern: Array<[number, number, number]>) => {
  // [count, a, b]: `count` pairs with outcomes (a, b).
  const a: number[] = [];
  const b: number[] = [];
  for (const [count, x, y] of pattern)
    for (let i = 0; i < count; i++) {
      a.push(x);
      b.push(y);
    }
  return [a, b] as const;
};

test('Wilson bounds match hand-derived values', () => {
  // 5/10: z² = 3.841459, denominator 1.384146, centre 0.5, half = 1.41601·√(0.025 + 0.0096036) = 0.263405.
  const half = wilsonInterval(5, 10);
  close(half.low, 0.236595, 2e-6);
  close(half.high, 0.763405, 2e-6);
  // 0/10: centre = half = 0.192073 / 1.384146 = 0.138767, so [0, 0.277534].
  const none = wilsonInterval(0, 10);
  close(none.low, 0, 1e-12);
  close(none.high, 0.277534, 2e-6);
  assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
});

test('McNemar uses the exact binomial for few discordant pairs and χ² with continuity correction for many', () => {
  // b = 1, c = 6: 2·P(X ≤ 1 | n = 7) = 2·(1 + 7)/128 = 0.125; concordant pairs do not count.
  const [a1, b1] = flags([
    [1, 1, 0],
    [6, 0, 1],
    [40, 1, 1],
    [13, 0, 0],
  ]);
  close(mcnemarP(a1, b1), 0.125, 1e-12);
  // b = 10, c = 30: (|10 − 30| − 1)²/40 = 9.025; P(χ²₁ ≥ 9.025) = 2(1 − Φ(3.00416)) = 0.002663.
  const [a2, b2] = flags([
    [10, 1, 0],
    [30, 0, 1],
    [60, 1, 1],
  ]);
  close(mcnemarP(a2, b2), 0.002663, 2e-6);
  assert.equal(mcnemarP([1, 0, 1], [1, 0, 1]), 1);
});

test('the t distribution matches closed forms for one and two degrees of freedom', () => {
  // df = 1 is Cauchy: P(|T| ≥ 1) = 1 − 2·atan(1)/π = 0.5. df = 2: P(|T| ≥ t) = 1 − t/√(2 + t²).
  close(studentTwoSidedP(1, 1), 0.5, 1e-12);
  close(studentTwoSidedP(Math.SQRT2, 2), 1 - Math.SQRT2 / 2, 1e-12);
  // The textbook critical value t(0.975, 9) = 2.262157 gives p = 0.05.
  close(studentTwoSidedP(2.262157, 9), 0.05, 1e-6);
  close(logGamma(5), Math.log(24), 1e-12);
  close(regularizedBeta(0.3, 1, 1), 0.3, 1e-12);
});

test('the paired t-test across seeds matches a hand computation', () => {
  // Deltas 1, 2, 3: mean 2, sd 1, t = 2/(1/√3) = 3.4641, df 2: p = 1 − 3.4641/√14 = 0.074180.
  close(pairedTTestP([1, 2, 3]), 1 - Math.sqrt(12) / Math.sqrt(14), 1e-12);
  assert.ok(Number.isNaN(pairedTTestP([0.4])), 'one seed has no spread to test against');
  assert.equal(pairedTTestP([0, 0, 0]), 1);
  const spread = describe([1, 2, 3, 6]);
  assert.deepEqual([spread.mean, spread.min, spread.max], [3, 1, 6]);
  close(spread.std, Math.sqrt(14 / 3), 1e-12); // squared deviations 4 + 1 + 0 + 9 = 14, over n − 1 = 3
});

test("the paired difference interval is Newcombe's hybrid score interval with the shrunk φ", () => {
  // Table (both, only a, only b, neither) = (12, 9, 2, 21), n = 44: p_a = 21/44 = 0.477273, p_b = 14/44 = 0.318182,
  // difference 0.159091. Wilson: a [0.337550, 0.620645], b [0.199993, 0.465569]. AD − BC = 252 − 18 = 234 > n/2, so
  // φ = (234 − 22)/√(21·23·14·30) = 212/450.40 = 0.470693.
  // below = √(0.139723² − 2φ·0.139723·0.147387 + 0.147387²) = 0.147848 → low 0.011243;
  // above = √(0.143372² − 2φ·0.143372·0.118189 + 0.118189²) = 0.136281 → high 0.295372.
  const [a, b] = flags([
    [12, 1, 1],
    [9, 1, 0],
    [2, 0, 1],
    [21, 0, 0],
  ]);
  const ci = pairedDifferenceInterval(a, b);
  close(ci.difference, 0.159091, 1e-6);
  close(ci.low, 0.011243, 2e-6);
  close(ci.high, 0.295372, 2e-6);
});

test('the paired difference interval is antisymmetric in its arguments and contains 0 for identical outcomes', () => {
  const [a, b] = flags([
    [30, 1, 1],
    [7, 1, 0],
    [3, 0, 1],
    [10, 0, 0],
  ]);
  const [ab, ba] = [pairedDifferenceInterval(a, b), pairedDifferenceInterval(b, a)];
  close(ab.low, -ba.high, 1e-12);
  close(ab.high, -ba.low, 1e-12);
  const same = pairedDifferenceInterval(a, a);
  assert.equal(same.difference, 0);
  assert.ok(same.low < 0 && same.high > 0, `${same.low}, ${same.high}`);
  assert.throws(() => pairedDifferenceInterval([1], [1, 0]), /differ in length/);
});

test('a Δ over seeds pairs by seed: a seed only one run finished enters neither the mean nor the t-test', () => {
  const run = [
    { seed: 0, value: 0.44 },
    { seed: 1, value: 0.45 },
    { seed: 2, value: 0.94 },
  ];
  const baseline = [
    { seed: 1, value: 0.42 },
    { seed: 0, value: 0.4 },
  ];
  assert.deepEqual(
    pairBySeed(run, baseline).map(([r, b]) => [r.seed, b.seed]),
    [
      [0, 0],
      [1, 1],
    ],
  );
  // Per-seed deltas 0.04 and 0.03: mean 0.035, std √((0.005² + 0.005²)/1) = 0.0070711; t = 0.035/0.005 = 7, df 1,
  // p = 1 − 2·atan(7)/π = 0.090334. The unpaired means would give 0.61 − 0.41 = 0.20.
  const delta = pairedSeedDelta(run, baseline, (m) => m.value);
  close(delta.mean, 0.035, 1e-12);
  close(delta.std, 0.0070710678, 1e-9);
  close(delta.p, 1 - (2 * Math.atan(7)) / Math.PI, 1e-9);
  assert.equal(delta.pairs, 2);
  const none = pairedSeedDelta(run, [{ seed: 5, value: 0.4 }], (m) => m.value);
  assert.ok(none.pairs === 0 && Number.isNaN(none.mean) && Number.isNaN(none.p), JSON.stringify(none));
});
