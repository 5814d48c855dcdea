import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { channelMoments } from '../../src/js-kernels/batch-norm';
import { randomValues } from '../fast-harness';

/** The plain formulation: each channel's float64 sums about its first value, rows in order. */
function plainMoments(x: Float32Array, channels: number) {
  const rows = x.length / channels;
  const mean = new Float32Array(channels);
  const variance = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    let squares = 0;
    for (let r = 0; r < rows; r++) {
      const d = x[r * channels + c] - x[c];
      sum += d;
      squares += d * d;
    }
    const shiftedMean = sum / rows;
    mean[c] = x[c] + shiftedMean;
    variance[c] = Math.max(0, squares / rows - shiftedMean * shiftedMean);
  }
  return { mean, variance };
}

test('the tiled, blocked moments are bit-identical to the plain per-channel sums', () => {
  // Channel counts with and without a remainder after blocks of 4; row counts within one tile and across several.
  for (const [rows, channels] of [
    [5, 1],
    [300, 3],
    [1000, 6],
    [2049, 16],
    [97, 65],
    [40, 200],
  ]) {
    const x = Float32Array.from(randomValues(rows * channels, rows + channels), (v) => 3 * v + 1);
    const mean = new Float32Array(channels);
    const variance = new Float32Array(channels);
    channelMoments(x, channels, mean, variance);
    const plain = plainMoments(x, channels);
    for (let c = 0; c < channels; c++) {
      assert.ok(
        Object.is(mean[c], plain.mean[c]) && Object.is(variance[c], plain.variance[c]),
        `rows ${rows}, channels ${channels}, channel ${c}`,
      );
    }
  }
});
