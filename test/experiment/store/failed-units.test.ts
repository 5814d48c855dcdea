import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeFailure, type FailedUnit } from '../../../src/experiment/store/failed-units';
import { readFailure, writeFailure } from '../../../src/experiment/store/seed-folder';

const base = { experiment: 'fig3', run: 'silu', seed: 1, configHash: 'h', message: 'm' };
const CASES: Array<{ name: string; failure: FailedUnit; text: string }> = [
  {
    name: 'a collapse',
    failure: {
      ...base,
      code: 'training-collapsed',
      numbers: { epoch: 1, loss: 2.30261, adversarialAccuracy: 0.114, lateAccuracy: 0.109, chance: 0.1 },
    },
    text: 'training-collapsed (seed 1, epoch 1: loss 2.3026, adversarial accuracy 11.4%, second half 10.9%, chance 10.0%)',
  },
  {
    // NaN at the very first step: no finite loss before it.
    name: 'a NaN loss at the first step',
    failure: { ...base, code: 'nan-loss', numbers: { epoch: 1, step: 1, loss: NaN, adversarialAccuracy: 0 } },
    text: 'nan-loss (seed 1, epoch 1 step 1: last finite loss none, adversarial accuracy 0.0%)',
  },
];
for (const { name, failure, text } of CASES) {
  test(`${name} is described with its epoch's numbers, also after a round trip through failed.json`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sat-bench-failed-'));
    writeFailure(dir, failure);
    assert.equal(describeFailure(failure), text);
    assert.equal(describeFailure(readFailure(dir)!), text);
  });
}
