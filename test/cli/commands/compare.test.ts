import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir } from '../../helpers/cli';

const SMOKE = path.join('results', 'reference', 'smoke', 'table1.csv');

test('compare --paper exits 1 when a Δ or the order differs from the paper beyond the default tolerance, and names it', () => {
  // relu-psoftplus: our Δ −1.56 against the paper's +2.80 (off by 4.36 > 2).
  const result = runCli(['compare', SMOKE, '--paper']);
  assert.equal(result.status, 1, result.stderr);
  assert.match(
    result.stdout,
    /^Δ against relu-relu, ours beside the paper's \(points; tolerance 2 points; \* = outside it\):$/m,
  );
  assert.match(result.stdout, /^relu-psoftplus +-1\.56 +\+2\.80 +-4\.36 \*/m);
  assert.doesNotMatch(result.stdout, /levels/, 'levels only when asked');
});

test('compare --paper exits 0 within a wider tolerance; --levels adds the levels, informational', () => {
  const result = runCli(['compare', SMOKE, '--paper', '--tolerance', '5', '--levels']);
  assert.equal(result.status, 0, result.stdout);
  assert.match(result.stdout, /same as the paper within the tolerance/);
  assert.match(result.stdout, /^levels, ours beside the paper's ImageNet numbers/m);
  assert.equal(
    runCli(['compare', SMOKE, '--paper', '--tolerance', '5', '--levels', '--strict']).status,
    1,
    'every level is off by more than 5',
  );
});

test('compare --paper --json is one JSON document with the deltas and the orders', () => {
  const document = JSON.parse(runCli(['compare', SMOKE, '--paper', '--json']).stdout);
  assert.equal(document.baseline, 'relu-relu');
  assert.equal(document.clean, false);
  assert.deepEqual(document.orders[0].paper, ['psoftplus-psoftplus', 'relu-psoftplus', 'psoftplus-relu', 'relu-relu']);
});

test('compare --paper on runs of no built-in experiment asks for --baseline', () => {
  const file = path.join(tempDir('paper'), 'mine.csv');
  fs.writeFileSync(
    file,
    'run,accuracy,robustness,accuracy_delta,robustness_delta,paper_accuracy,paper_robustness\nmine,90.00,40.00,0.00,0.00,68.80,33.00\n',
  );
  const result = runCli(['compare', file, '--paper']);
  assert.equal(result.status, 2);
  assert.match(
    result.stderr,
    /not those of a built-in experiment, so its baseline is unknown\n {2}fix: name it with --baseline <run>/,
  );
  assert.equal(runCli(['compare', file, '--paper', '--baseline', 'mine']).status, 0);
});

test('compare of two CSVs is unchanged: the CI command on the smoke reference exits 0', () => {
  const result = runCli(['compare', SMOKE, SMOKE, '--tolerance', '3']);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /^same within tolerance \(3 points\)/);
});
