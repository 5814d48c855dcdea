import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir } from '../helpers/cli';

// A learning rate of 1e-9 leaves the weights at their initialisation: training accuracy stays at chance (10 %), and
// 1280 images at batch 64 make the 20-step epoch the collapse check needs.
const ARGS = [
  'run',
  'fig3',
  '--preset',
  'smoke',
  '--runs',
  'relu,silu',
  '--no-estimate',
  '--set',
  'train.schedule.learningRate=1e-9',
  '--set',
  'dataset.trainSize=1280',
  '--set',
  'train.epochs=1',
  '--set',
  'train.overfitCheckExamples=0',
  '--set',
  'eval.examples=16',
];

const out = tempDir('collapse');
test('a collapsed unit is recorded, the other units still run, and the run exits 3 naming them', () => {
  const result = runCli([...ARGS, '--out', out]);
  assert.equal(result.status, 3, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
  // Both units were trained: the first collapse did not stop the experiment.
  assert.match(
    result.stderr,
    /2 unit\(s\) did not finish training[\s\S]*- relu training-collapsed \(seed 0, epoch 1: [\s\S]*- silu training-collapsed \(seed 0, epoch 1: /,
  );
  const rows = parse(fs.readFileSync(path.join(out, 'smoke', 'fig3.csv'), 'utf8'), { columns: true }) as Array<
    Record<string, string>
  >;
  assert.deepEqual(
    rows.map((r) => [r.run, r.accuracy, r.status.split(' ')[0]]),
    [
      ['relu', '', 'training-collapsed'],
      ['silu', '', 'training-collapsed'],
    ],
  );
  assert.match(rows[0].status, /adversarial accuracy \d+\.\d%, second half \d+\.\d%, chance 10\.0%/);
  assert.match(
    fs.readFileSync(path.join(out, 'smoke', 'fig3.md'), 'utf8'),
    /- relu: training-collapsed \(seed 0, epoch 1/,
  );
  assert.ok(fs.existsSync(path.join(out, 'smoke', 'fig3', 'relu', 'seed-0', 'failed.json')));
});

test('a rerun keeps the recorded collapses instead of training them again', () => {
  const result = runCli([...ARGS, '--out', out]);
  assert.equal(result.status, 3, result.stderr);
  assert.match(
    result.stderr + result.stdout,
    /relu seed 0: recorded earlier as training-collapsed with this config, kept \(--retry-failed trains it again\)/,
  );
  assert.doesNotMatch(result.stderr + result.stdout, /epoch 1\/1/); // no training epoch was logged
});

test('merge carries the failed units of each shard: the merged CSV equals the unsharded one, and merge exits 3 naming them', () => {
  const shards = [1, 2].map((k) => {
    const dir = tempDir(`collapse-shard-${k}`);
    const result = runCli([...ARGS, '--shard', `${k}/2`, '--out', dir]);
    assert.equal(result.status, 3, result.stderr);
    return dir;
  });
  const merged = tempDir('collapse-merged');
  const result = runCli(['merge', ...shards, '--out', merged]);
  assert.equal(result.status, 3, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
  assert.match(
    result.stderr,
    /2 unit\(s\) did not finish training[\s\S]*- relu training-collapsed[\s\S]*- silu training-collapsed/,
  );
  const csv = (dir: string) => fs.readFileSync(path.join(dir, 'smoke', 'fig3.csv'), 'utf8');
  assert.equal(csv(merged), csv(out));
  assert.ok(fs.existsSync(path.join(merged, 'smoke', 'fig3', 'silu', 'seed-0', 'failed.json')));
});
