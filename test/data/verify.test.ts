import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import * as zlib from 'node:zlib';
import { verifyDataset } from '../../src/data/verify';
import { cifarRecords, errorCode, sharedDataset, tempDir, writeTinyMnist } from './helpers/data-files';

test('the shared MNIST copy matches all four published MD5s', async (t) => {
  const dir = sharedDataset(t, 'mnist');
  if (!dir) return;
  const report = await verifyDataset('mnist', dir);
  assert.equal(report.lines.filter((line) => /matches the published file/.test(line)).length, 4);
  assert.match(
    report.lines.join('\n'),
    /train: 60,000 images, labels \[5923,6742,5958,6131,5842,5421,5918,6265,5851,5949\]/,
  );
});

test("unpacked MNIST files are checked against the unpacked originals' MD5s", async (t) => {
  const shared = sharedDataset(t, 'mnist');
  if (!shared) return;
  const dir = tempDir(t);
  for (const name of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
    fs.writeFileSync(
      path.join(dir, name.replace(/\.gz$/, '')),
      zlib.gunzipSync(fs.readFileSync(path.join(shared, name))),
    );
  }
  for (const name of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'])
    fs.copyFileSync(path.join(shared, name), path.join(dir, name));
  const report = await verifyDataset('mnist', dir);
  assert.equal(report.lines.filter((line) => /matches the unpacked original file/.test(line)).length, 2);
});

test('every MNIST problem is listed in one data-verify-failed error', async (t) => {
  const dir = tempDir(t);
  writeTinyMnist(dir); // valid structure, but not the published bytes
  fs.rmSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'));
  await assert.rejects(
    verifyDataset('mnist', dir),
    (error: Error) =>
      errorCode('data-verify-failed', /mnist in .*: 4 problem\(s\)/)(error) &&
      /train-images-idx3-ubyte\.gz: MD5 does not match the published f68b3c2dcbeaaa9fbdd348bbdeb94873/.test(
        error.message,
      ) &&
      /t10k-labels-idx1-ubyte\.gz: MNIST file not found/.test(error.message),
  );
});

test('the shared partial CIFAR-10 copy verifies with partial-copy warnings and per-file histograms', async (t) => {
  const dir = sharedDataset(t, 'cifar10/partial');
  if (!dir) return;
  const report = await verifyDataset('cifar10', dir);
  assert.match(
    report.lines.join('\n'),
    /data_batch_1\.head4000\.bin: 4,000 records, labels \[396,366,420,384,422,393,414,385,407,413\]/,
  );
  assert.deepEqual(report.warnings, [
    'cifar10-partial: 4,000 of 50,000 train records',
    'cifar10-partial: 1,000 of 10,000 test records',
  ]);
});

test('CIFAR-10 problems are all listed: a short whole batch, a bad label, a broken record', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), cifarRecords([1, 2]));
  fs.writeFileSync(path.join(dir, 'data_batch_2.bin'), cifarRecords([1, 11]));
  fs.writeFileSync(path.join(dir, 'test_batch.bin'), cifarRecords([1]).subarray(0, 3000));
  await assert.rejects(
    verifyDataset('cifar10', dir),
    (error: Error) =>
      errorCode('data-verify-failed', /3 problem\(s\)/)(error) &&
      /data_batch_1\.bin: a whole batch holds 10,000 records, got 2/.test(error.message) &&
      /data_batch_2\.bin: record 1 has a label outside 0–9, got 11/.test(error.message) &&
      /test_batch\.bin: size is not a whole number/.test(error.message),
  );
});
