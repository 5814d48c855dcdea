import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readAndDispose } from '../../src/util/read-tensor';
import { setupTestBackend } from '../helpers/backend';

before(setupTestBackend);

test('readAndDispose returns the values and leaves no tensor behind', async () => {
  const before = tf.memory().numTensors;
  const values = await readAndDispose(tf.tensor1d([1.5, -2, 3]));
  assert.deepEqual(Array.from(values), [1.5, -2, 3]);
  assert.equal(tf.memory().numTensors, before);
});
