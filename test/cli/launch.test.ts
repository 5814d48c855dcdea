import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allocatorState, glibcVersion } from '../../src/engine/allocator';
import { shouldRelaunch } from '../../src/cli/launch';
import { REPO_ROOT, runCli, tempDir } from '../helpers/cli';

const GLIBC = glibcVersion();
const onGlibc = GLIBC === null ? 'this process does not run on glibc: the launcher leaves malloc alone here' : false;

test('the computing commands are relaunched with the tuned allocator unless the caller chose its own settings', () => {
  const glibc = () => '2.36';
  assert.equal(shouldRelaunch(['run', 'table1'], {}, glibc), true);
  assert.equal(shouldRelaunch(['eval', 'results/x'], {}, glibc), true);
  assert.equal(shouldRelaunch(['--json', 'bench'], {}, glibc), true, 'options before the command');
  assert.equal(shouldRelaunch(['doctor'], {}, glibc), true, 'doctor reports what run gets');
  for (const argv of [['list'], ['compare', 'a.csv', 'b.csv'], ['report', 'out'], ['--help'], []]) {
    assert.equal(shouldRelaunch(argv, {}, glibc), false, argv.join(' '));
  }
  assert.equal(shouldRelaunch(['run'], { SAT_BENCH_ALLOCATOR: 'tuned' }, glibc), false, 'already the child');
  assert.equal(shouldRelaunch(['run'], { SAT_BENCH_ALLOCATOR: 'default' }, glibc), false, 'opted out');
  assert.equal(shouldRelaunch(['run'], { MALLOC_MMAP_MAX_: '65536' }, glibc), false, 'the caller set malloc');
  assert.equal(
    shouldRelaunch(['run'], {}, () => null),
    false,
    'not glibc',
  );
});

test('allocatorState reads the environment the process started with', () => {
  assert.deepEqual(allocatorState({ MALLOC_MMAP_MAX_: '0' }, '2.36'), { kind: 'tuned', glibc: '2.36' });
  assert.match(
    (allocatorState({ SAT_BENCH_ALLOCATOR: 'default' }, '2.36') as { why: string }).why,
    /SAT_BENCH_ALLOCATOR=default/,
  );
  assert.match((allocatorState({}, '2.36') as { why: string }).why, /without the sat-bench launcher/);
  assert.deepEqual(allocatorState({}, null), { kind: 'not-glibc' });
});

test(
  "doctor, started as a user would, runs with the tuned allocator; SAT_BENCH_ALLOCATOR=default keeps glibc's",
  { skip: onGlibc },
  () => {
    const tuned = runCli(['doctor', '--json']);
    assert.equal(tuned.status, 0, tuned.stderr);
    assert.match(JSON.parse(tuned.stdout).allocator, /malloc tuned for large tensors/);
    const plain = runCli(['doctor', '--json'], { env: { SAT_BENCH_ALLOCATOR: 'default' } });
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(JSON.parse(plain.stdout).allocator, /at its defaults \(SAT_BENCH_ALLOCATOR=default\)/);
  },
);

test(
  'killing the launcher outright (SIGKILL) stops the run it started, so no unseen process keeps writing',
  { skip: onGlibc },
  async () => {
    const out = tempDir('launch-kill');
    // 200 epochs: minutes of work, so the worker can only be gone within the 20 s below because it was stopped.
    const launcher = spawn(
      process.execPath,
      [
        path.join(REPO_ROOT, 'bin', 'sat-bench.js'),
        'run',
        'table1',
        '--preset',
        'smoke',
        '--runs',
        'relu-relu',
        '--set',
        'train.epochs=200',
        '--no-estimate',
        '--out',
        out,
      ],
      { cwd: REPO_ROOT, stdio: 'ignore' },
    );
    const lock = path.join(out, 'smoke', 'table1', 'relu-relu', 'seed-0', 'lock.json');
    const workerPid = await poll(() =>
      fs.existsSync(lock) ? (JSON.parse(fs.readFileSync(lock, 'utf8')) as { pid: number }).pid : undefined,
    );
    assert.notEqual(workerPid, launcher.pid, 'the unit runs in the relaunched child');
    launcher.kill('SIGKILL');
    try {
      await poll(() => (isAlive(workerPid) ? undefined : true), 20_000);
    } finally {
      if (isAlive(workerPid)) process.kill(workerPid, 'SIGKILL');
    }
  },
);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Calls `probe` every 100 ms until it returns a value; fails after `limitMs`. */
async function poll<T>(probe: () => T | undefined, limitMs = 60_000): Promise<T> {
  for (let waited = 0; waited < limitMs; waited += 100) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out after ${limitMs / 1000} s`);
}
