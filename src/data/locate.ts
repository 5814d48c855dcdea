import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../util/errors';
import { listCifarBatchFiles } from './cifar10';
import { dataError } from './data-errors';
import { MNIST_FILES, findMnistFile } from './mnist';
import { loadDataset, type FolderDatasetName, type LoadOptions } from './registry';
import type { ImageDataset } from './types';

/**
 * Finds a dataset's folder. Order: --data-dir (that dataset's folder), then $SAT_BENCH_DATA/<dataset>, then the user
 * cache ($XDG_CACHE_HOME/sat-bench/<dataset> or ~/.cache/sat-bench/<dataset>, where `data fetch` installs).
 */

export interface LocateContext {
  env?: NodeJS.ProcessEnv; // tests pass their own
  homeDir?: string;
}

/** Where `data fetch` installs by default. */
export function userCacheRoot(context: LocateContext = {}): string {
  const env = context.env ?? process.env;
  const base = env.XDG_CACHE_HOME || path.join(context.homeDir ?? os.homedir(), '.cache');
  return path.join(base, 'sat-bench');
}

function isDirectory(dir: string): boolean {
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory();
}

/** Whether a folder holds the dataset's files (not whether they are intact: the loaders check that). */
const HOLDS_DATA: Record<FolderDatasetName, (dir: string) => boolean> = {
  mnist: (dir) => Object.values(MNIST_FILES).some((split) => findMnistFile(dir, split.images) !== undefined),
  cifar10: (dir) => listCifarBatchFiles(dir, 'train').length + listCifarBatchFiles(dir, 'test').length > 0,
  imagenet: (dir) => isDirectory(path.join(dir, 'train')) || isDirectory(path.join(dir, 'val')),
};

/** A CIFAR-10 folder without batches may keep a prefix copy of the batches in partial/ (as a shared data root can). */
function withPartial(dataset: FolderDatasetName, dir: string): string {
  const partial = path.join(dir, 'partial');
  if (dataset === 'cifar10' && !HOLDS_DATA.cifar10(dir) && isDirectory(partial) && HOLDS_DATA.cifar10(partial))
    return partial;
  return dir;
}

const FETCH_HINT: Record<FolderDatasetName, string> = {
  mnist: 'run `sat-bench data fetch mnist`, ',
  cifar10: 'run `sat-bench data fetch cifar10`, ',
  imagenet:
    'download ILSVRC-2012 from image-net.org (it needs an account) and sort it into train/<wnid>/ and val/<wnid>/, then ',
};

export function resolveDataDir(dataset: FolderDatasetName, dataDirFlag?: string, context: LocateContext = {}): string {
  if (dataDirFlag !== undefined) {
    const dir = path.resolve(dataDirFlag);
    if (!isDirectory(dir)) {
      throw dataError(
        'data-not-found',
        '--data-dir',
        'folder does not exist',
        `"${dataDirFlag}"`,
        `pass the folder that holds the ${dataset} files, or leave --data-dir out to use SAT_BENCH_DATA or the cache`,
      );
    }
    return withPartial(dataset, dir); // an explicit folder wins even if empty: the loader then names the missing files
  }
  const env = context.env ?? process.env;
  const candidates: Array<{ dir: string; source: string }> = [];
  if (env.SAT_BENCH_DATA) candidates.push({ dir: path.resolve(env.SAT_BENCH_DATA, dataset), source: 'SAT_BENCH_DATA' });
  candidates.push({ dir: path.join(userCacheRoot(context), dataset), source: 'user cache' });
  const looked: string[] = [];
  for (const { dir, source } of candidates) {
    if (!isDirectory(dir)) {
      looked.push(`${dir} (${source}: no such folder)`);
      continue;
    }
    const found = withPartial(dataset, dir);
    if (HOLDS_DATA[dataset](found)) return found;
    looked.push(`${dir} (${source}: no ${dataset} files)`);
  }
  if (!env.SAT_BENCH_DATA) looked.push('SAT_BENCH_DATA (not set)');
  throw new UserError(
    'data-not-found',
    `${dataset}: data not found, got nothing usable in ${looked.join(', ')}.`,
    `${FETCH_HINT[dataset]}pass --data-dir <folder>, or set SAT_BENCH_DATA to a folder holding ${dataset}/`,
  );
}

/** resolveDataDir then loadDataset: what a command needs in one call. */
export async function openDataset(
  name: FolderDatasetName,
  options: LoadOptions & { dataDir?: string; locate?: LocateContext } = {},
): Promise<ImageDataset> {
  return loadDataset(name, resolveDataDir(name, options.dataDir, options.locate), options);
}
