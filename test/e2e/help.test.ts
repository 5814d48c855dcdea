import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir } from '../helpers/cli';

/** Asking for help is not an error: exit 0, the help on stdout. */
const HELP: Array<{ args: string[]; shows: RegExp }> = [
  { args: ['-h'], shows: /^sat-bench <command> \[options\][\s\S]*sat-bench help <command>/ },
  { args: ['--help'], shows: /^sat-bench <command> \[options\]/ },
  { args: ['help'], shows: /^sat-bench <command> \[options\]/ },
  {
    args: ['help', 'run'],
    shows: /^sat-bench run <experiment>[\s\S]*--preset[\s\S]*Examples:\n {2}sat-bench run table1 --preset smoke/,
  },
  { args: ['run', '-h'], shows: /^sat-bench run <experiment>[\s\S]*Examples:/ },
  {
    args: ['help', 'eval'],
    shows: /^sat-bench eval <checkpoint>[\s\S]*Examples:\n {2}sat-bench eval [\s\S]*--epsilon 0\.1,0\.2,0\.3/,
  },
  {
    args: ['compare', '--help'],
    shows: /^sat-bench compare <expected> \[actual\][\s\S]*Examples:\n {2}sat-bench compare [\s\S]*--paper/,
  },
];
for (const { args, shows } of HELP) {
  test(`sat-bench ${args.join(' ')} prints the help and exits 0`, () => {
    const result = runCli(args, { cwd: tempDir('help') });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, shows);
  });
}

// An activation of its own: checking it runs it on a few numbers, on TF.js's cpu backend.
const EXPERIMENT = `
import { defineExperiment } from 'sat-bench';
export default defineExperiment({
  id: 'own-softplus', title: 'an activation of its own', layout: 'backward-pair', baseline: 'relu-relu',
  activations: { mysoft: { description: 'softplus', value: (x: any) => x.softplus(), derivative: (x: any) => x.sigmoid() } },
  runs: [
    { id: 'relu-relu', label: 'ReLU', forward: 'relu', backward: { attack: 'relu', train: 'relu' } },
    { id: 'mysoft-relu', label: 'mysoft', forward: 'relu', backward: { attack: 'mysoft', train: 'relu' } },
  ],
});
`;

test('list of an experiment file with its own activation prints no TF.js banner', () => {
  const folder = tempDir('list-file');
  fs.writeFileSync(path.join(folder, 'own.ts'), EXPERIMENT);
  const result = runCli(['list', './own.ts'], { cwd: folder });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /own-softplus: an activation of its own[\s\S]*mysoft {6}softplus/);
  assert.doesNotMatch(result.stdout + result.stderr, /Hi, looks like you are running TensorFlow\.js|={10}/);
});
