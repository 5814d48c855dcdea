import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { CIFAR10_CLASS_NAMES, listCifarBatchFiles, loadCifar10 } from '../../src/data/cifar10';
import { labelHistogram } from '../../src/data/data-errors';
import { Rng } from '../../src/util/rng';
import { cifarRecords, errorCode, sharedDataset, tempDir } from './helpers/data-files';

test('the shared partial copy loads 4,000 + 1,000 images with the README histograms and a warning', async (t) => {
  const dir = sharedDataset(t, 'cifar10/partial');
  if (!dir) return;
  const cifar = await loadCifar10(dir);
  assert.deepEqual([cifar.size('train'), cifar.size('test')], [4000, 1000]);
  const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
  assert.deepEqual(
    labelHistogram((await cifar.read('train', all(4000))).labels, 10),
    [396, 366, 420, 384, 422, 393, 414, 385, 407, 413],
  );
  assert.deepEqual(
    labelHistogram((await cifar.read('test', all(1000))).labels, 10),
    [103, 89, 100, 103, 90, 86, 112, 102, 106, 109],
  );
  assert.match(
    cifar.warnings.join('\n'),
    /cifar10-partial: .*4,000 of 50,000 training and 1,000 of 10,000 test images/,
  );
  assert.deepEqual(cifar.classNames, CIFAR10_CLASS_NAMES); // read from ../batches.meta.txt
});

test('real CIFAR pixels are the record bytes moved from CHW to HWC and divided by 255', async (t) => {
  const dir = sharedDataset(t, 'cifar10/partial');
  if (!dir) return;
  const cifar = await loadCifar10(dir);
  // data_batch_1 record 0: byte 0 = label 6 (frog); bytes 1, 1025, 2049 = R, G, B of pixel (0, 0) = 59, 62, 63;
  // bytes 2, 1026, 2050 = pixel (0, 1) = 43, 46, 45
  const train = await cifar.read('train', [0]);
  assert.equal(train.labels[0], 6);
  assert.deepEqual(
    Array.from(train.images.subarray(0, 6), (v) => Math.round(v * 255)),
    [59, 62, 63, 43, 46, 45],
  );
  // test_batch record 0: label 3 (cat); pixel (2, 3) at bytes 1 + 67, 1025 + 67, 2049 + 67 = 167, 111, 48
  const test0 = await cifar.read('test', [0]);
  assert.equal(test0.labels[0], 3);
  const at = (2 * 32 + 3) * 3;
  assert.deepEqual(
    Array.from(test0.images.subarray(at, at + 3), (v) => Math.round(v * 255)),
    [167, 111, 48],
  );
  // README: images 3 and 5 of data_batch_1 have min/max 4/234 and 0/252
  const pair = await cifar.read('train', [3, 5]);
  const range = (a: Float32Array) => [Math.round(Math.min(...a) * 255), Math.round(Math.max(...a) * 255)];
  assert.deepEqual(
    [range(pair.images.subarray(0, 3072)), range(pair.images.subarray(3072))],
    [
      [4, 234],
      [0, 252],
    ],
  );
});

test('training reads with an Rng are augmented, seeded, and keep labels', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), cifarRecords([0, 1, 2, 3]));
  fs.writeFileSync(path.join(dir, 'test_batch.bin'), cifarRecords([4]));
  const cifar = await loadCifar10(dir);
  const plain = await cifar.read('train', [0, 1, 2, 3]);
  const a = await cifar.read('train', [0, 1, 2, 3], new Rng(11));
  assert.deepEqual(a, await cifar.read('train', [0, 1, 2, 3], new Rng(11)));
  assert.notDeepEqual(a.images, plain.images);
  assert.deepEqual(a.labels, plain.labels);
});

test('a whole batch is preferred to a prefix of the same batch, so no record loads twice', (t) => {
  const dir = tempDir(t);
  for (const name of [
    'data_batch_2.bin',
    'data_batch_1.head4000.bin',
    'data_batch_1.bin',
    'data_batch_10.bin',
    'test_batch.bin',
  ]) {
    fs.writeFileSync(path.join(dir, name), cifarRecords([1]));
  }
  assert.deepEqual(
    listCifarBatchFiles(dir, 'train').map((f) => path.basename(f)),
    ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_10.bin'],
  );
  assert.deepEqual(
    listCifarBatchFiles(dir, 'test').map((f) => path.basename(f)),
    ['test_batch.bin'],
  );
});

const CORRUPTIONS: Array<{ name: string; write: (dir: string) => void; code: string; message: RegExp }> = [
  {
    name: 'a truncated batch',
    write: (dir) => fs.writeFileSync(path.join(dir, 'test_batch.bin'), cifarRecords([1, 2]).subarray(0, 5000)),
    code: 'data-truncated',
    message: /test_batch\.bin: size is not a whole number of 3073-byte records/,
  },
  {
    name: 'a bad label',
    write: (dir) => fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), cifarRecords([1, 255])),
    code: 'data-bad-label',
    message: /data_batch_1\.bin: record 1 .* got 255/,
  },
  {
    name: 'no test batch',
    write: (dir) => fs.rmSync(path.join(dir, 'test_batch.bin')),
    code: 'data-missing-file',
    message: /no CIFAR-10 test batch found/,
  },
];

for (const { name, write, code, message } of CORRUPTIONS) {
  test(`a copy with ${name} fails with ${code}`, async (t) => {
    const dir = tempDir(t);
    fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), cifarRecords([0, 1]));
    fs.writeFileSync(path.join(dir, 'test_batch.bin'), cifarRecords([2]));
    await loadCifar10(dir);
    write(dir);
    await assert.rejects(loadCifar10(dir), errorCode(code, message));
  });
}

test('a batches.meta.txt with the wrong number of names gives a warning and the standard names', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), cifarRecords([0]));
  fs.writeFileSync(path.join(dir, 'test_batch.bin'), cifarRecords([0]));
  fs.writeFileSync(path.join(dir, 'batches.meta.txt'), 'cat\ndog\n');
  const cifar = await loadCifar10(dir);
  assert.deepEqual(cifar.classNames, CIFAR10_CLASS_NAMES);
  assert.match(cifar.warnings.join('\n'), /cifar10-meta: .* lists 2 class names, expected 10/);
});
