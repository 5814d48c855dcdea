import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, runCli, tempDir } from '../helpers/cli';

// Two fig3 runs, 2 epochs of 4 steps each, 16 evaluated examples.
const ARGS = [
  'run', 'fig3', '--preset', 'smoke', '--runs', 'relu,silu', '--no-estimate',
  '--set', 'dataset.trainSize=256', '--set', 'train.epochs=2', '--set', 'eval.examples=16',
];
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
  return new Promise<{ status: number | null; output: string }>((resolve) => child.on('exit', (status) => resolve({ status, output })));
}

const trainedCount = (text: string, run: string) => (text.match(new RegExp(`${run} seed 0 epoch 2/2:`, 'g')) ?? []).length;

test('two processes started together on one --out train each unit exactly once', async () => {
  const out = tempDir('shared-out');
  // Whatever the timing, a unit is either locked by the other (skipped), finished by it (kept) or free (trained).
  const [a, b] = await Promise.all([start(out), start(out)]);
  assert.equal(a.status, 0, a.output);
  assert.equal(b.status, 0, b.output);
  for (const run of ['relu', 'silu']) {
    assert.equal(trainedCount(a.output, run) + trainedCount(b.output, run), 1, `${run}:\n${a.output}\n---\n${b.output}`);
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
  fs.writeFileSync(path.join(reluDir, 'lock.json'), JSON.stringify({ pid: holder.pid, host: os.hostname(), startedAt: 'test' }));
  try {
    const first = await start(out);
    assert.equal(first.status, 0, first.output);
    assert.equal(trainedCount(first.output, 'relu'), 0, first.output);
    assert.equal(trainedCount(first.output, 'silu'), 1, first.output);
    assert.match(first.output, new RegExp(`relu seed 0: pid ${holder.pid} on .+ is working on it \\(heartbeat \\d+ s ago\\), skipped`));
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
