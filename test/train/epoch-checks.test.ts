import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkLearning, checkLoss, decideOverfit, TrainingFailed } from '../../src/train/epoch-checks';
import type { EpochLog } from '../../src/train/train-position';

const log = (epoch: number, adversarialAccuracy: number, heldOutRobustness?: number): EpochLog => ({
  epoch,
  loss: 2.3,
  adversarialAccuracy,
  learningRate: 0.1,
  epsilon: 0.1,
  seconds: 1,
  ...(heldOutRobustness === undefined ? {} : { heldOutRobustness }),
});

// nan-loss: only a non-finite loss stops the unit, with the last finite loss and the fix.
const LOSSES: Array<{ loss: number; message?: RegExp }> = [
  { loss: 2.3 },
  { loss: 0 },
  { loss: NaN, message: /row "r", epoch 2, step 8: training loss is NaN \(last finite 1\.2500 at step 7\)/ },
  { loss: Infinity, message: /training loss is Infinity/ },
];
for (const { loss, message } of LOSSES) {
  test(`a training loss of ${loss} ${message ? 'stops the unit as nan-loss' : 'goes on'}`, () => {
    const failed = checkLoss(loss, {
      runId: 'r',
      epoch: 1,
      step: 7,
      learningRate: 0.2,
      lastFinite: { loss: 1.25, step: 6 },
      adversarialAccuracy: 0.4,
    });
    if (!message) return assert.equal(failed, undefined);
    assert.ok(failed instanceof TrainingFailed);
    assert.equal(failed.code, 'nan-loss');
    assert.match(failed.message, message);
    assert.match(failed.fix, /train\.schedule\.learningRate=0\.05/); // 0.2 / 4
    assert.deepEqual(failed.numbers, { epoch: 2, step: 8, loss: 1.25, adversarialAccuracy: 0.4 });
  });
}

// training-collapsed: 10 classes, chance 10 %, so second-half accuracy below 15 % in a full epoch 1 of >= 20 steps.
const EPOCHS: Array<{ name: string; index: number; steps: number; seen: number; late: number; collapsed: boolean }> = [
  {
    name: 'epoch 1 at 11 % (within 5 points of chance)',
    index: 0,
    steps: 20,
    seen: 20 * 64,
    late: 0.11,
    collapsed: true,
  },
  { name: 'epoch 1 at 16 %', index: 0, steps: 20, seen: 20 * 64, late: 0.16, collapsed: false },
  {
    name: 'epoch 2 at 11 % (only epoch 1 is judged)',
    index: 1,
    steps: 20,
    seen: 20 * 64,
    late: 0.11,
    collapsed: false,
  },
  {
    name: 'a 19-step epoch 1 at 11 % (too short to judge)',
    index: 0,
    steps: 19,
    seen: 19 * 64,
    late: 0.11,
    collapsed: false,
  },
  { name: 'an epoch 1 cut short by --max-steps', index: 0, steps: 20, seen: 10 * 64, late: 0.11, collapsed: false },
];
for (const { name, index, steps, seen, late, collapsed } of EPOCHS) {
  test(`${name} ${collapsed ? 'is' : 'is not'} training-collapsed`, () => {
    const lateSeen = 640;
    const failed = checkLearning(
      log(index + 1, 0.12),
      { seen, lateCorrect: Math.round(late * lateSeen), lateSeen },
      { runId: 'r', index, steps, batchSize: 64, numClasses: 10 },
    );
    if (!collapsed) return assert.equal(failed, undefined);
    assert.equal(failed?.code, 'training-collapsed');
    assert.match(
      failed!.message,
      /row "r", epoch 1: training accuracy over its second half 10\.9% is within 5 points of chance \(10\.0%\)/,
    );
    assert.deepEqual(failed!.numbers, {
      epoch: 1,
      loss: 2.3,
      adversarialAccuracy: 0.12,
      lateAccuracy: 70 / 640,
      chance: 0.1,
    });
  });
}

// stopOnOverfit: held-out robustness 0.45 → 0.05 while training accuracy rose 0.5 → 0.9 is a collapse at epoch 2.
const COLLAPSED = [log(1, 0.5, 0.45), log(2, 0.9, 0.05)];
const OVERFIT: Array<{
  name: string;
  epochs: EpochLog[];
  stopOnOverfit: boolean;
  canRestoreBest: boolean;
  stop: boolean;
  warning?: RegExp;
}> = [
  {
    name: 'a collapse with stopOnOverfit and a best checkpoint stops',
    epochs: COLLAPSED,
    stopOnOverfit: true,
    canRestoreBest: true,
    stop: true,
    warning:
      /epoch 2: catastrophic overfitting, held-out PGD-10 robustness fell from 45\.00% \(epoch 1\)[^]*; stopping at epoch 1's weights$/,
  },
  {
    name: 'a collapse with stopOnOverfit but no best checkpoint goes on and says so',
    epochs: COLLAPSED,
    stopOnOverfit: true,
    canRestoreBest: false,
    stop: false,
    warning: /keeps no best checkpoint: training goes on\)$/,
  },
  {
    name: 'a collapse without stopOnOverfit goes on and names the setting',
    epochs: COLLAPSED,
    stopOnOverfit: false,
    canRestoreBest: true,
    stop: false,
    warning: /set train\.stopOnOverfit=true/,
  },
  {
    name: 'a rising held-out robustness neither warns nor stops',
    epochs: [log(1, 0.5, 0.3), log(2, 0.6, 0.4)],
    stopOnOverfit: true,
    canRestoreBest: true,
    stop: false,
  },
];
for (const { name, epochs, stopOnOverfit, canRestoreBest, stop, warning } of OVERFIT) {
  test(name, () => {
    const verdict = decideOverfit(epochs, undefined, { runId: 'r', stopOnOverfit, canRestoreBest });
    assert.equal(verdict.stop, stop);
    if (warning) assert.match(verdict.warning ?? '', warning);
    else assert.equal(verdict.warning, undefined);
    if (warning) assert.doesNotMatch(verdict.warning ?? '', stop ? /goes on/ : /stopping/);
  });
}

test('a collapse is warned about once: the next epoch keeps the flag and says nothing', () => {
  const first = decideOverfit(COLLAPSED, undefined, { runId: 'r', stopOnOverfit: false, canRestoreBest: false });
  assert.equal(first.overfit?.collapsedAtEpoch, 2);
  const next = decideOverfit([...COLLAPSED, log(3, 0.95, 0.04)], first.overfit, {
    runId: 'r',
    stopOnOverfit: false,
    canRestoreBest: false,
  });
  assert.deepEqual([next.overfit?.collapsedAtEpoch, next.overfit?.bestEpoch, next.warning], [2, 1, undefined]);
});

test('without held-out measurements there is no verdict', () => {
  assert.deepEqual(
    decideOverfit([log(1, 0.5), log(2, 0.9)], undefined, { runId: 'r', stopOnOverfit: true, canRestoreBest: true }),
    { overfit: undefined, isBest: false, stop: false },
  );
});
