import assert from 'node:assert/strict';
import test from 'node:test';
import { checkCifarBatch, parseCifarBatches } from '../../src/data/cifar-reader';
import { cifarRecords, errorCode } from './helpers/data-files';

test('records become HWC bytes: pixel (y, x) holds the R, G and B planes at y·32 + x', () => {
  const { pixels, labels } = parseCifarBatches([{ file: 'a', bytes: cifarRecords([3, 7]) }]);
  assert.deepEqual(Array.from(labels), [3, 7]);
  // generator: record n, channel c, position p = (n + 10c + p) mod 256; record 1, y 2, x 5 → p 69 → R 70, G 80, B 90
  const at = 1 * 3072 + (2 * 32 + 5) * 3;
  assert.deepEqual(Array.from(pixels.subarray(at, at + 3)), [70, 80, 90]);
});

test('batches are concatenated in the order given', () => {
  const { labels } = parseCifarBatches([
    { file: 'a', bytes: cifarRecords([1]) },
    { file: 'b', bytes: cifarRecords([2, 3]) },
  ]);
  assert.deepEqual(Array.from(labels), [1, 2, 3]);
});

const ERRORS: Array<{ name: string; bytes: () => Buffer; code: string; message: RegExp }> = [
  { name: 'an empty file', bytes: () => Buffer.alloc(0), code: 'data-empty', message: /got 0 bytes/ },
  // 2 records = 6,146 bytes; 100 cut leaves 1 record and 2,973 bytes over
  {
    name: 'a size that is not a whole number of records',
    bytes: () => cifarRecords([1, 2]).subarray(0, 6046),
    code: 'data-truncated',
    message: /got 6,046 bytes \(1 records and 2,973 bytes over\)/,
  },
  {
    name: 'a label above 9',
    bytes: () => cifarRecords([1, 10]),
    code: 'data-bad-label',
    message: /record 1 has a label outside 0–9, got 10/,
  },
];

for (const { name, bytes, code, message } of ERRORS) {
  test(`rejects ${name} with ${code}`, () => {
    assert.throws(() => checkCifarBatch(bytes(), 'batch.bin'), errorCode(code, message));
  });
}
