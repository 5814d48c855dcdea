import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PRESETS } from '../../../configs/presets';
import { applyOverrides } from '../../../src/experiment/config/overrides';
import { describeTrainingCut } from '../../../src/experiment/store/training-cut';

// smoke: 2048 training glyphs in batches of 64 = 32 steps per epoch, 2 epochs = 64 steps.
const smoke = PRESETS.smoke;
const cut = (steps: number, maxSteps: number, overrides: string[] = []) =>
  describeTrainingCut({
    steps,
    maxSteps,
    preset: applyOverrides(smoke, overrides),
    reference: smoke,
    overrides,
    trainAvailable:
      applyOverrides(smoke, overrides).dataset.name === 'glyphs'
        ? (applyOverrides(smoke, overrides).dataset as { trainSize: number }).trainSize
        : 0,
  });

const CASES: Array<{
  name: string;
  steps: number;
  maxSteps: number;
  overrides?: string[];
  expected: RegExp | undefined;
}> = [
  {
    name: '--max-steps below the preset',
    steps: 2,
    maxSteps: 2,
    expected: /^training cut at step 2 of 64 \(--max-steps 2\)$/,
  },
  {
    name: 'fewer epochs by --set',
    steps: 32,
    maxSteps: 0,
    overrides: ['train.epochs=1', 'eval.examples=32'],
    expected: /^training cut at step 32 of 64 \(--set train\.epochs=1\)$/,
  },
  {
    name: 'fewer examples by --set',
    steps: 32,
    maxSteps: 0,
    overrides: ['dataset.trainSize=1024'],
    expected: /^training cut at step 32 of 64 \(--set dataset\.trainSize=1024\)$/,
  },
  {
    name: 'a larger batch, same images',
    steps: 32,
    maxSteps: 0,
    overrides: ['train.batchSize=128'],
    expected: undefined,
  },
  {
    name: 'both',
    steps: 6,
    maxSteps: 6,
    overrides: ['train.epochs=1'],
    expected: /^training cut at step 6 of 64 \(--max-steps 6, --set train\.epochs=1\)$/,
  },
  { name: 'a full run', steps: 64, maxSteps: 0, expected: undefined },
  { name: '--max-steps above the preset', steps: 64, maxSteps: 500, expected: undefined },
  {
    name: '--set that does not shorten training',
    steps: 64,
    maxSteps: 0,
    overrides: ['eval.examples=32', 'train.epochs=3'],
    expected: undefined,
  },
];
for (const { name, steps, maxSteps, overrides, expected } of CASES) {
  test(`training cut: ${name} ${expected ? 'is named with what cut it' : 'is not marked'}`, () => {
    const text = cut(steps, maxSteps, overrides);
    if (expected === undefined) assert.equal(text, undefined);
    else assert.match(text ?? '', expected);
  });
}
