import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveExperiment, resolvePreset } from '../../../src/experiment/config/resolve';
import { checkSweep, expandSweep, presetForRun } from '../../../src/experiment/config/sweep';
import { REPO_ROOT, tempDir } from '../../helpers/cli';

/** Writes a config file into a fresh folder outside the repository and returns its path. */
function writeConfig(name: string, text: string): string {
  const file = path.join(tempDir('config'), name);
  fs.writeFileSync(file, text);
  return file;
}

const EXPERIMENT = (runs: string, extra = '') => `
import { defineExperiment } from 'sat-bench';
export default defineExperiment({
  id: 'mine', title: 'mine', layout: 'backward-pair', baseline: 'a',${extra}
  runs: [${runs}],
});
`;
const RUN_A = `{ id: 'a', label: 'A', forward: 'relu', backward: { attack: 'relu', train: 'relu' } }`;

test('an experiment file outside the repository loads, with paper numbers left out and settings normalised', async () => {
  const file = writeConfig(
    'ok.ts',
    EXPERIMENT(
      `${RUN_A}, { id: 'b', label: 'B', forward: 'relu', backward: { attack: { name: 'psoftplus', sharpness: 10 }, train: { name: 'psoftplus', sharpness: 5 } } }`,
    ),
  );
  const experiment = await resolveExperiment(file);
  assert.equal(experiment.id, 'mine');
  assert.equal(experiment.runs[1].backward.attack, 'psoftplus', 'the default sharpness is the plain name');
  assert.deepEqual(experiment.runs[1].backward.train, { name: 'psoftplus', sharpness: 5 });
});

const BAD_EXPERIMENTS: Array<[string, string, RegExp]> = [
  [
    'a misspelt activation',
    EXPERIMENT(`{ id: 'a', label: 'A', forward: 'relu', backward: { attack: 'psoftpluss', train: 'relu' } }`),
    /bad\.ts: 1 problem\(s\):\n {2}- runs\[0\]\.backward\.attack: unknown activation "psoftpluss"; did you mean "psoftplus"\? Known: relu, psoftplus, softplus, smoothrelu, gelu, elu, silu\./,
  ],
  [
    'an ill-typed paper number',
    EXPERIMENT(
      `{ id: 'a', label: 'A', forward: 'relu', backward: { attack: 'relu', train: 'relu' }, paper: { accuracy: 'high', robustness: 3 } }`,
    ),
    /bad\.ts: 1 problem\(s\):\n {2}- runs\[0\]\.paper\.accuracy: expected a number, got "high"/,
  ],
  [
    'an unknown setting',
    EXPERIMENT(
      `{ id: 'a', label: 'A', forward: 'relu', backward: { attack: { name: 'psoftplus', alpha: 5 }, train: 'relu' } }`,
    ),
    /runs\[0\]\.backward\.attack\.alpha: psoftplus has no setting "alpha"; its settings: sharpness/,
  ],
  [
    'a misspelt key and a missing baseline',
    EXPERIMENT(RUN_A).replace("baseline: 'a'", "baseline: 'b', sweeps: {}"),
    /2 problem\(s\):\n {2}- sweeps: unknown key; did you mean "sweep"\?[\s\S]*- baseline: "b" is not one of the run ids/,
  ],
  [
    'an activation whose derivative is wrong',
    EXPERIMENT(
      `{ id: 'a', label: 'A', forward: 'relu', backward: { attack: 'bad', train: 'relu' } }`,
      `\n  activations: { bad: { description: 'softplus, derivative of relu', value: (x: any) => x.softplus(), derivative: (x: any) => x.step() } },`,
    ),
    /runs\[0\]\.backward\.attack: bad: derivative\(-3\) = 0\.000, but finite differences of value give 0\.04\d+; fix activations\.bad\.derivative/,
  ],
  [
    'a built-in name redefined',
    EXPERIMENT(
      RUN_A,
      `\n  activations: { relu: { description: 'mine', value: (x: any) => x, derivative: (x: any) => x } },`,
    ),
    /activations\.relu: "relu" is a built-in activation; give yours another name/,
  ],
];
for (const [what, text, message] of BAD_EXPERIMENTS) {
  test(`an experiment file with ${what} is refused, naming the file and the dot-path`, async () => {
    await assert.rejects(resolveExperiment(writeConfig('bad.ts', text)), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'invalid-config');
      assert.match(error.message, message);
      return true;
    });
  });
}

const PRESET = (change: string) => `
import { definePreset, PRESETS } from 'sat-bench';
export default definePreset({ ...PRESETS.smoke, ${change} });
`;

test('a preset file spreads a built-in and changes a value', async () => {
  const resolved = await resolvePreset(writeConfig('eps3.ts', PRESET('epsilon: 0.3')), ['train.epochs=1']);
  assert.equal(resolved.name, 'eps3');
  assert.equal(resolved.preset.epsilon, 0.3);
  assert.equal(resolved.preset.train.epochs, 1);
});

