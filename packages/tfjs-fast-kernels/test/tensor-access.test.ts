import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { accessFor, computeWithViews } from '../src/tensor-access';
import { FAST_BACKENDS, runOn } from './fast-harness';

test('outputs are written in place and read back through TF.js', async () => {
  for (const backend of FAST_BACKENDS) {
    await runOn(backend, false, () => tf.scalar(0));
    const access = accessFor(backend, tf.backend());
    const x = tf.tensor1d([1, 2, 3]);
    const [out] =
      computeWithViews(access, [x], [[3]], ([input], [output]) => {
        for (let i = 0; i < 3; i++) output[i] = input[i] * 10;
      }) ?? [];
    const result = tf.engine().makeTensorFromTensorInfo(out);
    assert.deepEqual(Array.from(result.dataSync()), [10, 20, 30], backend);
    tf.dispose([x, result]);
  }
});

test('a wrong input dtype or a throwing computation leaves no allocated output behind', async () => {
  for (const backend of FAST_BACKENDS) {
    await runOn(backend, false, () => tf.scalar(0));
    const access = accessFor(backend, tf.backend());
    const ints = tf.tensor1d([1, 2], 'int32');
    const floats = tf.tensor1d([1, 2]);
    const before = tf.backend().numDataIds();
    assert.equal(
      computeWithViews(access, [ints], [[2]], () => assert.fail('must not run')),
      null,
    );
    assert.throws(
      () =>
        computeWithViews(access, [floats], [[2]], () => {
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(tf.backend().numDataIds(), before, `${backend}: data ids`);
    tf.dispose([ints, floats]);
  }
});

test('bool tensors are viewed as bytes, int32 as Int32Array, and other dtypes not at all', async () => {
  for (const backend of FAST_BACKENDS) {
    await runOn(backend, false, () => tf.scalar(0));
    const access = accessFor(backend, tf.backend());
    const flags = tf.tensor1d([true, false, true], 'bool');
    const ints = tf.tensor1d([1, -7], 'int32');
    const words = tf.tensor1d(['a'], 'string');
    assert.deepEqual(Array.from(access.view(flags) as Uint8Array), [1, 0, 1], backend);
    assert.ok(access.view(ints) instanceof Int32Array, backend);
    assert.deepEqual(Array.from(access.view(ints)!), [1, -7], backend);
    assert.equal(access.view(words), null, backend);
    tf.dispose([flags, ints, words]);
  }
});
