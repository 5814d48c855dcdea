import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PRESETS } from '../../../configs/presets';
import { DATASETS } from '../../../src/data/registry';
import { EVAL_SUITES } from '../../../src/eval/suites';
import { INIT_SCHEMES } from '../../../src/nn/init';
import { MODELS } from '../../../src/nn/models';
import { SCHEDULE_FIELDS } from '../../../src/train/schedule';
import { configHash } from '../../../src/experiment/config/config-hash';
import { presetProblems, validatePreset } from '../../../src/experiment/config/validate';
import type { Preset } from '../../../src/experiment/config/types';
import fig3 from '../../../configs/fig3';

const smoke: Preset = PRESETS.smoke;

/** A copy of smoke with one value written at a dot-path (the test's own writer, so it does not test itself). */
function withValue(path: string, value: unknown): unknown {
  const copy = structuredClone(smoke) as unknown as Record<string, Record<string, unknown>>;
  const parts = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  if (value === undefined) delete node[parts[parts.length - 1]];
  else node[parts[parts.length - 1]] = value;
  return copy;
}

// Each registry's every name is accepted where the preset names one; a misspelling gets the closest name.
const REGISTRY_FIELDS: Array<[string, readonly string[], (name: string) => unknown]> = [
  [
    'dataset.name',
    Object.keys(DATASETS),
    (name) =>
      withValue(
        'dataset',
        name === 'glyphs'
          ? { name, trainSize: 10, testSize: 10 }
          : name === 'imagenet'
            ? { name, imageSize: 64 }
            : { name },
      ),
  ],
  ['model.name', Object.keys(MODELS), (name) => withValue('model.name', name)],
  ['model.init', Object.keys(INIT_SCHEMES), (name) => withValue('model.init', name)],
  ['eval.suite', Object.keys(EVAL_SUITES), (name) => withValue('eval.suite', name)],
  [
    'train.schedule.kind',
    Object.keys(SCHEDULE_FIELDS),
    (kind) =>
      withValue('train.schedule', {
        kind,
        ...Object.fromEntries(
          (SCHEDULE_FIELDS[kind as keyof typeof SCHEDULE_FIELDS] ?? []).map((f) => [f, f === 'milestones' ? [1] : 0.5]),
        ),
      }),
  ],
];
for (const [path, names, presetNaming] of REGISTRY_FIELDS) {
  test(`${path} accepts every name of its registry (${names.join(', ')}) and answers a misspelling with the closest`, () => {
    for (const name of names) assert.deepEqual(presetProblems(presetNaming(name)), [], name);
    const misspelt = `${names[0]}x`;
    const [problem] = presetProblems(presetNaming(misspelt));
    assert.match(
      problem,
      new RegExp(
        `^${path.replace(/\./g, '\\.')}: unknown .* "${misspelt}"; did you mean "${names[0]}"\\? Known: ${names.join(', ')}\\.$`,
      ),
    );
  });
}

const BAD_VALUES: Array<[string, unknown, RegExp]> = [
  ['epsilon', 1.5, /^epsilon: expected a number >= 0 and <= 1, got 1\.5$/],
  ['epsilon', Number.NaN, /^epsilon: expected a number, got NaN$/],
  ['model.width', 0, /^model\.width: expected a number > 0 and <= 8, got 0$/],
  ['train.epochs', 1.5, /^train\.epochs: expected an integer >= 1, got 1\.5$/],
  ['train.nesterov', 'yes', /^train\.nesterov: expected true or false, got "yes"$/],
  [
    'train.attack.batchNorm',
    'runing',
    /^train\.attack\.batchNorm: unknown batch-norm mode "runing"; did you mean "running"\?/,
  ],
  ['train.attack.steps', undefined, /^train\.attack\.steps: missing \(expected a number\)$/],
  [
    'train.schedule',
    { kind: 'cosine', learningRate: 0, warmupEpochs: 0 },
    /^train\.schedule\.learningRate: expected a number > 0, got 0$/,
  ],
  ['dataset', 'mnist', /^dataset: expected an object, got "mnist"$/],
  ['eval.examples', 0, /^eval\.examples: expected an integer >= 1, got 0$/],
];
for (const [path, value, message] of BAD_VALUES) {
  test(`${path} = ${String(value)} is refused with its dot-path and the valid range`, () => {
    const problems = presetProblems(withValue(path, value));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], message);
  });
}

test('the guard rule spans two fields: stopping on overfitting needs the guard on', () => {
  const preset = withValue('train', { ...smoke.train, stopOnOverfit: true, overfitCheckExamples: 0 });
  assert.deepEqual(presetProblems(preset), [
    'train.stopOnOverfit: needs the guard, but train.overfitCheckExamples is 0',
  ]);
});

test('unknown keys get one line each, with the closest known key of their own object', () => {
  const preset = { ...smoke, epsilonn: 0.1, eval: { ...smoke.eval, step: 1, suit: 'light' } };
  assert.deepEqual(presetProblems(preset), [
    'eval.step: unknown key; did you mean "steps"? Known: examples, batchSize, steps, stepSizeFactor, randomStart, suite.',
    'eval.suit: unknown key; did you mean "suite"? Known: examples, batchSize, steps, stepSizeFactor, randomStart, suite.',
    'epsilonn: unknown key; did you mean "epsilon"? Known: description, expectedWallTime, dataset, model, epsilon, train, eval, seeds.',
  ]);
});

test('every problem is listed in one user error (exit 2) prefixed by where the preset came from', () => {
  const preset = { ...smoke, epsilon: -1, model: { ...smoke.model, width: 9 } };
  assert.throws(
    () => validatePreset(preset, 'my-preset.ts', 'correct my-preset.ts'),
    (e: Error & { code?: string; fix?: string }) =>
      e.code === 'invalid-config' &&
      e.fix === 'correct my-preset.ts' &&
      /^my-preset\.ts: 2 problem\(s\):\n {2}- model\.width: .*\n {2}- epsilon: /.test(e.message),
  );
});

test('checking returns the preset itself: nothing added or reordered, so its config hash stays its own', () => {
  for (const preset of Object.values(PRESETS) as Preset[]) {
    const before = JSON.stringify(preset);
    const hash = configHash({ preset, run: fig3.runs[0], seed: 0, maxSteps: 0 });
    assert.equal(validatePreset(preset, 'preset'), preset);
    assert.equal(JSON.stringify(preset), before);
    assert.equal(configHash({ preset, run: fig3.runs[0], seed: 0, maxSteps: 0 }), hash);
  }
});
