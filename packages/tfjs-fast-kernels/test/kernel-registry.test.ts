import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  fastCallCounts,
  isFastKernel,
  originalKernel,
  replaceKernel,
  restoreKernel,
  type FastKernel,
} from '../src/kernel-registry';
import { runOn } from './fast-harness';

// A stand-in kernel name, registered on the cpu backend only for these tests.
const NAME = 'SatBenchRegistryProbe';

test('a replaced kernel runs fast when it returns a result and falls back to the original when it returns null', async () => {
  await runOn('cpu', false, () => tf.scalar(0));
  const original = {
    kernelName: NAME,
    backendName: 'cpu',
    kernelFunc: () => ({ dataId: {}, shape: [], dtype: 'float32' as const }),
  };
  tf.registerKernel(original);
  const seen: string[] = [];
  const fast: FastKernel = {
    kernelName: NAME,
    run: ({ attrs }) => {
      seen.push(String(attrs.mode));
      return attrs.mode === 'fast' ? { dataId: {}, shape: [1], dtype: 'float32' } : null;
    },
  };
  assert.equal(replaceKernel(fast, 'cpu', {}), true);
  assert.equal(replaceKernel(fast, 'cpu', {}), false, 'a second install is a no-op');
  const kernelFunc = tf.getKernel(NAME, 'cpu')!.kernelFunc;
  const backend = tf.backend();
  assert.deepEqual((kernelFunc({ inputs: {}, attrs: { mode: 'fast' }, backend }) as tf.TensorInfo).shape, [1]);
  assert.deepEqual((kernelFunc({ inputs: {}, attrs: { mode: 'other' }, backend }) as tf.TensorInfo).shape, []);
  assert.deepEqual(fastCallCounts(NAME, 'cpu'), { fast: 1, fallback: 1, failed: 0 });
  assert.deepEqual(seen, ['fast', 'other']);
  assert.equal(originalKernel(NAME, 'cpu'), original);
  restoreKernel(NAME, 'cpu');
  assert.equal(tf.getKernel(NAME, 'cpu'), original);
  assert.equal(isFastKernel(NAME, 'cpu'), false);
  tf.unregisterKernel(NAME, 'cpu');
});

test('without an original kernel, an unhandled case names the kernel and the fix', async () => {
  await runOn('cpu', false, () => tf.scalar(0));
  replaceKernel({ kernelName: NAME, run: () => null }, 'cpu', {});
  const kernelFunc = tf.getKernel(NAME, 'cpu')!.kernelFunc;
  assert.throws(
    () => kernelFunc({ inputs: {}, attrs: {}, backend: tf.backend() }),
    /^Error: SatBenchRegistryProbe on cpu: the fast kernel does not handle this case and the backend has no kernel of its own\. Register a fallback kernel before installFastKernels/,
  );
  restoreKernel(NAME, 'cpu');
  assert.equal(tf.getKernel(NAME, 'cpu'), undefined);
});

test('a fast kernel that throws hands the call to the original and warns once', async (t) => {
  await runOn('cpu', false, () => tf.scalar(0));
  const original = {
    kernelName: NAME,
    backendName: 'cpu',
    kernelFunc: () => ({ dataId: {}, shape: [7], dtype: 'float32' as const }),
  };
  tf.registerKernel(original);
  replaceKernel(
    {
      kernelName: NAME,
      run: () => {
        throw new Error('ORT says no\nsecond line');
      },
    },
    'cpu',
    {},
  );
  const warn = t.mock.method(console, 'warn', () => undefined);
  const kernelFunc = tf.getKernel(NAME, 'cpu')!.kernelFunc;
  for (let i = 0; i < 3; i++)
    assert.deepEqual((kernelFunc({ inputs: {}, attrs: {}, backend: tf.backend() }) as tf.TensorInfo).shape, [7]);
  assert.equal(warn.mock.callCount(), 1);
  assert.match(
    String(warn.mock.calls[0].arguments[0]),
    /^sat-bench: fast SatBenchRegistryProbe kernel failed \(ORT says no\); TF\.js's own kernel runs such calls instead\.$/,
  );
  assert.deepEqual(fastCallCounts(NAME, 'cpu'), { fast: 0, fallback: 0, failed: 3 });
  restoreKernel(NAME, 'cpu');
  tf.unregisterKernel(NAME, 'cpu');
});