const BAD_PRESETS: Array<[string, string, RegExp]> = [
  [
    'an ill-typed field',
    "train: { ...PRESETS.smoke.train, epochs: 'two' }",
    /bad-preset\.ts: 1 problem\(s\):\n {2}- train\.epochs: expected a number, got "two"/,
  ],
  ['a misspelt key', 'epsilonn: 0.2', /epsilonn: unknown key; did you mean "epsilon"\?/],
  [
    'an unknown schedule',
    "train: { ...PRESETS.smoke.train, schedule: { kind: 'cosin', learningRate: 0.1 } }",
    /train\.schedule\.kind: unknown schedule "cosin"; did you mean "cosine"\? Known: constant, step, cosine, oneCycle/,
  ],
  [
    'an unknown model',
    "model: { ...PRESETS.smoke.model, name: 'smallcn' }",
    /model\.name: unknown model "smallcn"; did you mean "smallcnn"\?/,
  ],
  [
    'the old eval.stepSize key',
    'eval: { ...PRESETS.smoke.eval, stepSize: 0.025 }',
    /eval\.stepSize: unknown key; Known: examples, batchSize, steps, stepSizeFactor, randomStart, suite\./,
  ],
];
for (const [what, change, message] of BAD_PRESETS) {
  test(`a preset file with ${what} is refused, naming the file and the dot-path`, async () => {
    await assert.rejects(resolvePreset(writeConfig('bad-preset.ts', PRESET(change)), []), message);
  });
}

test('a name that is neither built-in nor a file is refused with the built-in choices', async () => {
  await assert.rejects(resolveExperiment('tabel1'), /unknown experiment "tabel1"/);
  await assert.rejects(resolvePreset('smok', []), (error: Error & { fix?: string }) =>
    /did you mean "smoke"\?/.test(error.fix ?? ''),
  );
});

test('--set replaces a whole object from JSON: a cosine preset switched to oneCycle', async () => {
  const { preset } = await resolvePreset('smoke', [
    'train.schedule={"kind":"oneCycle","learningRate":0.05,"peakFraction":0.4}',
  ]);
  assert.deepEqual(preset.train.schedule, { kind: 'oneCycle', learningRate: 0.05, peakFraction: 0.4 });
});

const BAD_SETS: Array<[string, RegExp]> = [
  [
    'train.schedule={"kind":"oneCycle","learningRate":0.05}',
    /preset smoke with --set: 1 problem\(s\):\n {2}- train\.schedule\.peakFraction: missing \(a oneCycle schedule needs learningRate, peakFraction\)/,
  ],
  [
    'train.schedule={"kind":"oneCycle","learningRate":"fast","peakFraction":0.4}',
    /train\.schedule\.learningRate: expected a number, got "fast"/,
  ],
  ['train.schedule=oneCycle', /--set train\.schedule=oneCycle: train\.schedule is an object, expected it as JSON/],
  ['train.attack={"steps":1}', /train\.attack\.stepSizeFactor: missing/],
];
for (const [assignment, message] of BAD_SETS) {
  test(`--set ${assignment} is refused with the dot-path`, async () => {
    await assert.rejects(resolvePreset('smoke', [assignment]), message);
  });
}

test('the shipped sweep experiments load as files and sweep the presets they are written for', async () => {
  const configs = path.join(REPO_ROOT, 'configs');
  for (const [file, preset, points] of [
    ['table1-eps.ts', 'mnist', [0.1, 0.2, 0.3]],
    ['table1-eps-single-step.ts', 'mnist-single-step', [0.1, 0.2, 0.3, 0.4]],
  ] as const) {
    const experiment = await resolveExperiment(path.join(configs, file));
    assert.deepEqual(experiment.sweep, { epsilon: points }, file);
    const { preset: resolved } = await resolvePreset(preset, []);
    checkSweep(experiment, resolved, file);
    const expanded = expandSweep(experiment);
    assert.equal(expanded.runs.length, 4 * points.length, file);
    assert.deepEqual(
      expanded.runs.map((run) => presetForRun(resolved, run).epsilon),
      points.flatMap((eps) => [eps, eps, eps, eps]),
      file,
    );
  }
});

test('a sweep key that is not a preset key gets the closest one; the dataset cannot be swept', async () => {
  const { preset } = await resolvePreset('smoke', []);
  const table1 = await resolveExperiment('table1');
  assert.throws(
    () => checkSweep({ ...table1, sweep: { epsilom: [0.1], 'dataset.name': ['mnist'] } }, preset, 'mine.ts'),
    (e: Error & { code?: string }) =>
      e.code === 'invalid-config' &&
      /^mine\.ts: 2 problem\(s\):\n {2}- sweep\.epsilom: not a key of the preset; did you mean "epsilon"\?/.test(
        e.message,
      ) &&
      /- sweep\.dataset\.name: the dataset cannot be swept/.test(e.message),
  );
});

test('every sweep point is checked against the preset schema, named by its point', async () => {
  const { preset } = await resolvePreset('smoke', []);
  const table1 = await resolveExperiment('table1');
  assert.throws(
    () => checkSweep({ ...table1, sweep: { epsilon: [0.1, 2] } }, preset, 'mine.ts'),
    /mine\.ts at sweep point epsilon=2: 1 problem\(s\):\n {2}- epsilon: expected a number >= 0 and <= 1, got 2/,
  );
});
