import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sanityWarnings } from '../../src/eval/sanity-warnings';
import type { SanityCheck } from '../../src/eval/sanity';

const check = (name: SanityCheck['name'], passed: boolean, value = 0): SanityCheck => ({ name, passed, value, limit: 0.02, detail: `${name} detail` });
const base = { robustness: 0.52, robustnessWorst: 0.285, attacks: [{ name: 'pgd-200' }] as never, suite: 'light' as const };

test('pgd-gap and gradient-masking give one warning that says by how much PGD overstates and which column to cite', () => {
  const lines = sanityWarnings({ ...base, sanity: [check('pgd-gap', false, 0.235), check('gradient-masking', false, 0.065), check('dead-gradient', true)] }, 'relu-relu/seed-0');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^warning \[sanity:pgd-gap\+gradient-masking\] relu-relu\/seed-0: the paper's pgd-200 \(robustness 52\.00 %\) overstates robustness by 23\.50 pts: the worst case over the light suite gives 28\.50 % \(robustness_worst\); gradient masking: the smoothed-gradient PGD alone broke 6\.50 pts/);
  assert.match(lines[0], /cite robustness_worst, or run `sat-bench eval <run> --attack autoattack`/);
});

test('with AutoAttack in the suite the warning cites robustness_aa; other failed checks keep a line each', () => {
  const lines = sanityWarnings({ ...base, robustnessAa: 0.125, sanity: [check('pgd-gap', false, 0.3), check('large-epsilon', false), check('step-monotone', false)] }, 'r');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /overstates robustness by 39\.50 pts: AutoAttack \(after it\) gives 12\.50 % \(robustness_aa\)\. cite robustness_aa/);
  assert.match(lines[1], /^warning \[sanity:large-epsilon\] r: large-epsilon detail; expected: /);
  assert.deepEqual(sanityWarnings({ ...base, sanity: [check('pgd-gap', true)] }, 'r'), []);
});
