import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test, { type TestContext } from 'node:test';
import { loadImageNet } from '../../src/data/imagenet';
import { loadSharp, type SharpFactory } from '../../src/data/load-sharp';
import { Rng } from '../../src/util/rng';
import { errorCode, tempDir } from './helpers/data-files';

/** Solid colour per class (classes made out of order to check sorting); sizes vary to exercise crops. */
const CLASSES: Record<string, [number, number, number]> = {
  n03: [200, 40, 40],
  n01: [40, 200, 40],
  n02: [40, 40, 200],
};
const SIZES = [
  [40, 30],
  [30, 48],
];

/** sharp is optional: without it these tests skip, visibly. */
async function sharpOrSkip(t: TestContext): Promise<SharpFactory | undefined> {
  try {
    return await loadSharp();
  } catch {
    t.skip('sharp is not installed (optional dependency); run `npm install sharp` to test image folders');
    return undefined;
  }
}

async function writeJpeg(
  sharp: SharpFactory,
  file: string,
  width: number,
  height: number,
  rgb: [number, number, number],
): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // a vertical stripe on the left third, so flips and crops change pixels
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const colour = x < width / 3 ? [255, 255, 255] : rgb;
      raw.set(colour, (y * width + x) * 3);
    }
  await sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(file);
}

async function makeFolder(t: TestContext, sharp: SharpFactory): Promise<string> {
  const dir = tempDir(t);
  for (const [wnid, rgb] of Object.entries(CLASSES)) {
    for (const [i, [w, h]] of SIZES.entries())
      await writeJpeg(sharp, path.join(dir, 'train', wnid, `${wnid}_${i}.JPEG`), w, h, rgb);
    await writeJpeg(sharp, path.join(dir, 'val', wnid, `val_${wnid}.JPEG`), 36, 36, rgb);
  }
  return dir;
}

test('an image folder indexes classes in sorted order and batches to [N, size, size, 3] in [0, 1]', async (t) => {
  const sharp = await sharpOrSkip(t);
  if (!sharp) return;
  const data = await loadImageNet(await makeFolder(t, sharp), { imageSize: 16 });
  assert.deepEqual(data.classNames, ['n01', 'n02', 'n03']);
  assert.deepEqual([data.size('train'), data.size('test'), data.numClasses], [6, 3, 3]);
  assert.deepEqual(data.shape, { height: 16, width: 16, channels: 3 });
  const batch = await data.read('train', [0, 3, 5]);
  assert.equal(batch.images.length, 3 * 16 * 16 * 3);
  assert.deepEqual(Array.from(batch.labels), [0, 1, 2]); // train files sorted: n01 ×2, n02 ×2, n03 ×2
  assert.ok(batch.images.every((v) => v >= 0 && v <= 1));
});

test('evaluation reads keep the image: the right edge of val image n03 is its colour (200, 40, 40)', async (t) => {
  const sharp = await sharpOrSkip(t);
  if (!sharp) return;
  const data = await loadImageNet(await makeFolder(t, sharp), { imageSize: 16 });
  const batch = await data.read('test', [2]);
  assert.equal(batch.labels[0], 2);
  const at = (8 * 16 + 15) * 3; // row 8, last column: far from the white stripe
  const rgb = Array.from(batch.images.subarray(at, at + 3), (v) => v * 255);
  [200, 40, 40].forEach((expected, c) => assert.ok(Math.abs(rgb[c] - expected) < 8, `channel ${c}: ${rgb[c]}`)); // JPEG error
});

test('training augmentation is seeded: the same Rng seed gives the same pixels, another seed others', async (t) => {
  const sharp = await sharpOrSkip(t);
  if (!sharp) return;
  const data = await loadImageNet(await makeFolder(t, sharp), { imageSize: 16 });
  const indices = [0, 1, 2, 3, 4, 5];
  const a = await data.read('train', indices, new Rng(42));
  const b = await data.read('train', indices, new Rng(42));
  const c = await data.read('train', indices, new Rng(43));
  const plain = await data.read('train', indices);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.images, c.images);
  assert.notDeepEqual(a.images, plain.images);
  assert.deepEqual(a.labels, plain.labels);
});

test('a damaged JPEG is a data-bad-image error naming the file', async (t) => {
  const sharp = await sharpOrSkip(t);
  if (!sharp) return;
  const dir = await makeFolder(t, sharp);
  const file = path.join(dir, 'val', 'n01', 'val_n01.JPEG');
  fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 40));
  const data = await loadImageNet(dir, { imageSize: 16 });
  await assert.rejects(
    data.read('test', [0]),
    errorCode('data-bad-image', /val_n01\.JPEG: image (header )?cannot be (read|decoded)/),
  );
});

test('a missing decoder is a sharp-missing error that says npm install sharp', async () => {
  await assert.rejects(
    loadSharp('sat-bench-no-such-module'),
    (error: Error & { fix?: string }) => errorCode('sharp-missing')(error) && /npm install sharp/.test(error.fix ?? ''),
  );
});

test('a folder without train/ or val/, or with loose val images, fails with a named error', async (t) => {
  const sharp = await sharpOrSkip(t);
  if (!sharp) return;
  const empty = tempDir(t);
  await assert.rejects(loadImageNet(empty), errorCode('data-missing-file', /needs train\/ or val\/ inside/));
  const loose = tempDir(t);
  await writeJpeg(sharp, path.join(loose, 'train', 'n01', 'a.JPEG'), 8, 8, [1, 2, 3]);
  await writeJpeg(sharp, path.join(loose, 'val', 'ILSVRC2012_val_00000001.JPEG'), 8, 8, [1, 2, 3]);
  await assert.rejects(loadImageNet(loose), errorCode('data-unknown-class', /images lie directly in the folder/));
  const extra = tempDir(t);
  await writeJpeg(sharp, path.join(extra, 'train', 'n01', 'a.JPEG'), 8, 8, [1, 2, 3]);
  await writeJpeg(sharp, path.join(extra, 'val', 'n09', 'b.JPEG'), 8, 8, [1, 2, 3]);
  await assert.rejects(loadImageNet(extra), errorCode('data-unknown-class', /no counterpart in train\/, got "n09"/));
});

test('the default output is 224×224×3, resized and centre-cropped from any size', async (t) => {
  const sharp = await sharpOrSkip(t);
  if (!sharp) return;
  const dir = tempDir(t);
  await writeJpeg(sharp, path.join(dir, 'val', 'n01', 'a.JPEG'), 300, 200, [10, 20, 30]);
  const data = await loadImageNet(dir);
  const batch = await data.read('test', [0]);
  assert.equal(batch.images.length, 224 * 224 * 3);
  assert.equal(data.size('train'), 0);
  assert.match(data.warnings.join('\n'), /imagenet-empty-split: .* no train images/);
});
