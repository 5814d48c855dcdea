import { mock, test } from 'node:test';
import * as assert from 'node:assert/strict';
// The module object itself (not an import-star copy), so that mock.method reaches the writer's calls.
import fs from 'node:fs';
import * as path from 'node:path';
import { writeCheckpointFiles } from '../../src/experiment/store/checkpoint-files';
import { writeFileAtomic, writeFilesAtomic } from '../../src/util/atomic-write';
import { tempDir } from '../helpers/cli';

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
  });
}

/** fs.writeSync that fails with ENOSPC from its `failAt`-th call on (1-based). */
function fillDiskAt(failAt: number) {
  const real = fs.writeSync;
  let calls = 0;
  return mock.method(fs, 'writeSync', (...args: Parameters<typeof fs.writeSync>) => {
    if (++calls >= failAt) throw enospc();
    return (real as (...a: unknown[]) => number)(...args);
  });
}

test('a full disk while writing leaves the old file as it was, no temp file, and names the file in the error', (t) => {
  const dir = tempDir('atomic-enospc');
  const file = path.join(dir, 'fig3.csv');
  fs.writeFileSync(file, 'old,content\n');
  const write = fillDiskAt(1);
  t.after(() => write.mock.restore());
  assert.throws(
    () => writeFileAtomic(file, 'new,content\n'),
    (error: NodeJS.ErrnoException) => error.code === 'ENOSPC' && error.path === file,
  );
  write.mock.restore();
  assert.equal(fs.readFileSync(file, 'utf8'), 'old,content\n');
  assert.deepEqual(fs.readdirSync(dir), ['fig3.csv']);
});

test('when the second of several files does not fit, none is replaced and no temp copy stays', (t) => {
  const dir = tempDir('atomic-many');
  const [csv, md] = [path.join(dir, 'fig3.csv'), path.join(dir, 'fig3.md')];
  fs.writeFileSync(csv, 'old csv\n');
  const write = fillDiskAt(2);
  t.after(() => write.mock.restore());
  assert.throws(
    () =>
      writeFilesAtomic([
        [csv, 'new csv\n'],
        [md, 'new md\n'],
      ]),
    /ENOSPC/,
  );
  write.mock.restore();
  assert.equal(fs.readFileSync(csv, 'utf8'), 'old csv\n');
  assert.deepEqual(fs.readdirSync(dir), ['fig3.csv']);
});

test('a short write (the disk filled mid-call) is continued, never renamed in place truncated', (t) => {
  const dir = tempDir('atomic-short');
  const file = path.join(dir, 'metrics.json');
  const real = fs.writeSync as (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  // Each call writes at most 3 bytes, as write(2) may when space runs low.
  const write = mock.method(
    fs,
    'writeSync',
    (fd: number, buffer: Uint8Array, offset = 0, length = buffer.byteLength - offset) =>
      real(fd, buffer, offset, Math.min(3, length)),
  );
  t.after(() => write.mock.restore());
  writeFileAtomic(file, '{"accuracy": 0.5}\n');
  write.mock.restore();
  assert.equal(fs.readFileSync(file, 'utf8'), '{"accuracy": 0.5}\n');
});

test('a checkpoint that does not fit leaves the previous checkpoint and no checkpoint.next behind', (t) => {
  const dir = tempDir('checkpoint-enospc');
  writeCheckpointFiles(dir, 'checkpoint', { index: { floats: 2, epoch: 1 }, values: Float32Array.of(1, 2) });
  const write = fillDiskAt(1);
  t.after(() => write.mock.restore());
  assert.throws(
    () => writeCheckpointFiles(dir, 'checkpoint', { index: { floats: 2, epoch: 2 }, values: Float32Array.of(3, 4) }),
    /ENOSPC/,
  );
  write.mock.restore();
  assert.deepEqual(fs.readdirSync(dir), ['checkpoint']);
  assert.match(fs.readFileSync(path.join(dir, 'checkpoint', 'index.json'), 'utf8'), /"epoch":1/);
});
