import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { openDataset, resolveDataDir, userCacheRoot } from '../../src/data/locate';
import { cifarRecords, errorCode, sharedDataRoot, tempDir, writeTinyMnist } from './helpers/data-files';

test('--data-dir wins over SAT_BENCH_DATA and the cache', (t) => {
  const flag = tempDir(t);
  const root = tempDir(t);
  writeTinyMnist(path.join(root, 'mnist'));
  assert.equal(resolveDataDir('mnist', flag, { env: { SAT_BENCH_DATA: root } }), flag);
});

test('a --data-dir that does not exist is an error naming the flag and the value', (t) => {
  const missing = path.join(tempDir(t), 'nope');
  assert.throws(
    () => resolveDataDir('mnist', missing, { env: {} }),
    errorCode('data-not-found', /^--data-dir: folder does not exist, got ".*nope"\.$/),
  );
});

test('SAT_BENCH_DATA is a root holding one folder per dataset', (t) => {
  const root = tempDir(t);
  writeTinyMnist(path.join(root, 'mnist'));
  assert.equal(resolveDataDir('mnist', undefined, { env: { SAT_BENCH_DATA: root } }), path.join(root, 'mnist'));
});

test('for CIFAR-10 a partial/ subfolder is used when the folder itself holds no batches', (t) => {
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, 'cifar10', 'partial'), { recursive: true });
  fs.writeFileSync(path.join(root, 'cifar10', 'partial', 'data_batch_1.head4000.bin'), cifarRecords([1]));
  assert.equal(
    resolveDataDir('cifar10', undefined, { env: { SAT_BENCH_DATA: root } }),
    path.join(root, 'cifar10', 'partial'),
  );
  fs.writeFileSync(path.join(root, 'cifar10', 'data_batch_1.bin'), cifarRecords([1]));
  assert.equal(resolveDataDir('cifar10', undefined, { env: { SAT_BENCH_DATA: root } }), path.join(root, 'cifar10'));
});

test('the shared data root resolves MNIST and the partial CIFAR-10 copy', (t) => {
  const root = sharedDataRoot();
  if (!fs.existsSync(root)) return t.skip(`real data not found at ${root}`);
  const env = { SAT_BENCH_DATA: root };
  assert.equal(resolveDataDir('mnist', undefined, { env }), path.join(root, 'mnist'));
  assert.equal(resolveDataDir('cifar10', undefined, { env }), path.join(root, 'cifar10', 'partial'));
});

test('the user cache is $XDG_CACHE_HOME/sat-bench, else ~/.cache/sat-bench', (t) => {
  const cache = tempDir(t);
  assert.equal(userCacheRoot({ env: { XDG_CACHE_HOME: cache } }), path.join(cache, 'sat-bench'));
  assert.equal(userCacheRoot({ env: {}, homeDir: '/home/someone' }), path.join('/home/someone', '.cache', 'sat-bench'));
  writeTinyMnist(path.join(cache, 'sat-bench', 'mnist'));
  assert.equal(
    resolveDataDir('mnist', undefined, { env: { XDG_CACHE_HOME: cache } }),
    path.join(cache, 'sat-bench', 'mnist'),
  );
});

test('an SAT_BENCH_DATA without the dataset falls through to the cache', (t) => {
  const root = tempDir(t);
  const cache = tempDir(t);
  fs.mkdirSync(path.join(root, 'mnist')); // exists but empty
  writeTinyMnist(path.join(cache, 'sat-bench', 'mnist'));
  assert.equal(
    resolveDataDir('mnist', undefined, { env: { SAT_BENCH_DATA: root, XDG_CACHE_HOME: cache } }),
    path.join(cache, 'sat-bench', 'mnist'),
  );
});

test('when nothing is found the error lists every place looked and says how to fetch', (t) => {
  const root = tempDir(t);
  const cache = tempDir(t);
  assert.throws(
    () => resolveDataDir('cifar10', undefined, { env: { SAT_BENCH_DATA: root, XDG_CACHE_HOME: cache } }),
    (error: Error & { fix?: string }) =>
      errorCode(
        'data-not-found',
        new RegExp(
          `^cifar10: data not found, got nothing usable in ${root}/cifar10 \\(SAT_BENCH_DATA: no such folder\\), ${cache}/sat-bench/cifar10 \\(user cache: no such folder\\)\\.$`,
        ),
      )(error) && /sat-bench data fetch cifar10.*--data-dir/.test(error.fix ?? ''),
  );
  assert.throws(
    () => resolveDataDir('mnist', undefined, { env: { XDG_CACHE_HOME: cache } }),
    errorCode('data-not-found', /SAT_BENCH_DATA \(not set\)/),
  );
});

test('openDataset finds and loads a dataset in one call', async (t) => {
  const dir = tempDir(t);
  writeTinyMnist(dir);
  const mnist = await openDataset('mnist', { dataDir: dir });
  assert.equal(mnist.size('train'), 6);
});
