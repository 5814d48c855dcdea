import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, runCli, tempDir, TINY_SMOKE } from '../helpers/cli';

// Two fig3 runs, 2 epochs of 4 steps each, 16 evaluated examples: every stage, a few seconds per run.
const ARGS = ['run', 'fig3', ...TINY_SMOKE, '--runs', 'relu,silu', '--set', 'train.epochs=2'];
const BIN = path.join(REPO_ROOT, 'bin', 'sat-bench.js');
const csvOf = (out: string) => fs.readFileSync(path.join(out, 'smoke', 'fig3.csv'), 'utf8');

/** Runs the CLI, reporting the signal that ended it (SIGKILL from the kill hook) as well as the status. */
function runKilledAt(point: string, out: string) {
  const result = spawnSync(process.execPath, [BIN, ...ARGS, '--out', out], {
    cwd: REPO_ROOT,
    env: { ...process.env, SAT_BENCH_TEST_KILL_AT: point },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: result.status, signal: result.signal, stderr: result.stderr };
}

const reference = tempDir('reference');
test('an uninterrupted run writes the reference CSV', () => {
  const result = runCli([...ARGS, '--out', reference]);
  assert.equal(result.status, 0, result.stderr);
  const seedDir = path.join(reference, 'smoke', 'fig3', 'relu', 'seed-0');
  for (const file of [
    'manifest.json',
    'config.json',
    'metrics.json',
    'train-log.json',
    'train-steps.json',
    'checkpoint/index.json',
    'checkpoint/tensors.f32',
    'examples.csv',
  ]) {
    assert.ok(fs.existsSync(path.join(seedDir, file)), `${file} is in the seed folder`);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(seedDir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.versions.tfjs, '4.22.0');
  assert.match(
    String(manifest.gitCommit),
    /^([0-9a-f]{40}(-dirty)?|null)$/,
    'the commit that ran, or null outside git',
  );
  assert.ok(manifest.phases.train > 0 && manifest.phases.eval > 0, 'wall time per phase');
});

// Each point is reached in a different stage; `:n` picks the n-th time (the second unit, or the second epoch).
const KILL_POINTS = [
  'train-step:3',
  'train-step:6',
  'checkpoint-write:2',
  'checkpoint-swap:1',
  'eval-batch:1',
  'metrics-write:2',
  'report-write:1',
];
for (const point of KILL_POINTS) {
  test(`SIGKILL at ${point}, then the same command, gives a byte-identical CSV`, () => {
    const out = tempDir(`kill-${point.replace(':', '-')}`);
    const killed = runKilledAt(point, out);
    assert.equal(killed.signal, 'SIGKILL', `the hook fired (status ${killed.status}): ${killed.stderr}`);
    const resumed = runCli([...ARGS, '--out', out]);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.equal(csvOf(out), csvOf(reference));
  });
}

test('SIGINT finishes the batch, checkpoints, exits 130, and the rerun completes identically', async () => {
  const out = tempDir('sigint');
  const child = spawn(process.execPath, [BIN, ...ARGS, '--out', out], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const status = await new Promise<number | null>((resolve) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      // After the first epoch line (progress goes to stderr): the handler is installed and epoch 2 is under way.
      if (/relu seed 0 epoch 1\/2/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    child.on('exit', (code) => resolve(code));
  });
  assert.equal(status, 130, `stdout: ${stdout}\nstderr: ${stderr}`);
  assert.match(stderr, /SIGINT: stopped .*run the same command again to resume/);
  assert.ok(fs.existsSync(path.join(out, 'smoke', 'fig3', 'relu', 'seed-0', 'checkpoint', 'index.json')));
  const resumed = runCli([...ARGS, '--out', out]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming from its checkpoint/);
  assert.equal(csvOf(out), csvOf(reference));
});

test('a checkpoint made with another config is not resumed silently', () => {
  const out = tempDir('changed');
  assert.equal(runKilledAt('train-step:6', out).signal, 'SIGKILL'); // after epoch 1's checkpoint
  const changed = runCli([...ARGS, '--set', 'train.schedule.learningRate=0.01', '--out', out]);
  assert.equal(changed.status, 2, changed.stderr);
  assert.match(changed.stderr, /checkpoint: this run was made with another config[\s\S]*fix: .*--force/);
});

test('an unwritable results folder fails before training starts', () => {
  // A path below a regular file can never be created, even by root.
  const file = path.join(tempDir('unwritable'), 'a-file');
  fs.writeFileSync(file, '');
  const result = runCli([...ARGS, '--out', path.join(file, 'results')]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--out: cannot write to .*ENOTDIR[\s\S]*fix:/);
  assert.doesNotMatch(result.stdout + result.stderr, /epoch/);
});
