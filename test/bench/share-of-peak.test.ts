import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatShare, rateAgainstPeak, shareOfPeak } from '../../src/bench/share-of-peak';
import { ROW } from './fixtures';

test('the share of peak is the row GFLOP/s over the peak GFLOP/s, to a tenth of a per cent', () => {
  // 62.91 / 150 = 0.41940 → 0.419; 87.17 / 87.17 = 1; 1 / 3 = 0.33333 → 0.333.
  assert.equal(shareOfPeak(62.91, 150), 0.419);
  assert.equal(shareOfPeak(87.17, 87.17), 1);
  assert.equal(shareOfPeak(1, 3), 0.333);
  // A disturbed peak run can leave a row above it: shown as it is, not clipped to 100 %.
  assert.equal(shareOfPeak(120, 100), 1.2);
});

test('a peak that is not a positive rate is refused instead of giving Infinity or NaN shares', () => {
  for (const peak of [0, -1, Number.NaN]) assert.throws(() => shareOfPeak(10, peak), /peak must be a positive rate/);
});

test('rating a row keeps every torch_bench.py key and value and adds share_of_peak', () => {
  const rated = rateAgainstPeak(ROW, 150);
  assert.deepEqual({ ...rated, share_of_peak: undefined }, { ...ROW, share_of_peak: undefined });
  assert.equal(rated.share_of_peak, 0.419);
});

test('the table shows shares as whole per cents', () => {
  assert.equal(formatShare(0.419), '42 %');
  assert.equal(formatShare(0.004), '0 %');
  assert.equal(formatShare(1.2), '120 %');
});
