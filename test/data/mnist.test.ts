import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import * as zlib from 'node:zlib';
import { labelHistogram } from '../../src/data/data-errors';
import { loadMnist } from '../../src/data/mnist';
import { Rng } from '../../src/util/rng';
import { errorCode, idxLabels, sharedDataset, tempDir, writeTinyMnist } from './helpers/data-files';

const TRAIN_HISTOGRAM = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_HISTOGRAM = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

test('real MNIST has 60,000 training and 10,000 test images with the published label histograms', async (t) => {
  const dir = sharedDataset(t, 'mnist');
  if (!dir) return;
  const mnist = await loadMnist(dir);
  assert.deepEqual([mnist.size('train'), mnist.size('test')], [60000, 10000]);
  assert.deepEqual(mnist.shape, { height: 28, width: 28, channels: 1 });
  assert.deepEqual(mnist.warnings, []);
  const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
  assert.deepEqual(labelHistogram((await mnist.read('train', all(60000))).labels, 10), TRAIN_HISTOGRAM);
  assert.deepEqual(labelHistogram((await mnist.read('test', all(10000))).labels, 10), TEST_HISTOGRAM);
});

test('real MNIST pixels are the file bytes divided by 255, in row-major order', async (t) => {
  const dir = sharedDataset(t, 'mnist');
  if (!dir) return;
  const mnist = await loadMnist(dir);
  // Unpacked train-images bytes 16 + 28·5 + 12 … + 23 (image 0, row 5, columns 12–23): 3 18 18 18 126 136 175 26 166 255 247 127
  const train = await mnist.read('train', [0]);
  const row5 = Array.from(train.images.subarray(5 * 28 + 12, 5 * 28 + 24), (v) => Math.round(v * 255));
  assert.deepEqual(row5, [3, 18, 18, 18, 126, 136, 175, 26, 166, 255, 247, 127]);
  assert.equal(train.labels[0], 5); // train-labels byte 8
  // t10k-images bytes 16 + 28·7 + 6 … + 11 (test image 0, a 7, row 7): 84 185 159 151 60 36
  const test0 = await mnist.read('test', [0]);
  assert.deepEqual(
    Array.from(test0.images.subarray(7 * 28 + 6, 7 * 28 + 12), (v) => Math.round(v * 255)),
    [84, 185, 159, 151, 60, 36],
  );
  assert.equal(test0.labels[0], 7);
});

test('an augmentation Rng changes nothing for MNIST, which trains without augmentation', async (t) => {
  const dir = tempDir(t);
  writeTinyMnist(dir);
  const mnist = await loadMnist(dir);
  assert.deepEqual(await mnist.read('train', [0, 5]), await mnist.read('train', [0, 5], new Rng(1)));
});

test('a tiny MNIST copy loads with a warning giving its counts', async (t) => {
  const dir = tempDir(t);
  writeTinyMnist(dir, { train: 6, test: 4 });
  const mnist = await loadMnist(dir);
  assert.deepEqual([mnist.size('train'), mnist.size('test')], [6, 4]);
  assert.match(mnist.warnings.join('\n'), /mnist-partial: .* 6 training and 4 test images/);
});

const CORRUPTIONS: Array<{ name: string; damage: (dir: string) => void; code: string; message: RegExp }> = [
  {
    name: 'a truncated unpacked image file',
    damage: (dir) => {
      const f = path.join(dir, 't10k-images-idx3-ubyte.gz');
      fs.writeFileSync(f.replace(/\.gz$/, ''), zlib.gunzipSync(fs.readFileSync(f)).subarray(0, 1000));
      fs.rmSync(f);
    },
    // 4 images: 16 + 4·784 = 3,152 bytes expected
    code: 'data-truncated',
    message: /t10k-images-idx3-ubyte: header says 4 images of 28×28 \(3,152 bytes\).* got 1,000 bytes/,
  },
  {
    name: 'a flipped magic number',
    damage: (dir) => {
      const f = path.join(dir, 't10k-labels-idx1-ubyte.gz');
      const raw = zlib.gunzipSync(fs.readFileSync(f));
      raw[3] = 0x03;
      fs.writeFileSync(f, zlib.gzipSync(raw));
    },
    code: 'data-bad-magic',
    message: /t10k-labels-idx1-ubyte\.gz: not an IDX labels file .* got 2051/,
  },
  {
    name: 'a label outside 0–9',
    damage: (dir) =>
      fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), zlib.gzipSync(idxLabels([0, 1, 2, 3, 10, 5]))),
    code: 'data-bad-label',
    message: /label 4 is outside 0–9, got 10/,
  },
  {
    name: 'label and image counts that disagree',
    damage: (dir) =>
      fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), zlib.gzipSync(idxLabels([0, 1, 2]))),
    code: 'data-count-mismatch',
    message: /label count differs from the 6 images .* got 3 labels/,
  },
  {
    name: 'a missing file',
    damage: (dir) => fs.rmSync(path.join(dir, 'train-images-idx3-ubyte.gz')),
    code: 'data-missing-file',
    message: /train-images-idx3-ubyte\.gz: MNIST file not found/,
  },
];

for (const { name, damage, code, message } of CORRUPTIONS) {
  test(`a copy with ${name} fails with ${code}`, async (t) => {
    const dir = tempDir(t);
    writeTinyMnist(dir);
    await loadMnist(dir); // intact first, so the failure below is the damage's doing
    damage(dir);
    await assert.rejects(loadMnist(dir), errorCode(code, message));
  });
}

test('a real MNIST .gz cut in half fails with data-truncated giving the expected and actual sizes', async (t) => {
  const shared = sharedDataset(t, 'mnist');
  if (!shared) return;
  const dir = tempDir(t);
  for (const name of fs.readdirSync(shared)) fs.copyFileSync(path.join(shared, name), path.join(dir, name)); // to tmp, never the repo
  const file = path.join(dir, 't10k-images-idx3-ubyte.gz');
  fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 800000));
  // 10,000 images of 28×28: 16 + 7,840,000 = 7,840,016 bytes
  await assert.rejects(
    loadMnist(dir),
    errorCode(
      'data-truncated',
      /t10k-images-idx3-ubyte\.gz: header says 10,000 images of 28×28 \(7,840,016 bytes\), but the data is shorter, got [\d,]+ bytes\./,
    ),
  );
});

test('unpacked IDX files load the same as gzip ones', async (t) => {
  const dir = tempDir(t);
  writeTinyMnist(dir);
  const packed = await loadMnist(dir);
  for (const name of fs.readdirSync(dir)) {
    fs.writeFileSync(path.join(dir, name.replace(/\.gz$/, '')), zlib.gunzipSync(fs.readFileSync(path.join(dir, name))));
    fs.rmSync(path.join(dir, name));
  }
  const raw = await loadMnist(dir);
  assert.deepEqual(await raw.read('test', [0, 1, 2, 3]), await packed.read('test', [0, 1, 2, 3]));
});
