import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fig3 from '../../../configs/fig3';
import { PRESETS } from '../../../configs/presets';
import { canonicalJson, configHash, type UnitConfig } from '../../../src/experiment/config/config-hash';
import { runExperiment, type RunRequest } from '../../../src/experiment/orchestration/run-experiment';
import type { ExperimentConfig, Preset } from '../../../src/experiment/config/types';
import { setupTestBackend } from '../../helpers/backend';
import { tempDir } from '../../helpers/cli';
import { TINY_PRESET } from '../../helpers/tiny-preset';

const unit: UnitConfig = { preset: PRESETS.smoke, run: fig3.runs[0], seed: 0, maxSteps: 0 };

test('prose (preset description, wall-time note, run label, paper numbers) does not change the hash', () => {
  const reworded: UnitConfig = {
    ...unit,
    preset: { ...unit.preset, description: 'reworded', expectedWallTime: 'a while' },
    run: { ...unit.run, label: 'Rectified linear unit', paper: { accuracy: 1, robustness: 2 } },
  };
  assert.equal(configHash(reworded), configHash(unit));
});

const NUMERIC_CHANGES: Array<[string, (c: UnitConfig) => UnitConfig]> = [
  ['the data', (c) => ({ ...c, preset: { ...c.preset, dataset: { name: 'glyphs', trainSize: 100, testSize: 50 } } })],
  ['the model width', (c) => ({ ...c, preset: { ...c.preset, model: { ...c.preset.model, width: 0.5 } } })],
  ['ε', (c) => ({ ...c, preset: { ...c.preset, epsilon: 0.2 } })],
  [
    'the learning rate',
    (c) => ({
      ...c,
      preset: {
        ...c.preset,
        train: { ...c.preset.train, schedule: { ...c.preset.train.schedule, learningRate: 0.01 } },
      },
    }),
  ],
  ['the evaluation', (c) => ({ ...c, preset: { ...c.preset, eval: { ...c.preset.eval, examples: 10 } } })],
  ['the attacker backward', (c) => ({ ...c, run: { ...c.run, backward: { ...c.run.backward, attack: 'psoftplus' } } })],
  ['the seed', (c) => ({ ...c, seed: 1 })],
];
for (const [what, change] of NUMERIC_CHANGES) {
  test(`changing ${what} changes the hash`, () => assert.notEqual(configHash(change(unit)), configHash(unit)));
}

test('key order never matters, and keys sort by code unit whatever the locale', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: 2, c: 3 } }), canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  // Code units put every upper-case letter before any lower-case one; localeCompare ('en') would give a, B, c.
  assert.equal(canonicalJson({ c: 0, a: 0, B: 0 }), '{"B":0,"a":0,"c":0}');
});

const tiny = TINY_PRESET; // 3 steps (maxSteps below), 16 evaluated examples: seconds
let backend = '';
before(async () => {
  backend = await setupTestBackend();
});
const request = (experiment: ExperimentConfig, outDir: string, preset: Preset): RunRequest => ({
  experiment,
  outDir,
  presetName: 'smoke',
  preset,
  seeds: [0],
  backend,
  runs: ['relu'],
  maxSteps: 3,
  force: false,
  estimate: false,
});

test('a finished run is kept when only prose changed, and refused without --force when the recipe changed', async () => {
  const out = tempDir('hash-guard');
  const first = await runExperiment(request(fig3, out, tiny));
  assert.deepEqual(first.ranNow, ['relu seed 0']);
  const relabelled: ExperimentConfig = {
    ...fig3,
    title: 'renamed',
    runs: fig3.runs.map((r) => ({ ...r, label: `${r.label}!`, paper: { accuracy: 0, robustness: 0 } })),
  };
  const reworded = await runExperiment(
    request(relabelled, out, { ...tiny, description: 'new words', expectedWallTime: 'new estimate' }),
  );
  assert.deepEqual(reworded.ranNow, [], 'nothing retrained');
  await assert.rejects(
    runExperiment(
      request(fig3, out, {
        ...tiny,
        train: { ...tiny.train, schedule: { ...tiny.train.schedule, learningRate: 0.01 } },
      }),
    ),
    /made with another config/,
  );
});
