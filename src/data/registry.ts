import { lookup } from '../util/errors';
import { loadCifar10 } from './cifar10';
import { loadImageNet } from './imagenet';
import { loadMnist } from './mnist';
import type { ImageDataset } from './types';

/** Every dataset a preset can name (DATASETS), and the one place the folder ones are resolved (DATASET_LOADERS). */

export interface LoadOptions {
  /** Output side for image folders (default 224); fixed-size sets ignore it. */
  imageSize?: number;
  /** Images decoded at once for image folders (default 4). */
  concurrency?: number;
}

export interface DatasetLoader {
  description: string;
  load(dir: string, options: LoadOptions): Promise<ImageDataset>;
}

export const DATASET_LOADERS = {
  mnist: {
    description: 'MNIST digits, 28×28×1, 60,000 + 10,000 (IDX files, gzip or raw)',
    load: (dir) => loadMnist(dir),
  },
  cifar10: {
    description: 'CIFAR-10, 32×32×3, 50,000 + 10,000 (binary batches; prefixes load with a warning)',
    load: (dir) => loadCifar10(dir),
  },
  imagenet: {
    description: 'ImageNet-style folder train/<wnid>/, val/<wnid>/; decoded with sharp to 224×224×3',
    load: loadImageNet,
  },
} satisfies Record<string, DatasetLoader>;

/** Datasets read from a folder (--data-dir, $SAT_BENCH_DATA, the cache). */
export type FolderDatasetName = keyof typeof DATASET_LOADERS;

/** The one list of dataset names: the embedded set generated in-process, then the folder loaders. */
export const DATASETS = {
  glyphs: {
    description:
      'embedded: 10 classes of 28×28 grey stroke drawings, generated in-process from a fixed seed (no files)',
  },
  ...DATASET_LOADERS,
} satisfies Record<string, { description: string }>;

export type DatasetName = keyof typeof DATASETS;

/** Loads a dataset from its folder; an unknown name is a UserError listing the known ones. */
export async function loadDataset(
  name: FolderDatasetName,
  dir: string,
  options: LoadOptions = {},
): Promise<ImageDataset> {
  return lookup<DatasetLoader>(DATASET_LOADERS, name, 'dataset', 'dataset').load(dir, options);
}
