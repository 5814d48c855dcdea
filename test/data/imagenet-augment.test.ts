import assert from 'node:assert/strict';
import test from 'node:test';
import {
  PCA_EIGENVALUES,
  PCA_EIGENVECTORS,
  applyColourJitter,
  centreCropBox,
  drawAugmentPlan,
  drawCrop,
  flipHorizontal,
  resizeShortestEdge,
  type ColourPlan,
} from '../../src/data/imagenet-augment';
import { Rng } from '../../src/util/rng';

const identity = (order = [0, 1, 2, 3]): ColourPlan => ({
  order: Int32Array.from(order),
  brightness: 1,
  contrast: 1,
  saturation: 1,
  lighting: [0, 0, 0],
});

test('random crops lie inside the image with 8–100 % of its area and a 3:4–4:3 shape', () => {
  const rng = new Rng(5);
  for (let i = 0; i < 500; i++) {
    const plan = drawCrop(500, 375, rng);
    if (plan.kind !== 'box') continue;
    const { left, top, width, height } = plan.box;
    assert.ok(left >= 0 && top >= 0 && left + width <= 500 && top + height <= 375);
    const area = (width * height) / (500 * 375);
    assert.ok(area > 0.075 && area <= 1.01, `area fraction ${area}`); // rounding each side by ≤ 0.5 px
    assert.ok(width / height > 0.74 && width / height < 1.35, `aspect ${width / height}`);
  }
});

test('an image too thin for any crop falls back to the centre crop, as tensorpack does after ten tries', () => {
  // 2×1000: an 8 % crop (160 px²) at ratio ≤ 4/3 is at least 11 px wide
  assert.deepEqual(drawCrop(2, 1000, new Rng(1)), { kind: 'centre' });
});

test('the same seed draws the same plan and another seed another plan', () => {
  assert.deepEqual(drawAugmentPlan(320, 240, new Rng(9)), drawAugmentPlan(320, 240, new Rng(9)));
  assert.notDeepEqual(drawAugmentPlan(320, 240, new Rng(9)), drawAugmentPlan(320, 240, new Rng(10)));
});

test('colour jitter with neutral factors leaves pixels unchanged in any order', () => {
  const pixels = Float32Array.from({ length: 30 }, (_, i) => ((i * 7) % 11) / 10);
  const copy = pixels.slice();
  applyColourJitter(pixels, identity([3, 1, 0, 2]));
  assert.deepEqual(pixels, copy);
});

test('brightness scales and clips to [0, 1]', () => {
  const pixels = Float32Array.from([0.5, 0.25, 0.9]);
  applyColourJitter(pixels, { ...identity(), brightness: 1.4 });
  // 0.5·1.4 = 0.7, 0.25·1.4 = 0.35, 0.9·1.4 = 1.26 → 1
  assert.deepEqual(
    Array.from(pixels, (v) => +v.toFixed(6)),
    [0.7, 0.35, 1],
  );
});

test('saturation 0 turns a pixel grey with the 0.299/0.587/0.114 weights', () => {
  const pixels = Float32Array.from([1, 0, 0]);
  applyColourJitter(pixels, { ...identity(), saturation: 0 });
  assert.deepEqual(
    Array.from(pixels, (v) => +v.toFixed(6)),
    [0.299, 0.299, 0.299],
  );
});

test('lighting shifts every pixel by eigenvectors · (weights · eigenvalues)', () => {
  const pixels = new Float32Array(6).fill(0.5);
  applyColourJitter(pixels, { ...identity(), lighting: [0.1, 0, 0] });
  // first component only: shift_c = eigvec[c][0] · 0.1 · 0.2175 → R −0.012343, G −0.012632, B −0.012693
  const expected = PCA_EIGENVECTORS.map((row) => 0.5 + row[0] * 0.1 * PCA_EIGENVALUES[0]);
  assert.deepEqual(
    Array.from(pixels.subarray(0, 3), (v) => +v.toFixed(5)),
    expected.map((v) => +v.toFixed(5)),
  );
  assert.ok(Math.abs(expected[0] - (0.5 - 0.012343)) < 1e-6);
});

test('a horizontal flip mirrors columns and twice is the identity', () => {
  const pixels = Float32Array.from({ length: 2 * 3 * 1 }, (_, i) => i); // 2 rows × 3 columns × 1 channel
  flipHorizontal(pixels, 3, 2, 1);
  assert.deepEqual(Array.from(pixels), [2, 1, 0, 5, 4, 3]);
  flipHorizontal(pixels, 3, 2, 1);
  assert.deepEqual(Array.from(pixels), [0, 1, 2, 3, 4, 5]);
});

test('evaluation geometry: 500×375 resizes to 341×256 and its centre 224 crop starts at (58, 16)', () => {
  // 256 / 375 · 500 = 341.33 → 341; (341 − 224) / 2 = 58.5 → 58; (256 − 224) / 2 = 16
  assert.deepEqual(resizeShortestEdge(500, 375, 256), { width: 341, height: 256 });
  assert.deepEqual(centreCropBox(341, 256, 224), { left: 58, top: 16, width: 224, height: 224 });
});
