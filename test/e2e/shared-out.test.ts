import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, runCli, tempDir, TINY_SMOKE } from '../helpers/cli';

// Two fig3 runs, 2 epochs of 4 steps each, 16 evaluated examples.
const ARGS = ['run', 'fig3', ...TINY_SMOKE, '--runs', 'relu,silu', '--set', 'train.epochs=2'];
const BIN = path.join(REPO_ROOT, 'bin', 'sat-bench.js');

function start(out: string, onOutput?: (text: string) => void) {
  const child = spawn(process.execPath, [BIN, ...ARGS, '--out', out], { cwd: REPO_ROOT });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk;
    onOutput?.(output);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise<{ status: number | null; output: string }>((resolve) =>
    child.on('exit', (status) => resolve({ status, output })),
  );
}

const trainedCount = (text: string, run: string) =>
  (text.match(new RegExp(`${run} seed 0 epoch 2/2:`, 'g')) ?? []).length;

test('two processes started together on one --out train each unit exactly once', async () => {
  const out = tempDir('shared-out');
  // Whatever the timing, a unit is either locked by the other (skipped), finished by it (kept) or free (trained).
  const [a, b] = await Promise.all([start(out), start(out)]);
  assert.equal(a.status, 0, a.output);
  assert.equal(b.status, 0, b.output);
  for (const run of ['relu', 'silu']) {
    assert.equal(
      trainedCount(a.output, run) + trainedCount(b.output, run),
      1,
      `${run}:\n${a.output}\n---\n${b.output}`,
    );
    assert.ok(!fs.existsSync(path.join(out, 'smoke', 'fig3', run, 'seed-0', 'lock.json')), 'locks are released');
  }
  const c = runCli([...ARGS, '--out', out]);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /2 of 7 runs finished/);
});

test('a unit locked by a live process is skipped and reported; once that process is dead its lock is taken over', async () => {
  const out = tempDir('shared-out-held');
  // Another worker on this host, alive for as long as the test wants, holding relu's lock.
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)']);
  const reluDir = path.join(out, 'smoke', 'fig3', 'relu', 'seed-0');
  fs.mkdirSync(reluDir, { recursive: true });
  fs.writeFileSync(
    path.join(reluDir, 'lock.json'),
    JSON.stringify({ pid: holder.pid, host: os.hostname(), startedAt: 'test' }),
  );
  try {
    const first = await start(out);
    assert.equal(first.status, 0, first.output);
    assert.equal(trainedCount(first.output, 'relu'), 0, first.output);
    assert.equal(trainedCount(first.output, 'silu'), 1, first.output);
    assert.match(
      first.output,
      new RegExp(`relu seed 0: pid ${holder.pid} on .+ is working on it \\(heartbeat \\d+ s ago\\), skipped`),
    );
    assert.match(first.output, /skipped 1 unit\(s\) another live process was working on: relu seed 0/);
  } finally {
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
  }
  // The holder died without releasing: its pid is dead on this host, so the lock is stale at once.
  const second = await start(out);
  assert.equal(second.status, 0, second.output);
  assert.equal(trainedCount(second.output, 'relu'), 1, second.output);
  assert.ok(!fs.existsSync(path.join(reluDir, 'lock.json')));
});

test('run --workers 2 shares the units between two processes, trains each once, and gives the one-process CSV', async () => {
  const args = [...ARGS.map((arg) => (arg === 'relu,silu' ? 'relu,silu,gelu' : arg))];
  const shared = tempDir('workers');
  const both = runCli([...args, '--workers', '2', '--json', '--out', shared]);
  assert.equal(both.status, 0, both.stderr);
  const result = JSON.parse(both.stdout) as { workers: number; rows: unknown[] };
  assert.equal(result.workers, 2);
  assert.equal(result.rows.length, 3, 'the CSV written after both processes finished has every run');
  const helperLines = both.stderr.split('\n').filter((line) => line.startsWith('worker 2: '));
  const helperText = helperLines.join('\n');
  for (const run of ['relu', 'silu', 'gelu']) {
    assert.equal(trainedCount(both.stderr, run), 1, `${run} trained once in all:\n${both.stderr}`);
  }
  assert.ok(
    ['relu', 'silu', 'gelu'].some((run) => trainedCount(helperText, run) === 1),
    `the helper trained a unit:\n${both.stderr}`,
  );
  assert.match(both.stderr, /2 processes share these units/);
  assert.doesNotMatch(
    both.stderr,
    /run the same command again/,
    'units held by the other worker are not reported as skipped',
  );
  assert.match(both.stderr, /3 of 7 runs finished/);
  assert.doesNotMatch(both.stderr, /^worker 2: (wrote|report:|run +accuracy)/m, 'the table and paths are printed once');
  const alone = tempDir('workers-alone');
  const one = runCli([...args, '--out', alone]);
  assert.equal(one.status, 0, one.stderr);
  const csv = (out: string) => fs.readFileSync(path.join(out, 'smoke', 'fig3.csv'), 'utf8');
  assert.equal(csv(shared), csv(alone), 'which process ran a unit does not change its numbers');
});

test('Ctrl-C reaches every worker: each checkpoints, the run exits 130 leaving no lock, and a rerun resumes', async () => {
  const out = tempDir('workers-sigint');
  const args = [
    ...ARGS.map((arg) => (arg === 'train.epochs=2' ? 'train.epochs=30' : arg)),
    '--workers',
    '2',
    '--out',
    out,
  ];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT });
  let stderr = '';
  const status = await new Promise<number | null>((resolve) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      // Both processes are inside a unit's training: the helper's first epoch line came after the parent started.
      if (/worker 2: \w+ seed 0 epoch 1\/30/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    child.on('exit', (code) => resolve(code));
  });
  assert.equal(status, 130, stderr);
  assert.match(stderr, /^worker 2: .*SIGINT/m, 'the helper was interrupted too');
  for (const run of ['relu', 'silu'])
    assert.ok(!fs.existsSync(path.join(out, 'smoke', 'fig3', run, 'seed-0', 'lock.json')), `${run}: lock released`);
  const resumed = runCli(args.filter((arg, i) => arg !== '--workers' && args[i - 1] !== '--workers'));
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming from its checkpoint/);
  assert.match(resumed.stdout, /2 of 7 runs finished/);
});
