import type { Rng } from '../util/rng';

/**
 * ImageNet training augmentation as in the official SAT code (cihangxie/SmoothAdversarialTraining,
 * ResNet/third_party/imagenet_utils.py `fbresnet_augmentor`, from tensorpack / fb.resnet.torch):
 * GoogleNet random crop + resize, then brightness, contrast, saturation and PCA lighting in a random order, then a
 * horizontal flip. Here pixels are RGB in [0, 1] (tensorpack: BGR in [0, 255], hence its reversed constants).
 * Every draw is made up front by `drawAugmentPlan`, in index order, so decoding can run in parallel and still give
 * the same pixels for the same seed.
 */

export interface CropBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where to cut before resizing; 'centre' is tensorpack's fallback: shorter side to the target, then centre crop. */
export type CropPlan = { kind: 'box'; box: CropBox } | { kind: 'centre' };

export interface ColourPlan {
  order: Int32Array; // permutation of [brightness, contrast, saturation, lighting]
  brightness: number; // multiplier in [0.6, 1.4]
  contrast: number; // in [0.6, 1.4]
  saturation: number; // 1 ± 0.4
  lighting: [number, number, number]; // N(0, 0.1²) weight per principal component
}

export interface AugmentPlan {
  crop: CropPlan;
  colour: ColourPlan;
  flip: boolean;
}

const AREA_RANGE = [0.08, 1] as const;
const ASPECT_RANGE = [0.75, 1.333] as const; // tensorpack draws the ratio uniformly (not log-uniformly), then may swap
const JITTER = 0.4;
const LIGHTING_STD = 0.1;
/** AlexNet's PCA of ImageNet RGB pixels in [0, 1] (fb.resnet.torch): eigenvalues, and eigenvectors as columns. */
export const PCA_EIGENVALUES = [0.2175, 0.0188, 0.0045] as const;
export const PCA_EIGENVECTORS = [
  [-0.5675, 0.7192, 0.4009],
  [-0.5808, -0.0045, -0.814],
  [-0.5836, -0.6948, 0.4203],
] as const;
const GREY = [0.299, 0.587, 0.114] as const; // ITU-R 601 luma, as cv2's RGB→GRAY

/** GoogleNetRandomCropAndResize.get_transform: ten tries at an 8–100 % area crop, else the centre fallback. */
export function drawCrop(width: number, height: number, rng: Rng): CropPlan {
  const area = width * height;
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = rng.uniform(AREA_RANGE[0], AREA_RANGE[1]) * area;
    const aspect = rng.uniform(ASPECT_RANGE[0], ASPECT_RANGE[1]);
    let w = Math.floor(Math.sqrt(targetArea * aspect) + 0.5);
    let h = Math.floor(Math.sqrt(targetArea / aspect) + 0.5);
    if (rng.next() < 0.5) [w, h] = [h, w];
    if (h <= height && w <= width && w > 0 && h > 0) {
      const left = rng.nextInt(width - w + 1);
      const top = rng.nextInt(height - h + 1);
      return { kind: 'box', box: { left, top, width: w, height: h } };
    }
  }
  return { kind: 'centre' };
}

export function drawAugmentPlan(width: number, height: number, rng: Rng): AugmentPlan {
  const crop = drawCrop(width, height, rng);
  const colour: ColourPlan = {
    order: rng.permutation(4),
    brightness: rng.uniform(1 - JITTER, 1 + JITTER),
    contrast: rng.uniform(1 - JITTER, 1 + JITTER),
    saturation: rng.uniform(1 - JITTER, 1 + JITTER),
    lighting: [rng.normal() * LIGHTING_STD, rng.normal() * LIGHTING_STD, rng.normal() * LIGHTING_STD],
  };
  return { crop, colour, flip: rng.next() < 0.5 };
}

/** Each op clips to [0, 1] afterwards, as tensorpack's casts back to uint8 saturate (clip=True defaults). */
function clipUnit(pixels: Float32Array): void {
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, Math.max(0, pixels[i]));
}

const COLOUR_OPS: ReadonlyArray<(pixels: Float32Array, plan: ColourPlan) => void> = [
  (pixels, { brightness }) => {
    for (let i = 0; i < pixels.length; i++) pixels[i] *= brightness;
  },
  (pixels, { contrast }) => {
    // tensorpack's Contrast with rgb=None (as the SAT code calls it) blends towards each channel's own mean.
    const mean = [0, 0, 0];
    for (let i = 0; i < pixels.length; i++) mean[i % 3] += pixels[i];
    for (let c = 0; c < 3; c++) mean[c] /= pixels.length / 3;
    for (let i = 0; i < pixels.length; i++) pixels[i] = pixels[i] * contrast + mean[i % 3] * (1 - contrast);
  },
  (pixels, { saturation }) => {
    for (let i = 0; i < pixels.length; i += 3) {
      const grey = GREY[0] * pixels[i] + GREY[1] * pixels[i + 1] + GREY[2] * pixels[i + 2];
      for (let c = 0; c < 3; c++) pixels[i + c] = pixels[i + c] * saturation + grey * (1 - saturation);
    }
  },
  (pixels, { lighting }) => {
    const shift = PCA_EIGENVECTORS.map((row) =>
      row.reduce((sum, v, k) => sum + v * lighting[k] * PCA_EIGENVALUES[k], 0),
    );
    for (let i = 0; i < pixels.length; i++) pixels[i] += shift[i % 3];
  },
];

/** Applies the colour jitter in the drawn order to HWC RGB pixels in [0, 1], in place. */
export function applyColourJitter(pixels: Float32Array, plan: ColourPlan): void {
  for (const op of plan.order) {
    COLOUR_OPS[op](pixels, plan);
    clipUnit(pixels);
  }
}

/** Mirrors HWC pixels left-right, in place. */
export function flipHorizontal(pixels: Float32Array, width: number, height: number, channels: number): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width >> 1; x++) {
      const a = (y * width + x) * channels;
      const b = (y * width + width - 1 - x) * channels;
      for (let c = 0; c < channels; c++) [pixels[a + c], pixels[b + c]] = [pixels[b + c], pixels[a + c]];
    }
  }
}

/** tensorpack ResizeShortestEdge: the shorter side becomes `shorter`, the other is scaled and rounded. */
export function resizeShortestEdge(width: number, height: number, shorter: number): { width: number; height: number } {
  const scale = shorter / Math.min(width, height);
  return height < width
    ? { width: Math.floor(scale * width + 0.5), height: shorter }
    : { width: shorter, height: Math.floor(scale * height + 0.5) };
}

/** tensorpack CenterCrop: offsets rounded down. */
export function centreCropBox(width: number, height: number, size: number): CropBox {
  return { left: Math.floor((width - size) / 2), top: Math.floor((height - size) / 2), width: size, height: size };
}
