import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, runCli, tempDir, TINY_SMOKE } from '../helpers/cli';

const BIN = path.join(REPO_ROOT, 'bin', 'sat-bench.js');
const out = tempDir('eval');
const seedDir = path.join(out, 'smoke', 'fig3', 'relu', 'seed-0');

test('a one-epoch smoke run leaves a checkpoint to evaluate', () => {
  const result = runCli(['run', 'fig3', ...TINY_SMOKE, '--runs', 'relu', '--set', 'train.epochs=1', '--out', out]);
  assert.equal(result.status, 0, result.stderr);
});

/** An eval long enough to be stopped (the light suite on 256 examples: about 10 s), without a TTY. */
const EVAL = ['eval', seedDir, '--attack', 'light', '--examples', '256'];

const SIGNALS: Array<{ signal: NodeJS.Signals; status: number }> = [
  { signal: 'SIGINT', status: 130 },
  { signal: 'SIGTERM', status: 143 },
];
for (const { signal, status } of SIGNALS) {
  test(`${signal} before eval's first attack batch says that nothing is saved and the same command starts over, and exits ${status}`, async () => {
    const child = spawn(process.execPath, [BIN, ...EVAL], { cwd: REPO_ROOT });
    let [stdout, stderr] = ['', ''];
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        // The backend line (stdout) comes after the handler is installed, before the attacks start; the signal is
        // handled in the clean predictions pass, which yields to the event loop after every batch.
        if (/^backend: /m.test(stdout) && !child.killed) child.kill(signal);
      });
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    assert.equal(code, status, `stdout: ${stdout}\nstderr: ${stderr}`);
    assert.match(
      stderr,
      new RegExp(
        `sat-bench: ${signal}: eval stopped; no attack batch had finished, so nothing is saved: the same command starts over`,
      ),
    );
    assert.ok(!fs.existsSync(path.join(seedDir, 'eval-light')), 'no evaluation files');
  });
}
