import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readAndDispose } from '../../src/util/read-tensor';
import { setupTestBackend } from '../helpers/backend';
import { REPO_ROOT } from '../helpers/cli';

before(setupTestBackend);

test('readAndDispose returns the values and leaves no tensor behind', async () => {
  const before = tf.memory().numTensors;
  const values = await readAndDispose(tf.tensor1d([1.5, -2, 3]));
  assert.deepEqual(Array.from(values), [1.5, -2, 3]);
  assert.equal(tf.memory().numTensors, before);
});

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

test('nothing under src/ reads a tensor synchronously (WebGPU in Node has no synchronous read)', () => {
  // dataSync/arraySync/bufferSync throw "OffscreenCanvas is not defined" on the webgpu backend in Node; reads go
  // through `await tensor.data()` or readAndDispose. Comments may name them.
  const offenders = sourceFiles(path.join(REPO_ROOT, 'src')).flatMap((file) =>
    fs.readFileSync(file, 'utf8').split('\n').flatMap((line, i) =>
      /\.(dataSync|arraySync|bufferSync)\s*\(/.test(line.replace(/\/\/.*$/, '')) && !/^\s*\*/.test(line) ? [`${path.relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`] : []));
  assert.deepEqual(offenders, []);
});
