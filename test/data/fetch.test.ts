import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import test, { type TestContext } from 'node:test';
import * as tar from 'tar';
import { loadCifar10 } from '../../src/data/cifar10';
import { fetchDataset } from '../../src/data/fetch';
import { loadMnist } from '../../src/data/mnist';
import { cifarRecords, errorCode, tempDir, writeTinyMnist } from './helpers/data-files';

type Route = { body: Buffer; mode: 'ok' | 'cut' | 'missing' };

/** A loopback server for the test's own files; 'cut' sends half the body and then drops the connection. */
async function serve(t: TestContext, routes: Record<string, Route>): Promise<{ baseUrl: string; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    const route = routes[path.posix.basename(request.url ?? '')];
    if (!route || route.mode === 'missing') {
      response.writeHead(404).end();
    } else if (route.mode === 'cut') {
      response.writeHead(200, { 'content-length': route.body.length });
      response.write(route.body.subarray(0, route.body.length >> 1), () => response.socket?.destroy());
    } else {
      response.writeHead(200, { 'content-length': route.body.length }).end(route.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mnist/`, requests };
}

const md5 = (bytes: Buffer) => crypto.createHash('md5').update(bytes).digest('hex');

function tinyMnistFiles(t: TestContext): Record<string, Buffer> {
  return writeTinyMnist(path.join(tempDir(t), 'source'));
}

function routesFor(
  files: Record<string, Buffer>,
  override: Partial<Record<string, Route['mode']>> = {},
): Record<string, Route> {
  return Object.fromEntries(
    Object.entries(files).map(([name, body]) => [name, { body, mode: override[name] ?? 'ok' }]),
  );
}

const md5sOf = (files: Record<string, Buffer>) =>
  Object.fromEntries(Object.entries(files).map(([name, body]) => [name, md5(body)]));

test('files with the expected MD5s are installed as <root>/mnist and load', async (t) => {
  const files = tinyMnistFiles(t);
  const { baseUrl } = await serve(t, routesFor(files));
  const root = tempDir(t);
  const lines: string[] = [];
  const dir = await fetchDataset('mnist', {
    root,
    baseUrl,
    expectedMd5: md5sOf(files),
    log: (line) => lines.push(line),
  });
  assert.equal(dir, path.join(root, 'mnist'));
  assert.deepEqual(fs.readdirSync(root), ['mnist']); // no temp folder left
  assert.deepEqual(fs.readdirSync(dir).sort(), Object.keys(files).sort());
  assert.equal((await loadMnist(dir)).size('test'), 4);
  assert.match(lines.join('\n'), /installed mnist in/);
});

test('a file whose MD5 differs from the published one fails with fetch-checksum and leaves nothing', async (t) => {
  const files = tinyMnistFiles(t);
  const { baseUrl } = await serve(t, routesFor(files));
  const root = tempDir(t);
  const expectedMd5 = { ...md5sOf(files), 't10k-images-idx3-ubyte.gz': '0'.repeat(32) };
  await assert.rejects(
    fetchDataset('mnist', { root, baseUrl, expectedMd5 }),
    errorCode(
      'fetch-checksum',
      /t10k-images-idx3-ubyte\.gz: MD5 does not match the published 0{32}, got [0-9a-f]{32}\./,
    ),
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('the published MD5s are checked when no override is given', async (t) => {
  const files = tinyMnistFiles(t);
  const { baseUrl } = await serve(t, routesFor(files));
  const root = tempDir(t);
  await assert.rejects(
    fetchDataset('mnist', { root, baseUrl }),
    errorCode('fetch-checksum', /published f68b3c2dcbeaaa9fbdd348bbdeb94873/),
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('a connection cut mid-file fails with fetch-failed naming the URL and leaves nothing', async (t) => {
  const files = tinyMnistFiles(t);
  const { baseUrl } = await serve(t, routesFor(files, { 'train-labels-idx1-ubyte.gz': 'cut' }));
  const root = tempDir(t);
  await assert.rejects(
    fetchDataset('mnist', { root, baseUrl, expectedMd5: md5sOf(files) }),
    errorCode('fetch-failed', /train-labels-idx1-ubyte\.gz: download failed, got "/),
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('an HTTP 404 fails with fetch-failed giving the status', async (t) => {
  const files = tinyMnistFiles(t);
  const { baseUrl } = await serve(t, routesFor(files, { 't10k-labels-idx1-ubyte.gz': 'missing' }));
  const root = tempDir(t);
  await assert.rejects(
    fetchDataset('mnist', { root, baseUrl, expectedMd5: md5sOf(files) }),
    errorCode('fetch-failed', /HTTP status 404/),
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('with nothing listening it fails fast and says how to place the files by hand', async (t) => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const root = tempDir(t);
  const started = Date.now();
  await assert.rejects(
    fetchDataset('mnist', { root, baseUrl: `http://127.0.0.1:${port}/`, connectTimeoutMs: 2000 }),
    (error: Error & { fix?: string }) =>
      errorCode(
        'fetch-failed',
        new RegExp(`^http://127\\.0\\.0\\.1:${port}/train-images-idx3-ubyte\\.gz: download failed`),
      )(error) && /download .* by hand|place the four \.gz files/.test(error.fix ?? ''),
  );
  assert.ok(Date.now() - started < 5000);
  assert.deepEqual(fs.readdirSync(root), []);
});

test('an existing copy that verifies is kept and nothing is downloaded', async (t) => {
  const files = tinyMnistFiles(t);
  const { baseUrl, requests } = await serve(t, routesFor(files));
  const root = tempDir(t);
  writeTinyMnist(path.join(root, 'mnist'));
  assert.equal(await fetchDataset('mnist', { root, baseUrl, expectedMd5: md5sOf(files) }), path.join(root, 'mnist'));
  assert.deepEqual(requests, []);
});

test('the CIFAR-10 archive is unpacked and its batches folder installed as <root>/cifar10', async (t) => {
  const work = tempDir(t);
  const inner = path.join(work, 'cifar-10-batches-bin');
  fs.mkdirSync(inner);
  fs.writeFileSync(path.join(inner, 'data_batch_1.bin'), cifarRecords([1, 2]));
  fs.writeFileSync(path.join(inner, 'test_batch.bin'), cifarRecords([3, 4]));
  fs.writeFileSync(
    path.join(inner, 'batches.meta.txt'),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n',
  );
  const archive = path.join(work, 'cifar-10-binary.tar.gz');
  await tar.c({ gzip: true, file: archive, cwd: work }, ['cifar-10-batches-bin']);
  const body = fs.readFileSync(archive);
  const { baseUrl } = await serve(t, { 'cifar-10-binary.tar.gz': { body, mode: 'ok' } });
  const root = tempDir(t);
  const dir = await fetchDataset('cifar10', {
    root,
    baseUrl,
    expectedMd5: { 'cifar-10-binary.tar.gz': md5(body) },
    recordsPerBatch: 2,
  });
  assert.deepEqual(fs.readdirSync(root), ['cifar10']);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['batches.meta.txt', 'data_batch_1.bin', 'test_batch.bin']);
  const cifar = await loadCifar10(dir);
  assert.deepEqual([cifar.size('train'), cifar.size('test')], [2, 2]);
});
