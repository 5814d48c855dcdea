import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { deriveTotals } from '../../../src/eval/cascade';
import type { AttackOutcome, EvalResult } from '../../../src/eval/result';
import { wholeEvaluationChecks, type SanityCheck } from '../../../src/eval/sanity';
import { decodeTyped, encodeTyped } from '../../../src/experiment/store/eval-shards';
import { mergeEvalResults } from '../../../src/experiment/store/merge-eval-results';

// Six attacked examples of a ten-example test split, in a PGD → APGD cascade:
//   cleanCorrect   1 1 1 0 1 1
//   PGD fooled     1 0 0 0 0 1   (ran on the clean-correct ones)  → broke 2 (examples 0, 5): robustness 3/6
//   APGD fooled    0 1 0 0 0 0   (ran on the 3 left standing)      → broke 1 (example 1): worst case 2/6
// Shard 1 holds examples 0–3, shard 2 examples 4–5 (uneven, as --eval-shard gives when the count does not divide).
const CLEAN = [1, 1, 1, 0, 1, 1];
const PGD_FOOLED = [1, 0, 0, 0, 0, 1];
const APGD_FOOLED = [0, 1, 0, 0, 0, 0];
const APGD_RAN = [0, 1, 1, 0, 1, 0];
// A check that runs its own attacks on the sanity subset (a prefix of the shard's examples), with a made-up value.
const prefixCheck = (value: number): SanityCheck => ({
  name: 'large-epsilon',
  passed: value === 0,
  value,
  limit: 0,
  detail: `${value} on the prefix`,
});

function attack(name: string, kind: AttackOutcome['attack'], attacked: number[], fooled: number[]): AttackOutcome {
  return {
    name,
    attack: kind,
    loss: 'crossEntropy',
    gradient: 'true',
    steps: 10,
    oracleCallsPerExample: 11,
    autoAttack: false,
    attacked: Uint8Array.from(attacked),
    fooled: Uint8Array.from(fooled),
    broken: 0,
    robustnessAfter: 0,
  };
}

/** The evaluation of examples [from, to), with its aggregates and sanity checks filled the way evaluateModel fills them. */
function evaluationOf(from: number, to: number, sanityValue: number): EvalResult {
  const slice = (a: number[]) => a.slice(from, to);
  const result = deriveTotals({
    accuracy: 0.7,
    robustness: 0,
    testExamples: 10,
    attackedExamples: to - from,
    robustCorrect: new Uint8Array(0),
    cleanCorrect: Uint8Array.from(slice(CLEAN)),
    cleanCorrectAll: Uint8Array.from([...CLEAN, 0, 1, 0, 1]),
    firstExample: from,
    labels: Int32Array.from(slice([3, 1, 4, 1, 5, 9])),
    cleanPrediction: Int32Array.from(slice([3, 1, 4, 2, 5, 9])),
    suite: 'standard',
    epsilon: 0.3,
    numClasses: 10,
    attacks: [
      attack('PGD-10', 'pgd', slice(CLEAN), slice(PGD_FOOLED)),
      attack('APGD-CE', 'apgd', slice(APGD_RAN), slice(APGD_FOOLED)),
    ],
    worstCorrect: new Uint8Array(0),
    robustnessWorst: 0,
    cascade: true,
    deadGradient: Uint8Array.from(slice([0, 0, 1, 0, 0, 0])),
    sanity: [],
    sanityExamples: Math.min(2, to - from),
    sanityOracleCallsPerExample: 3,
  });
  const { cleanCorrect, deadGradient, worstCorrect } = result;
  return {
    ...result,
    sanity: [
      prefixCheck(sanityValue),
      ...wholeEvaluationChecks({ cleanCorrect, deadGradient, paperFooled: result.attacks[0].fooled, worstCorrect }),
    ],
  };
}

// Sanity checks ran on each shard's own prefix: the first shard's prefix (value 1) is the unsharded one's.
const UNSHARDED = evaluationOf(0, 6, 1);
const SHARDS = [evaluationOf(0, 4, 1), evaluationOf(4, 6, 7)];

test('merging two shards gives exactly the unsharded evaluation', () => {
  const merged = mergeEvalResults(SHARDS);
  assert.deepEqual(merged, UNSHARDED);
  assert.equal(merged.robustness, 3 / 6);
  assert.equal(merged.robustnessWorst, 2 / 6);
  assert.deepEqual(
    merged.attacks.map((a) => [a.broken, a.robustnessAfter]),
    [
      [2, 3 / 6],
      [1, 2 / 6],
    ],
  );
  assert.ok(merged.labels instanceof Int32Array, 'per-example arrays keep their element type');
});

test('the sanity checks over every example are those of the unsharded evaluation, not of the first shard', () => {
  const merged = mergeEvalResults(SHARDS);
  const gap = (e: EvalResult) => e.sanity.find((c) => c.name === 'pgd-gap')!;
  // Shard 1 alone: PGD leaves 2 of 4 standing, the suite 1 of 4 (gap 1/4); all six: 3 and 2 of 6 (gap 1/6).
  assert.equal(gap(SHARDS[0]).value, 1 / 4);
  assert.equal(gap(merged).value, 3 / 6 - 2 / 6);
  assert.match(merged.sanity.find((c) => c.name === 'dead-gradient')!.detail, /of 6 attacked examples/);
  assert.deepEqual(
    merged.sanity.map((c) => c.name),
    ['large-epsilon', 'dead-gradient', 'pgd-gap'],
  );
  assert.deepEqual(merged.sanity, UNSHARDED.sanity);
});

test('shards read back from their JSON files merge to the same evaluation', () => {
  const fromFiles = SHARDS.map((s) => decodeTyped(JSON.parse(JSON.stringify(encodeTyped(s)))) as EvalResult);
  assert.deepEqual(mergeEvalResults(fromFiles), mergeEvalResults(SHARDS));
});

test('a field with no merge rule stops the merge, naming the field', () => {
  const withNew = SHARDS.map((s) => ({ ...s, confidence: new Float32Array(s.attackedExamples) }));
  assert.throws(() => mergeEvalResults(withNew), /EvalResult\.confidence has no merge rule/);
  const attackWithNew = SHARDS.map((s) => ({
    ...s,
    attacks: s.attacks.map((a) => ({ ...a, margin: new Float32Array(s.attackedExamples) })),
  }));
  assert.throws(() => mergeEvalResults(attackWithNew), /attacks\[0\]\.margin has no merge rule/);
});

test("a per-example array whose length is not the shard's example count stops the merge", () => {
  const short = [SHARDS[0], { ...SHARDS[1], labels: Int32Array.from([5]) }];
  assert.throws(() => mergeEvalResults(short), /EvalResult\.labels is not a per-example array/);
});
