/** What every dataset loader produces. Pixels are float32 in [0, 1], laid out [N, H, W, C]. */

export type Split = 'train' | 'test';

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

export interface Batch {
  images: Float32Array; // [N, H, W, C], values in [0, 1]
  labels: Int32Array; // [N], class indices
  count: number;
}

/**
 * A dataset addressed by example index, so in-memory sets (glyphs, MNIST, CIFAR) and streamed folders (ImageNet)
 * share one interface. `read` applies the dataset's training augmentation only when given an Rng for it.
 */
export interface ImageDataset {
  name: string;
  shape: ImageShape;
  numClasses: number;
  classNames: readonly string[];
  size(split: Split): number;
  read(split: Split, indices: ArrayLike<number>, augmentRng?: import('../util/rng').Rng): Promise<Batch>;
  /** Warnings worth a line at start-up (e.g. a partial CIFAR copy). */
  warnings: readonly string[];
}
