import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir } from '../helpers/cli';

/** Bad input exits 2 with a message that names the problem and a line that names the fix. */
const CASES: Array<{ name: string; args: string[]; message: RegExp }> = [
  {
    name: 'an unknown flag',
    args: ['run', 'table1', '--preset', 'smoke', '--epochs', '3'],
    message: /Unknown argument: epochs/,
  },
  {
    name: 'an unknown experiment',
    args: ['run', 'table2'],
    message: /unknown experiment "table2"[\s\S]*fix: .*Known: table1, fig3\. Or give the path of an experiment file/,
  },
  {
    name: 'an unknown preset',
    args: ['run', 'table1', '--preset', 'huge'],
    message: /--preset: unknown preset "huge"[\s\S]*fix: .*Known: smoke, quick, mnist/,
  },
  {
    name: 'an unknown --set key',
    args: ['run', 'table1', '--preset', 'smoke', '--set', 'train.epoch=1'],
    message: /unknown key "train.epoch"[\s\S]*fix: did you mean "train.epochs"/,
  },
  {
    name: 'a --set value of the wrong type',
    args: ['run', 'table1', '--preset', 'smoke', '--set', 'train.epochs=many'],
    message: /expected a number, got "many"[\s\S]*fix:/,
  },
  {
    name: 'a --set value out of range',
    args: ['run', 'table1', '--preset', 'smoke', '--set', 'epsilon=2'],
    message: /epsilon: expected a number >= 0 and <= 1, got 2[\s\S]*fix:/,
  },
  {
    name: 'a --set without =',
    args: ['run', 'table1', '--preset', 'smoke', '--set', 'train.epochs'],
    message: /expected key=value[\s\S]*fix:/,
  },
  {
    name: 'an unknown run id',
    args: ['run', 'fig3', '--preset', 'smoke', '--runs', 'sillu'],
    message: /no run "sillu"[\s\S]*fix: did you mean "silu"/,
  },
  {
    name: 'a negative --max-steps',
    args: ['run', 'fig3', '--preset', 'smoke', '--max-steps', '-1'],
    message: /--max-steps: expected an integer >= 0, got -1/,
  },
  {
    name: 'a missing CSV for compare',
    args: ['compare', '/nonexistent/a.csv', '/nonexistent/b.csv'],
    message: /a\.csv: cannot read \(ENOENT\)[\s\S]*fix:/,
  },
  { name: 'no command', args: [], message: /name a command/ },
];

for (const { name, args, message } of CASES) {
  test(`${name} exits 2 and says how to fix it`, () => {
    // Run in an empty folder: none of these may write anything, and none depends on the repo's results/.
    const cwd = tempDir('errors');
    const result = runCli(args, { cwd });
    assert.equal(result.status, 2, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.deepEqual(fs.readdirSync(cwd), [], 'nothing is written');
  });
}

test('compare on a malformed CSV exits 2 naming the file and the line', () => {
  const dir = tempDir('malformed-csv');
  const bad = path.join(dir, 'bad.csv');
  fs.writeFileSync(bad, 'run,accuracy\nrelu,"90.00\nsilu,80.00\n'); // the quote opened on line 2 never closes
  fs.writeFileSync(path.join(dir, 'good.csv'), 'run,accuracy\nrelu,90.00\n');
  const result = runCli(['compare', path.join(dir, 'good.csv'), bad], { cwd: dir });
  assert.equal(result.status, 2, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
  assert.match(result.stderr, /bad\.csv:3: not a valid CSV \(Quote Not Closed[\s\S]*fix:/);
  assert.doesNotMatch(result.stderr, /internal error/);
});
