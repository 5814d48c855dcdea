import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PRESETS } from '../../configs/presets';
import { validatePreset } from '../../src/experiment/validate';
import type { Preset } from '../../src/experiment/types';

for (const [name, preset] of Object.entries(PRESETS)) {
  test(`preset ${name} passes validation`, () => validatePreset(preset, `preset ${name}`));
}

test('only the multi-seed preset trains several seeds by default; the others keep one', () => {
  const multi = Object.entries(PRESETS).filter(([, p]) => ((p as Preset).seeds ?? [0]).length > 1).map(([name]) => name);
  assert.deepEqual(multi, ['mnist-single-step']);
});

const BAD_SEEDS: Array<[unknown, RegExp]> = [
  [[], /seeds: expected a non-empty list of seeds, got \[\]/],
  [[0, 0], /seeds: expected distinct seeds, got \[0,0\]/],
  [[1, -1], /seeds\[1\]: expected an integer >= 0, got -1/],
  [[0.5], /seeds\[0\]: expected an integer >= 0, got 0.5/],
];
for (const [seeds, message] of BAD_SEEDS) {
  test(`a preset seed list ${JSON.stringify(seeds)} is rejected, naming the bad entry`, () => {
    assert.throws(() => validatePreset({ ...PRESETS.smoke, seeds } as Preset, 'preset smoke'), message);
  });
}
