import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PRESETS } from '../../../configs/presets';
import { DATASETS } from '../../../src/data/registry';
import { resolveSuite } from '../../../src/eval/suites';
import { presetByName } from '../../../src/experiment/config/registry';
import { validatePreset } from '../../../src/experiment/config/validate';
import type { Preset } from '../../../src/experiment/config/types';
import { UserError } from '../../../src/util/errors';

// The absolute steps the presets had before the step became a multiple of ε: ε/40 on glyphs and MNIST, 2/255 at
// ε 8/255, 1/255 at 4/255, 0.1/4 on smoke. Compared in float32, the precision the attack runs at.
const STEPS: Record<keyof typeof PRESETS, number> = {
  smoke: 0.1 / 4,
  quick: (2.5 * 0.2) / 200,
  mnist: 0.2 / 40,
  'mnist-single-step': (2.5 * 0.3) / 200,
  cifar10: 2 / 255,
  imagenet: 1 / 255,
};
for (const [name, step] of Object.entries(STEPS) as Array<[keyof typeof PRESETS, number]>) {
  test(`${name}: the evaluation step is ${step.toPrecision(4)}, as before it became relative`, () => {
    const preset: Preset = PRESETS[name];
    assert.equal(
      Math.fround(resolveSuite(preset.eval, preset.epsilon, 'relu')[0].settings.stepSize),
      Math.fround(step),
    );
  });
}

test('dataset names are checked against the data registry, glyphs included', () => {
  const misspelt = { ...PRESETS.mnist, dataset: { name: 'minst' } } as unknown as Preset;
  const known = Object.keys(DATASETS);
  assert.ok(known.includes('glyphs') && known.includes('mnist'));
  assert.throws(
    () => validatePreset(misspelt, 'preset x'),
    new RegExp(`dataset\\.name: unknown dataset "minst"; did you mean "mnist"\\? Known: ${known.join(', ')}\\.`),
  );
});

test('an unknown preset name is a user error listing the presets', () => {
  assert.throws(
    () => presetByName('quik'),
    (e: Error) =>
      e instanceof UserError && /unknown preset "quik"/.test(e.message) && /did you mean "quick"/.test(e.fix),
  );
});

for (const [name, preset] of Object.entries(PRESETS)) {
  test(`preset ${name} passes validation`, () => {
    validatePreset(preset, `preset ${name}`);
  });
}

test('the single-step presets (the default among them) train several seeds by default; the others keep one', () => {
  const multi = Object.entries(PRESETS)
    .filter(([, p]) => ((p as Preset).seeds ?? [0]).length > 1)
    .map(([name]) => name);
  assert.deepEqual(multi, ['quick', 'mnist-single-step']);
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
