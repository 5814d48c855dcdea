import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataError } from './data-errors';
import type { Split } from './types';

/**
 * Indexes an ImageNet-style folder: `train/<wnid>/*.JPEG` and `val/<wnid>/*.JPEG` ('test' reads val, as the paper
 * evaluates on the ILSVRC-2012 validation set). Class k is the k-th folder name in sorted order, as in
 * torchvision's ImageFolder and tensorpack's ILSVRC12 loader, so labels agree with their pretrained models.
 * Only paths are kept; images are decoded when read.
 */

export const SPLIT_FOLDERS: Record<Split, string> = { train: 'train', test: 'val' };
const IMAGE_EXTENSIONS = new Set(['.jpeg', '.jpg', '.png']);

export interface ImageFolderSplit {
  files: string[];
  labels: Int32Array;
}

export interface ImageFolderIndex {
  classNames: string[];
  splits: Record<Split, ImageFolderSplit>;
}

function listDirectories(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function listImages(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort();
}

function splitDir(root: string, split: Split): string | undefined {
  const dir = path.join(root, SPLIT_FOLDERS[split]);
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? dir : undefined;
}

function scanSplit(dir: string | undefined, classNames: string[]): ImageFolderSplit {
  if (!dir) return { files: [], labels: new Int32Array(0) };
  const classFolders = listDirectories(dir);
  if (classFolders.length === 0 && listImages(dir).length > 0) {
    throw dataError(
      'data-unknown-class',
      dir,
      'images lie directly in the folder instead of in one folder per class',
      `${listImages(dir).length} loose images`,
      'move each image into <split>/<wnid>/ (for ILSVRC-2012 val, e.g. with valprep.sh)',
    );
  }
  const files: string[] = [];
  const labels: number[] = [];
  for (const folder of classFolders) {
    const label = classNames.indexOf(folder);
    if (label < 0) {
      throw dataError(
        'data-unknown-class',
        path.join(dir, folder),
        'class folder has no counterpart in train/',
        `"${folder}"`,
        'train/ and val/ must hold the same class folders; remove the extra one or add it to train/',
      );
    }
    for (const name of listImages(path.join(dir, folder))) {
      files.push(path.join(dir, folder, name));
      labels.push(label);
    }
  }
  return { files, labels: Int32Array.from(labels) };
}

export function scanImageFolder(root: string): ImageFolderIndex {
  const trainDir = splitDir(root, 'train');
  const testDir = splitDir(root, 'test');
  if (!trainDir && !testDir) {
    throw dataError(
      'data-missing-file',
      path.join(root, 'train'),
      'an ImageNet-style folder needs train/ or val/ inside',
      'neither',
      'point --data-dir at the folder that holds train/<wnid>/ and val/<wnid>/',
    );
  }
  // Classes come from train/ when present so that a val/ missing a class cannot shift every later label.
  const classNames = listDirectories((trainDir ?? testDir)!);
  const index = {
    classNames,
    splits: { train: scanSplit(trainDir, classNames), test: scanSplit(testDir, classNames) },
  };
  if (index.splits.train.files.length + index.splits.test.files.length === 0) {
    throw dataError(
      'data-empty',
      root,
      'no .JPEG, .jpg or .png images under train/ or val/',
      '0 images',
      'copy the images into train/<wnid>/ and val/<wnid>/',
    );
  }
  return index;
}
