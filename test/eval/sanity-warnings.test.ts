import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { experimentSanitySummary, sanityWarnings, type EvaluatedUnit } from '../../src/eval/sanity-warnings';
import type { SanityCheck } from '../../src/eval/sanity';

const check = (name: SanityCheck['name'], passed: boolean, value = 0): SanityCheck => ({
  name,
  passed,
  value,
  limit: 0.02,
  detail: `${name} detail`,
});
const base = {
  robustness: 0.52,
  robustnessWorst: 0.285,
  attacks: [{ name: 'pgd-200', steps: 200 }] as never,
  suite: 'light' as const,
  accuracy: 0.9,
  numClasses: 10,
};
const DOCS = /\(docs\/evaluation\.md, section "Sanity checks"\)$/;

test('pgd-gap and gradient-masking give one warning that names the attack as it ran, says by how much it overstates and which column to cite', () => {
  const lines = sanityWarnings(
    {
      ...base,
      sanity: [check('pgd-gap', false, 0.235), check('gradient-masking', false, 0.065), check('dead-gradient', true)],
    },
    'relu-relu/seed-0',
  );
  assert.equal(lines.length, 1);
  assert.match(
    lines[0],
    /^warning \[sanity:pgd-gap\+gradient-masking\] relu-relu\/seed-0: PGD-200 \(robustness 52\.00 %\) overstates robustness by 23\.50 pts: the worst case over the light suite gives 28\.50 % \(robustness_worst\); gradient masking: the smoothed-gradient PGD alone broke 6\.50 pts/,
  );
  assert.match(lines[0], /cite robustness_worst, or run `sat-bench eval <run> --attack autoattack`/);
  assert.match(lines[0], DOCS);
  assert.doesNotMatch(lines[0], /the paper's/);
});

test('with AutoAttack in the suite the warning cites robustness_aa; other failed checks keep a line each, pointing at the docs', () => {
  const lines = sanityWarnings(
    {
      ...base,
      robustnessAa: 0.125,
      sanity: [check('pgd-gap', false, 0.3), check('large-epsilon', false), check('step-monotone', false)],
    },
    'r',
  );
  assert.equal(lines.length, 3);
  assert.match(
    lines[0],
    /overstates robustness by 39\.50 pts: AutoAttack \(after it\) gives 12\.50 % \(robustness_aa\)\. cite robustness_aa/,
  );
  assert.match(lines[1], /^warning \[sanity:large-epsilon\] r: large-epsilon detail; expected: /);
  assert.match(lines[1], DOCS);
  assert.deepEqual(sanityWarnings({ ...base, sanity: [check('pgd-gap', true)] }, 'r'), []);
});

test('a short PGD (smoke: PGD-5) gives no per-unit gap warning: the experiment summary says it once', () => {
  const short = { ...base, attacks: [{ name: 'pgd-5', steps: 5 }] as never, suite: 'smoke' as const };
  assert.deepEqual(
    sanityWarnings(
      { ...short, sanity: [check('pgd-gap', false, 0.2), check('gradient-masking', false, 0.03)] },
      'relu-relu seed 0',
    ),
    [],
  );
});

test('a clean accuracy at chance gets its own warning, whatever else passed', () => {
  // 10 classes: flagged up to 1.5 × 10 % = 15 %.
  const [line] = sanityWarnings({ ...base, accuracy: 0.0898, sanity: [check('pgd-gap', true)] }, 'relu-relu seed 0');
  assert.match(
    line,
    /^warning \[sanity:chance-accuracy\] relu-relu seed 0: clean accuracy 8\.98 % is at chance \(10 classes: at most 1\.5 × 10\.00 %\)/,
  );
  assert.deepEqual(sanityWarnings({ ...base, accuracy: 0.16, sanity: [] }, 'r'), []);
});

const unit = (evalSteps: number, gap: number, masking = false): EvaluatedUnit => ({
  evalSteps,
  evaluation: {
    suite: 'smoke',
    robustness: 0.7,
    robustnessWorst: 0.7 - gap,
    sanity: { checks: [check('pgd-gap', gap <= 0.02, gap), check('gradient-masking', !masking, 0.03)] },
  },
});

test('the experiment summary counts the units with a PGD gap under a short PGD, with the range and the attack as it ran', () => {
  const lines = experimentSanitySummary('table1', [
    unit(5, 0.2031, true),
    unit(5, 0.2188),
    unit(5, 0.1875, true),
    unit(5, 0.01),
  ]);
  assert.equal(lines.length, 1);
  assert.match(
    lines[0],
    /^warning \[sanity:pgd-gap\] table1: 3 of 4 units show a PGD gap: the smoke suite breaks 18\.75–21\.88 pts that PGD-5 left standing; 2 of them also show gradient masking\. Expected with a PGD-5 evaluation \(the paper's is PGD-200\): cite robustness_worst/,
  );
  assert.match(lines[0], DOCS);
  assert.deepEqual(experimentSanitySummary('table1', [unit(200, 0.2)]), [], 'PGD-200 units warn one by one');
  assert.deepEqual(experimentSanitySummary('table1', [unit(5, 0.01)]), []);
});
