import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpointFiles, writeCheckpointFiles } from '../../../src/experiment/store/checkpoint-files';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sat-bench-ckpt-'));
const files = (epoch: number) => ({
  index: { epoch, floats: 3 },
  values: Float32Array.from([epoch, epoch + 0.5, -epoch]),
});

test('a checkpoint reads back exactly what was written, and a second write replaces it', () => {
  const dir = tmp();
  writeCheckpointFiles(dir, 'checkpoint', files(1));
  writeCheckpointFiles(dir, 'checkpoint', files(2));
  const read = readCheckpointFiles<{ epoch: number; floats: number }>(dir, 'checkpoint')!;
  assert.equal(read.index.epoch, 2);
  assert.deepEqual(Array.from(read.values), [2, 2.5, -2]);
  assert.deepEqual(fs.readdirSync(dir), ['checkpoint'], 'no .prev or .next left behind');
});

test('a crash between the two renames falls back to the previous checkpoint', () => {
  const dir = tmp();
  writeCheckpointFiles(dir, 'checkpoint', files(1));
  // What the swap leaves at that instant: the old folder moved aside, the new one not yet moved in.
  fs.renameSync(path.join(dir, 'checkpoint'), path.join(dir, 'checkpoint.prev'));
  fs.mkdirSync(path.join(dir, 'checkpoint.next'));
  assert.equal(readCheckpointFiles<{ epoch: number; floats: number }>(dir, 'checkpoint')!.index.epoch, 1);
});

test('a truncated tensor file is refused with the fix', () => {
  const dir = tmp();
  writeCheckpointFiles(dir, 'checkpoint', files(1));
  fs.truncateSync(path.join(dir, 'checkpoint', 'tensors.f32'), 4);
  assert.throws(() => readCheckpointFiles(dir, 'checkpoint'), /holds 4 bytes, the index expects 12[\s\S]*/);
});

test('a write passes its kill points with the weights written but no index, then between the two renames', () => {
  const dir = tmp();
  writeCheckpointFiles(dir, 'checkpoint', files(1));
  const seen: Array<[string, string[]]> = [];
  writeCheckpointFiles(dir, 'checkpoint', files(2), {
    reach: (point) => seen.push([point, fs.readdirSync(dir).sort()]),
  });
  assert.deepEqual(seen, [
    ['checkpoint-write', ['checkpoint', 'checkpoint.next']],
    ['checkpoint-swap', ['checkpoint.next', 'checkpoint.prev']],
  ]);
});
