import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fig3 from '../../../configs/fig3';
import table1 from '../../../configs/table1';
import table1Eps from '../../../configs/table1-eps';
import { experimentSchema } from '../../../src/experiment/config/experiment-schema';
import { schemaProblems } from '../../../src/experiment/config/format-issues';

const problemsOf = (value: unknown) => schemaProblems(experimentSchema, value);
const RELU_RUN = { id: 'a', label: 'A', forward: 'relu', backward: { attack: 'relu', train: 'relu' } };
const mine = (change: Record<string, unknown>) => ({
  id: 'mine',
  title: 'mine',
  layout: 'backward-pair',
  baseline: 'a',
  runs: [RELU_RUN],
  ...change,
});

test('the shipped experiments conform to the schema', () => {
  for (const experiment of [table1, fig3, table1Eps]) assert.deepEqual(problemsOf(experiment), [], experiment.id);
});

const BAD: Array<[string, Record<string, unknown>, string[]]> = [
  [
    'an id with capitals',
    { id: 'Mine' },
    [`id: ids are lowercase letters, digits and '-' (they name the results folder), got "Mine"`],
  ],
  ['an unknown layout', { layout: 'table' }, ['layout: expected one of "backward-pair", "activation", got "table"']],
  ['no runs', { runs: [] }, ['runs: expected a non-empty array of runs, got []']],
  ['a run id twice', { runs: [RELU_RUN, { ...RELU_RUN, label: 'again' }] }, ['runs[1].id: "a" appears twice']],
  ['a baseline that is no run', { baseline: 'relu' }, ['baseline: "relu" is not one of the run ids; Known: a.']],
  [
    'a misspelt run key',
    { runs: [{ ...RELU_RUN, lable: 'x' }] },
    ['runs[0].lable: unknown key; did you mean "label"? Known: id, label, forward, backward, paper.'],
  ],
  [
    'an unknown attacker activation',
    { runs: [{ ...RELU_RUN, backward: { attack: 'silo', train: 'relu' } }] },
    [
      'runs[0].backward.attack: unknown activation "silo"; did you mean "silu"? Known: relu, psoftplus, softplus, smoothrelu, gelu, elu, silu.',
    ],
  ],
  [
    'a setting out of range',
    { runs: [{ ...RELU_RUN, forward: { name: 'psoftplus', sharpness: 0 } }] },
    ['runs[0].forward.sharpness: expected a number > 0, got 0'],
  ],
  [
    'a custom activation with a capital letter and one without a derivative',
    {
      activations: {
        Mish: { description: 'm', value: (x: unknown) => x, derivative: (x: unknown) => x },
        mish: { description: 'm', value: (x: unknown) => x },
      },
    },
    [
      `activations.Mish: names are lowercase letters, digits and '-', starting with a letter, got "Mish"`,
      'activations.mish.derivative: expected a function of (x: tf.Tensor, settings), its elementwise derivative, got nothing',
    ],
  ],
  [
    'a sweep of one value, not a list',
    { sweep: { epsilon: 0.1 } },
    ['sweep.epsilon: expected a non-empty array of values, got 0.1'],
  ],
];
for (const [what, change, expected] of BAD) {
  test(`an experiment with ${what} is refused with its dot-path`, () => {
    assert.deepEqual(problemsOf(mine(change)), expected);
  });
}
