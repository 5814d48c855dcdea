import type { Rng } from '../util/rng';
import type { Batch, ImageDataset, ImageShape, Split } from './types';

/**
 * An ImageDataset over images already in memory as bytes (MNIST, CIFAR-10). Bytes stay bytes until `read`, which
 * converts only the requested examples to float32 in [0, 1]: 50 000 CIFAR images are 150 MB as bytes, 600 MB as floats.
 */

export interface ByteSplit {
  pixels: Uint8Array; // [N, H, W, C], 0–255
  labels: Uint8Array; // [N]
}

/**
 * Writes one augmented example into `out` (length H·W·C) from its bytes `source` (same length), drawing from `rng`.
 * Called once per example, in index order, so a seed fixes every draw.
 */
export type AugmentExample = (source: Uint8Array, out: Float32Array, shape: ImageShape, rng: Rng) => void;

export interface InMemoryDatasetSpec {
  name: string;
  shape: ImageShape;
  classNames: readonly string[];
  splits: Record<Split, ByteSplit>;
  /** Training augmentation; without it `read` ignores its Rng. */
  augment?: AugmentExample;
  warnings?: readonly string[];
}

const BYTE_TO_UNIT = 1 / 255;

export function createInMemoryDataset(spec: InMemoryDatasetSpec): ImageDataset {
  const { shape, splits, augment } = spec;
  const exampleSize = shape.height * shape.width * shape.channels;
  return {
    name: spec.name,
    shape,
    numClasses: spec.classNames.length,
    classNames: spec.classNames,
    warnings: spec.warnings ?? [],
    size: (split) => splits[split].labels.length,
    read: async (split, indices, augmentRng) =>
      readBatch(splits[split], indices, exampleSize, (source, out) => {
        if (augmentRng && augment) augment(source, out, shape, augmentRng);
        else for (let i = 0; i < source.length; i++) out[i] = source[i] * BYTE_TO_UNIT;
      }),
  };
}

function readBatch(
  data: ByteSplit,
  indices: ArrayLike<number>,
  exampleSize: number,
  writeExample: (source: Uint8Array, out: Float32Array) => void,
): Batch {
  const count = indices.length;
  const images = new Float32Array(count * exampleSize);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const index = indices[n];
    // An out-of-range index is a caller bug, not a data problem: a plain Error, which the CLI reports as one.
    if (!Number.isInteger(index) || index < 0 || index >= data.labels.length) {
      throw new RangeError(`example index ${index} is outside 0..${data.labels.length - 1}`);
    }
    const source = data.pixels.subarray(index * exampleSize, (index + 1) * exampleSize);
    writeExample(source, images.subarray(n * exampleSize, (n + 1) * exampleSize));
    labels[n] = data.labels[index];
  }
  return { images, labels, count };
}
