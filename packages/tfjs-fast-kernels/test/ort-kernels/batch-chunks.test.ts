import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchChunks } from '../../src/ort-kernels/batch-chunks';

const counts = (batch: number, floatsPerImage: number) => batchChunks(batch, floatsPerImage).map((c) => c.count);

test('chunks cover the batch in order without gaps', () => {
  for (const [batch, perImage] of [
    [128, 50176],
    [7, 81920],
    [100, 50000],
    [1, 1e7],
    [37, 3],
  ]) {
    let next = 0;
    for (const { start, count } of batchChunks(batch, perImage)) {
      assert.equal(start, next);
      assert.ok(count > 0);
      next += count;
    }
    assert.equal(next, batch, `batch ${batch}`);
  }
});

test('a divisor of the batch near the target size gives equal chunks (one ORT session)', () => {
  // 2^19 / 50176 = 10 images per chunk at most; 8 divides 128.
  assert.deepEqual(counts(128, 50176), Array(16).fill(8));
  // 2^19 / 25872 = 20; 16 divides 128.
  assert.deepEqual(counts(128, 25872), Array(8).fill(16));
});

test('without such a divisor the chunks are near-equal, and small images make one chunk', () => {
  // 2^19 / 131072 = 4 per chunk: 5 images as 3 + 2 (no divisor of 5 in 3..4).
  assert.deepEqual(counts(5, 131072), [3, 2]);
  assert.deepEqual(counts(128, 784), [128]);
  // An image bigger than a chunk still gets a chunk of its own.
  assert.deepEqual(counts(3, 1e7), [1, 1, 1]);
});
