import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataError, formatCount } from './data-errors';
import { createInMemoryDataset, type ByteSplit } from './in-memory-dataset';
import { readIdxImages, readIdxLabels } from './idx-reader';
import type { ImageDataset, Split } from './types';

/** MNIST from its four IDX files, each either as published (.gz) or unpacked. */

export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const satisfies Record<Split, { images: string; labels: string }>;

export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** The .gz file if present (as published), else the unpacked one; undefined when neither exists. */
export function findMnistFile(dir: string, baseName: string): string | undefined {
  for (const candidate of [`${baseName}.gz`, baseName]) {
    const file = path.join(dir, candidate);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

function requireMnistFile(dir: string, baseName: string): string {
  const file = findMnistFile(dir, baseName);
  if (file) return file;
  throw dataError(
    'data-missing-file',
    path.join(dir, `${baseName}.gz`),
    'MNIST file not found (nor its unpacked form)',
    'no such file',
    'run `sat-bench data fetch mnist`, or point --data-dir at a folder holding the four MNIST IDX files',
  );
}

/** Reads one split and checks that its image and label files describe the same examples. */
export function readMnistSplit(dir: string, split: Split): ByteSplit {
  const imageFile = requireMnistFile(dir, MNIST_FILES[split].images);
  const labelFile = requireMnistFile(dir, MNIST_FILES[split].labels);
  const images = readIdxImages(imageFile);
  const labels = readIdxLabels(labelFile);
  if (images.count !== labels.count) {
    throw dataError(
      'data-count-mismatch',
      labelFile,
      `label count differs from the ${formatCount(images.count)} images in ${path.basename(imageFile)}`,
      `${formatCount(labels.count)} labels`,
      'the image and label files come from different copies; copy both again, or set SAT_BENCH_DATA to a complete copy',
    );
  }
  return { pixels: images.pixels, labels: labels.labels };
}

/** MNIST has no training augmentation in the SAT setup (Madry et al.'s MNIST protocol uses none). */
export async function loadMnist(dir: string): Promise<ImageDataset> {
  const splits = { train: readMnistSplit(dir, 'train'), test: readMnistSplit(dir, 'test') };
  const warnings: string[] = [];
  if (splits.train.labels.length !== 60000 || splits.test.labels.length !== 10000) {
    warnings.push(
      `mnist-partial: ${dir} holds ${formatCount(splits.train.labels.length)} training and ` +
        `${formatCount(splits.test.labels.length)} test images (the full set has 60,000 and 10,000); results will not match the paper's`,
    );
  }
  return createInMemoryDataset({
    name: 'mnist',
    shape: { height: 28, width: 28, channels: 1 },
    classNames: MNIST_CLASS_NAMES,
    splits,
    warnings,
  });
}
