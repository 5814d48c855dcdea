import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PRESETS } from '../../../configs/presets';
import { withEvalStepFactor } from '../../../src/experiment/store/checkpoint';
import type { Preset } from '../../../src/experiment/config/types';

test("an old checkpoint's absolute eval.stepSize becomes the same step as a multiple of ε", () => {
  const { stepSizeFactor, ...rest } = PRESETS.smoke.eval;
  const old = { ...PRESETS.smoke, eval: { ...rest, stepSize: 0.025 } } as unknown as Preset;
  // 0.025 / ε 0.1 = 0.25, and the old key is gone.
  assert.deepEqual(withEvalStepFactor(old).eval, { ...PRESETS.smoke.eval, stepSizeFactor: 0.25 });
  assert.equal(stepSizeFactor, 0.25);
  assert.equal(withEvalStepFactor(PRESETS.smoke), PRESETS.smoke);
});
