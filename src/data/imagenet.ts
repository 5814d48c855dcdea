import type { Rng } from '../util/rng';
import { dataError } from './data-errors';
import { scanImageFolder, type ImageFolderSplit } from './image-folder';
import {
  applyColourJitter,
  centreCropBox,
  drawAugmentPlan,
  flipHorizontal,
  resizeShortestEdge,
  type AugmentPlan,
  type CropBox,
} from './imagenet-augment';
import { loadSharp, type SharpFactory } from './load-sharp';
import { mapWithConcurrency } from './pool';
import type { Batch, ImageDataset, Split } from './types';

/**
 * ImageNet-style folders, decoded on demand with sharp: only the requested batch is ever in memory.
 * Evaluation: shorter side to 256, centre crop 224 (scaled with `imageSize`, so tests can use 16-px images).
 * Training: the SAT code's augmentation (imagenet-augment.ts) when `read` is given an Rng.
 */

export interface ImageNetOptions {
  /** Output side in pixels; 224 as in the paper. */
  imageSize?: number;
  /** Images decoded at once; sharp also uses its own threads for each. */
  concurrency?: number;
}

const BAD_IMAGE_FIX = 'replace the file with a good copy, or delete it (it is then left out of the set)';

interface DecodeStep {
  resize?: { width: number; height: number };
  extractBefore?: CropBox;
  extractAfter?: CropBox;
}

/** The sharp operations for one image: cut-then-resize for a training box, resize-then-cut otherwise. */
function decodeSteps(width: number, height: number, size: number, plan: AugmentPlan | undefined): DecodeStep {
  if (plan?.crop.kind === 'box') return { extractBefore: plan.crop.box, resize: { width: size, height: size } };
  // Evaluation resizes to 256/224 of the output first; tensorpack's training fallback resizes to the output itself.
  const shorter = plan ? size : Math.round((size * 256) / 224);
  const resized = resizeShortestEdge(width, height, shorter);
  return { resize: resized, extractAfter: centreCropBox(resized.width, resized.height, size) };
}

async function decodeImage(
  sharp: SharpFactory,
  file: string,
  size: number,
  plan: AugmentPlan | undefined,
  dims: { width: number; height: number },
): Promise<Float32Array> {
  const steps = decodeSteps(dims.width, dims.height, size, plan);
  let pipeline = sharp(file);
  if (steps.extractBefore) pipeline = pipeline.extract(steps.extractBefore);
  if (steps.resize)
    pipeline = pipeline.resize(steps.resize.width, steps.resize.height, { fit: 'fill', kernel: 'cubic' });
  if (steps.extractAfter) pipeline = pipeline.extract(steps.extractAfter);
  let raw: Buffer;
  try {
    raw = await pipeline.toColourspace('srgb').removeAlpha().raw().toBuffer();
  } catch (error) {
    throw dataError('data-bad-image', file, 'image cannot be decoded', `"${(error as Error).message}"`, BAD_IMAGE_FIX);
  }
  const pixels = new Float32Array(size * size * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = raw[i] / 255;
  if (plan) {
    applyColourJitter(pixels, plan.colour);
    if (plan.flip) flipHorizontal(pixels, size, size, 3);
  }
  return pixels;
}

async function readDimensions(sharp: SharpFactory, file: string): Promise<{ width: number; height: number }> {
  try {
    const { width, height } = await sharp(file).metadata();
    if (!width || !height) throw new Error('no width or height in the header');
    return { width, height };
  } catch (error) {
    throw dataError(
      'data-bad-image',
      file,
      'image header cannot be read',
      `"${(error as Error).message}"`,
      BAD_IMAGE_FIX,
    );
  }
}

async function readImages(
  sharp: SharpFactory,
  split: ImageFolderSplit,
  indices: ArrayLike<number>,
  size: number,
  concurrency: number,
  rng?: Rng,
): Promise<Batch> {
  const picked = Array.from(indices, (index) => {
    if (!Number.isInteger(index) || index < 0 || index >= split.files.length) {
      throw new RangeError(`example index ${index} is outside 0..${split.files.length - 1}`);
    }
    return index;
  });
  const files = picked.map((index) => split.files[index]);
  const dims = await mapWithConcurrency(files, concurrency, (file) => readDimensions(sharp, file));
  const plans = dims.map((d) => (rng ? drawAugmentPlan(d.width, d.height, rng) : undefined)); // in index order
  const decoded = await mapWithConcurrency(files, concurrency, (file, n) =>
    decodeImage(sharp, file, size, plans[n], dims[n]),
  );
  const images = new Float32Array(picked.length * size * size * 3);
  decoded.forEach((pixels, n) => images.set(pixels, n * pixels.length));
  return { images, labels: Int32Array.from(picked, (index) => split.labels[index]), count: picked.length };
}

export async function loadImageNet(dir: string, options: ImageNetOptions = {}): Promise<ImageDataset> {
  const size = options.imageSize ?? 224;
  const concurrency = options.concurrency ?? 4;
  const sharp = await loadSharp(); // before scanning, so a missing decoder is reported first
  const index = scanImageFolder(dir);
  const warnings: string[] = [];
  for (const split of ['train', 'test'] as const) {
    if (index.splits[split].files.length === 0) warnings.push(`imagenet-empty-split: ${dir} has no ${split} images`);
  }
  return {
    name: 'imagenet',
    shape: { height: size, width: size, channels: 3 },
    numClasses: index.classNames.length,
    classNames: index.classNames,
    warnings,
    size: (split: Split) => index.splits[split].files.length,
    read: (split, indices, augmentRng) =>
      readImages(sharp, index.splits[split], indices, size, concurrency, augmentRng),
  };
}
