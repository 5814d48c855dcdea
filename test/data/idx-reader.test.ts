import assert from 'node:assert/strict';
import test from 'node:test';
import * as zlib from 'node:zlib';
import { gunzipTolerant, isGzip, parseIdxImages, parseIdxLabels } from '../../src/data/idx-reader';
import { errorCode, idxImages, idxLabels } from './helpers/data-files';

test('parses an IDX image file into its count, size and row-major pixels', () => {
  const parsed = parseIdxImages(idxImages(3), 'x');
  assert.deepEqual([parsed.count, parsed.rows, parsed.cols, parsed.pixels.length], [3, 28, 28, 3 * 784]);
  // generator: pixel (n, r, c) = (n + r + c) mod 256, so image 2, row 1, column 5 is 8
  assert.equal(parsed.pixels[2 * 784 + 1 * 28 + 5], 8);
});

test('gzip is recognised by its magic bytes 1f 8b and unpacks to the same bytes', () => {
  const raw = idxImages(2);
  const packed = zlib.gzipSync(raw);
  assert.equal(isGzip(packed), true);
  assert.equal(isGzip(raw), false);
  assert.deepEqual(Buffer.from(gunzipTolerant(packed, 'x')), raw);
});

const IMAGE_ERRORS: Array<{ name: string; bytes: () => Uint8Array; code: string; message: RegExp }> = [
  {
    name: 'a file shorter than its header',
    bytes: () => idxImages(1).subarray(0, 10),
    code: 'data-truncated',
    message: /too short .* header .*got 10 bytes/,
  },
  {
    name: 'a flipped magic number',
    bytes: () => idxImages(1, { magic: 2049 }),
    code: 'data-bad-magic',
    message: /magic number should be 2051.*got 2049/,
  },
  {
    name: 'images that are not 28×28',
    bytes: () => idxImages(1, { rows: 32, cols: 32 }),
    code: 'data-bad-shape',
    message: /got 32×32/,
  },
  // 2 images of 784 bytes + 16 header = 1,584 bytes expected; 100 bytes cut
  {
    name: 'pixel data cut short',
    bytes: () => idxImages(2).subarray(0, 1484),
    code: 'data-truncated',
    message: /header says 2 images of 28×28 \(1,584 bytes\).*got 1,484 bytes/,
  },
  {
    name: 'bytes after the last image',
    bytes: () => Buffer.concat([idxImages(1), Buffer.alloc(5)]),
    code: 'data-size-mismatch',
    message: /got 805 bytes/,
  },
];

for (const { name, bytes, code, message } of IMAGE_ERRORS) {
  test(`rejects ${name} with ${code}`, () => {
    assert.throws(() => parseIdxImages(bytes(), 'images.idx'), errorCode(code, message));
  });
}

test('rejects a label outside 0–9 naming its index and value', () => {
  assert.throws(
    () => parseIdxLabels(idxLabels([1, 2, 12, 3]), 'labels.idx'),
    errorCode('data-bad-label', /^labels\.idx: label 2 is outside 0–9, got 12\.$/),
  );
});

test('rejects a label file given as the image file by its magic number', () => {
  assert.throws(() => parseIdxImages(idxLabels([1, 2]), 'f'), errorCode('data-bad-magic'));
});

test('a truncated gzip unpacks as far as it goes, so the length check names what is missing', () => {
  const packed = zlib.gzipSync(idxImages(50));
  const cut = gunzipTolerant(packed.subarray(0, Math.floor(packed.length / 2)), 'x');
  assert.ok(cut.length < 16 + 50 * 784);
  assert.throws(() => parseIdxImages(cut, 'x.gz'), errorCode('data-truncated', /header says 50 images/));
});

test('corrupt gzip data is a data-corrupt-gzip error naming the file', () => {
  const packed = Buffer.from(zlib.gzipSync(idxImages(5)));
  packed.fill(0xff, 20, 60); // overwrite deflate blocks
  assert.throws(
    () => gunzipTolerant(packed, 'bad.gz'),
    errorCode('data-corrupt-gzip', /^bad\.gz: gzip data is corrupt/),
  );
});
