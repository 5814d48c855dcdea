import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PRESETS } from '../../../configs/presets';
import { resolveSuite } from '../../../src/eval/suites';
import { applyOverrides } from '../../../src/experiment/config/overrides';
import type { Preset } from '../../../src/experiment/config/types';

const paperStep = (preset: Preset) => resolveSuite(preset.eval, preset.epsilon, 'relu')[0].settings.stepSize;

test('--set epsilon scales the evaluation step with it', () => {
  // smoke: step ε/4, so 0.1 → 0.025 and 0.3 → 0.075.
  assert.ok(Math.abs(paperStep(PRESETS.smoke) - 0.025) < 1e-12);
  assert.ok(Math.abs(paperStep(applyOverrides(PRESETS.smoke, ['epsilon=0.3'])) - 0.075) < 1e-12);
});

test('--set eval.stepSize is refused as an unknown key, with the known keys', () => {
  assert.throws(
    () => applyOverrides(PRESETS.smoke, ['eval.stepSize=0.01']),
    (e: Error & { code?: string; fix?: string }) =>
      e.code === 'unknown-override-key' &&
      /unknown key "eval\.stepSize"/.test(e.message) &&
      /Known: .*eval\.stepSizeFactor/.test(e.fix ?? ''),
  );
});
