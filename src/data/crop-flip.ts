import type { Rng } from '../util/rng';
import type { ImageShape } from './types';

/**
 * CIFAR-10's standard training augmentation (He et al. 2016, used by the SAT CIFAR runs): pad 4 px of zeros on each
 * side, take a random crop of the original size, and flip left-right with probability 1/2.
 * Draws per example, in this order: row offset, column offset, flip — so a seed fixes the output.
 */

export const CROP_PADDING = 4;

export function randomCropFlip(source: Uint8Array, out: Float32Array, shape: ImageShape, rng: Rng): void {
  const { height, width, channels } = shape;
  const dy = rng.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING; // shift in [-4, 4]
  const dx = rng.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
  const flip = rng.next() < 0.5;
  for (let y = 0; y < height; y++) {
    const sy = y + dy;
    for (let x = 0; x < width; x++) {
      const cropX = flip ? width - 1 - x : x; // flip after cropping: output x reads the crop's mirrored column
      const sx = cropX + dx;
      const o = (y * width + x) * channels;
      const inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
      const s = (sy * width + sx) * channels;
      for (let c = 0; c < channels; c++) out[o + c] = inside ? source[s + c] / 255 : 0;
    }
  }
}
