import type * as tf from '@tensorflow/tfjs';

/**
 * The common pooling case, 2×2 windows at stride 2 with no padding (SmallCNN's and most CNNs' max-pool), done in
 * one pass: windows do not overlap, so every input position is visited exactly once, and the gradient pass can
 * write all of dx (the chosen position gets dy, the other three 0) without zero-filling it first.
 */
export function isPairPool(info: tf.backend_util.Conv2DInfo): boolean {
  const { effectiveFilterHeight, effectiveFilterWidth, strideHeight, strideWidth, padInfo } = info;
  return (
    effectiveFilterHeight === 2 &&
    effectiveFilterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    padInfo.top === 0 &&
    padInfo.left === 0 &&
    info.outHeight * 2 <= info.inHeight &&
    info.outWidth * 2 <= info.inWidth
  );
}

/**
 * Which of the window's values (row-major a, b, c, d) TF.js picks: the first strictly larger than everything
 * before it, starting from −∞; −1 when none is (all NaN or −∞).
 */
function pickFirstMax(a: number, b: number, c: number, d: number): number {
  let best = Number.NEGATIVE_INFINITY;
  let pick = -1;
  if (a > best) {
    best = a;
    pick = 0;
  }
  if (b > best) {
    best = b;
    pick = 1;
  }
  if (c > best) {
    best = c;
    pick = 2;
  }
  if (d > best) pick = 3;
  return pick;
}

// The two loops below are written out rather than sharing a window-walker with a callback: a callback per
// element (polymorphic across the two) made them ~3× slower.

export function pairPool(info: tf.backend_util.Conv2DInfo, x: Float32Array, y: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const rowStride = inWidth * channels;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      const rowBase = (b * inHeight + 2 * yr) * rowStride;
      for (let yc = 0; yc < outWidth; yc++) {
        const p = rowBase + 2 * yc * channels;
        for (let d = 0; d < channels; d++, o++) {
          const a = x[p + d];
          const bb = x[p + channels + d];
          const c = x[p + rowStride + d];
          const e = x[p + rowStride + channels + d];
          const pick = pickFirstMax(a, bb, c, e);
          y[o] = pick === 0 ? a : pick === 1 ? bb : pick === 2 ? c : pick === 3 ? e : Number.NEGATIVE_INFINITY;
        }
      }
    }
  }
}

export function pairPoolGrad(
  info: tf.backend_util.Conv2DInfo,
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  // Rows/cols no window covers (odd input sizes) get no gradient; the loop below never writes them.
  if (outHeight * 2 < inHeight || outWidth * 2 < inWidth) dx.fill(0);
  const rowStride = inWidth * channels;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      const rowBase = (b * inHeight + 2 * yr) * rowStride;
      for (let yc = 0; yc < outWidth; yc++) {
        const p = rowBase + 2 * yc * channels;
        for (let d = 0; d < channels; d++, o++) {
          const pick = pickFirstMax(
            x[p + d],
            x[p + channels + d],
            x[p + rowStride + d],
            x[p + rowStride + channels + d],
          );
          const g = dy[o];
          dx[p + d] = pick === 0 ? g : 0;
          dx[p + channels + d] = pick === 1 ? g : 0;
          dx[p + rowStride + d] = pick === 2 ? g : 0;
          dx[p + rowStride + channels + d] = pick === 3 ? g : 0;
        }
      }
    }
  }
}
