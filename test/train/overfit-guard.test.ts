import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bestEpochIndex, hasCollapsed } from '../../src/train/overfit-guard';
import type { EpochLog } from '../../src/train/train-position';

const log = (epoch: number, adversarialAccuracy: number, heldOutRobustness: number): EpochLog => ({
  epoch,
  loss: 1,
  adversarialAccuracy,
  learningRate: 0.1,
  epsilon: 0.1,
  seconds: 1,
  heldOutRobustness,
});

const CASES: Array<{ name: string; epochs: EpochLog[]; collapsed: boolean }> = [
  // 0.45 → 0.05: 40 points down while training accuracy rose 0.5 → 0.9 (Wong et al.'s FGSM collapse).
  {
    name: 'a 40-point drop while training accuracy rises',
    epochs: [log(1, 0.5, 0.45), log(2, 0.9, 0.05)],
    collapsed: true,
  },
  // 0.45 → 0.30: 15 points is within the 20-point margin.
  { name: 'a 15-point drop', epochs: [log(1, 0.5, 0.45), log(2, 0.9, 0.3)], collapsed: false },
  // Both fell: the model got worse overall, not overfitted to the training attack.
  { name: 'a drop with falling training accuracy', epochs: [log(1, 0.5, 0.45), log(2, 0.4, 0.05)], collapsed: false },
  { name: 'a single epoch', epochs: [log(1, 0.5, 0.45)], collapsed: false },
];
for (const { name, epochs, collapsed } of CASES) {
  test(`${name} ${collapsed ? 'is' : 'is not'} a collapse`, () => assert.equal(hasCollapsed(epochs), collapsed));
}

test('the best epoch is the first with the highest held-out robustness', () => {
  assert.equal(bestEpochIndex([log(1, 0.5, 0.3), log(2, 0.6, 0.4), log(3, 0.7, 0.4)]), 1);
});
