import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataError, formatCount } from './data-errors';
import { parseCifarBatches } from './cifar-reader';
import { randomCropFlip } from './crop-flip';
import { createInMemoryDataset } from './in-memory-dataset';
import type { ImageDataset, Split } from './types';

/**
 * CIFAR-10 from its binary batches. Any `data_batch_<n>*.bin` is training data and any `test_batch*.bin` test data,
 * so prefixes of the batches (e.g. `data_batch_1.head4000.bin`) load too, with a warning that the set is partial.
 */

export const CIFAR10_CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

export const CIFAR10_FULL_COUNTS: Record<Split, number> = { train: 50000, test: 10000 };

const SPLIT_PATTERNS: Record<Split, RegExp> = {
  train: /^data_batch_(\d+)(\..+)?\.bin$/,
  test: /^test_batch()(\..+)?\.bin$/,
};

/**
 * The batch files of one split, in batch order. When a batch is present both whole and as a prefix, only the whole
 * file is used, so no record is loaded twice.
 */
export function listCifarBatchFiles(dir: string, split: Split): string[] {
  const byBatch = new Map<number, string[]>();
  for (const name of fs.readdirSync(dir)) {
    const match = SPLIT_PATTERNS[split].exec(name);
    if (!match) continue;
    const batch = Number(match[1] || 0);
    byBatch.set(batch, [...(byBatch.get(batch) ?? []), name]);
  }
  return [...byBatch.keys()]
    .sort((a, b) => a - b)
    .map((batch) => {
      const names = byBatch.get(batch)!.sort();
      const whole = names.find((name) => !SPLIT_PATTERNS[split].exec(name)![2]);
      return path.join(dir, whole ?? names[0]);
    });
}

/** Class names from batches.meta.txt (in the folder or its parent, where the partial copy keeps it). */
export function readCifarClassNames(dir: string, warnings: string[]): readonly string[] {
  const file = [path.join(dir, 'batches.meta.txt'), path.join(dir, '..', 'batches.meta.txt')].find((f) =>
    fs.existsSync(f),
  );
  if (!file) return CIFAR10_CLASS_NAMES;
  const names = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (names.length !== CIFAR10_CLASS_NAMES.length) {
    warnings.push(`cifar10-meta: ${file} lists ${names.length} class names, expected 10; using the standard names`);
    return CIFAR10_CLASS_NAMES;
  }
  return names;
}

function readSplit(dir: string, split: Split) {
  const files = listCifarBatchFiles(dir, split);
  if (files.length === 0) {
    const pattern = split === 'train' ? 'data_batch_*.bin' : 'test_batch*.bin';
    throw dataError(
      'data-missing-file',
      path.join(dir, pattern),
      `no CIFAR-10 ${split} batch found`,
      'no matching file',
      'run `sat-bench data fetch cifar10`, or point --data-dir at the unpacked cifar-10-batches-bin folder',
    );
  }
  return { files, data: parseCifarBatches(files.map((file) => ({ file, bytes: fs.readFileSync(file) }))) };
}

export async function loadCifar10(dir: string): Promise<ImageDataset> {
  const train = readSplit(dir, 'train');
  const test = readSplit(dir, 'test');
  const warnings: string[] = [];
  const trainCount = train.data.labels.length;
  const testCount = test.data.labels.length;
  if (trainCount < CIFAR10_FULL_COUNTS.train || testCount < CIFAR10_FULL_COUNTS.test) {
    warnings.push(
      `cifar10-partial: ${dir} holds ${formatCount(trainCount)} of ${formatCount(CIFAR10_FULL_COUNTS.train)} ` +
        `training and ${formatCount(testCount)} of ${formatCount(CIFAR10_FULL_COUNTS.test)} test images; ` +
        "accuracies will not be comparable to the paper's (run `sat-bench data fetch cifar10` for the full set)",
    );
  }
  return createInMemoryDataset({
    name: 'cifar10',
    shape: { height: 32, width: 32, channels: 3 },
    classNames: readCifarClassNames(dir, warnings),
    splits: { train: train.data, test: test.data },
    augment: randomCropFlip,
    warnings,
  });
}
