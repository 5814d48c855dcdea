import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir, TINY_SMOKE } from '../helpers/cli';

// relu then silu, one epoch each: relu's unit (a 368 KB checkpoint and its metrics) fits in 600 KB, silu's
// checkpoint does not.
const ARGS = ['run', 'fig3', ...TINY_SMOKE, '--runs', 'relu,silu', '--set', 'train.epochs=1'];

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

test('a full disk (a 600 KB tmpfs as --out) exits 2 naming the folder and the fix; the same command resumes on a disk with room', (t) => {
  const disk = tempDir('tmpfs');
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', disk], { encoding: 'utf8' });
  if (mount.status !== 0) {
    t.skip(
      `mounting a tmpfs is not permitted here (${(mount.stderr || mount.error?.message || '').trim()}); test/util/atomic-write.test.ts injects ENOSPC instead`,
    );
    return;
  }
  t.after(() => spawnSync('umount', [disk]));
  const full = runCli([...ARGS, '--out', disk]);
  assert.equal(full.status, 2, `stdout: ${full.stdout}\nstderr: ${full.stderr}`);
  assert.match(
    full.stderr,
    /--out .*: no space left on the device, got ENOSPC writing .*silu\/seed-0\/[\s\S]*fix: free space on .* or pass --out on another disk; finished units are kept and the same command resumes/,
  );
  assert.doesNotMatch(full.stderr, /internal error/);
  const left = filesUnder(disk);
  assert.ok(left.includes(path.join('smoke', 'fig3', 'relu', 'seed-0', 'metrics.json')), 'relu finished and is kept');
  assert.deepEqual(
    left.filter((f) => /\.tmp$|\.next\b/.test(f)),
    [],
    'no temp file and no partial checkpoint is left',
  );
  // Move the results to a disk with room: the same command trains only silu.
  const roomy = tempDir('roomy');
  fs.cpSync(disk, roomy, { recursive: true });
  const resumed = runCli([...ARGS, '--out', roomy]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.doesNotMatch(resumed.stderr, /relu seed 0 epoch/);
  assert.match(fs.readFileSync(path.join(roomy, 'smoke', 'fig3.csv'), 'utf8'), /\nrelu,[^\n]*\nsilu,/);
});
