import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  AUTO_ORDER,
  backendProvenance,
  releaseBackend,
  setupBackend,
  type BackendRequest,
} from '../../src/engine/backend';
import type { Probes, Verdict } from '../../src/engine/backends/select';
import { findSharedLibrary } from '../../src/engine/backends/shared-libraries';
import { UserError } from '../../src/util/errors';

/** Every probe fails with a fixed reason: a machine where nothing but what the test names loads. */
function nothingLoads(why: string): Probes {
  const fail = async (): Promise<Verdict> => ({ ok: false, why });
  return Object.fromEntries(AUTO_ORDER.map((id) => [id, fail])) as unknown as Probes;
}

function isInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

const FORCED_FAILURES: Array<{ request: BackendRequest; message: RegExp; fix: RegExp }> = [
  {
    request: 'tensorflow',
    message: /^--backend tensorflow: no candidate loads, got tensorflow-gpu: boom; tensorflow-cpu: boom$/,
    fix: /tfjs-node-gpu@4\.22\.0.*allowScripts/,
  },
  {
    request: 'webgpu',
    message: /^--backend webgpu: no candidate loads, got webgpu: boom$/,
    fix: /sat-bench doctor.*gpu-run\.sh/,
  },
  {
    request: 'wasm',
    message: /^--backend wasm: no candidate loads, got wasm\+fast: boom; wasm: boom$/,
    fix: /tfjs-backend-wasm/,
  },
];

for (const { request, message, fix } of FORCED_FAILURES) {
  test(`--backend ${request} that cannot load throws a UserError naming why and the fix`, async () => {
    await assert.rejects(setupBackend(request, { probes: nothingLoads('boom') }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.code, 'backend-unavailable');
      assert.match(error.message, message);
      assert.match(error.fix, fix);
      return true;
    });
  });
}

test('auto activates the backend it reports, with a short one-line reason, the skipped candidates apart, and its provenance tag', async () => {
  const choice = await setupBackend('auto');
  assert.equal(choice.name, tf.getBackend());
  assert.doesNotMatch(choice.reason, /\n/);
  assert.ok(choice.reason.startsWith(`backend: ${choice.label} (auto`), choice.reason);
  assert.equal(choice.provenance, backendProvenance(choice));
  assert.ok(choice.reason.length < 160, `the start-up line stays short: ${choice.reason}`);
  for (const { backend } of choice.rejected)
    assert.match(choice.skipped.join('\n'), new RegExp(`not [^:]*${backend.replace('+', '\\+')}`));
  releaseBackend();
});

test('without fast kernels, the reason warns that everything runs on plain TF.js', async () => {
  const choice = await setupBackend('cpu', { fastKernels: false });
  assert.deepEqual(
    { name: choice.name, fast: choice.fast, provenance: choice.provenance },
    { name: 'cpu', fast: false, provenance: 'cpu' },
  );
  assert.match(choice.reason, /warning: .*plain TF\.js \(slow\)/);
});

test('on wasm, convolutions can be trained (Conv2DBackpropFilter is registered before any fast kernel)', async () => {
  const choice = await setupBackend('wasm');
  assert.equal(choice.name, 'wasm');
  const grad = tf.tidy(() => {
    const x = tf.ones<tf.Rank.R4>([1, 4, 4, 1]);
    // Σ over the 2×2 valid outputs of Σ x·w: each filter tap sees 3·3 = 9 ones → gradient 9 everywhere.
    return Array.from(
      tf
        .grad((w) => tf.sum(tf.conv2d(x, w as tf.Tensor4D, 1, 'valid')))(tf.ones([2, 2, 1, 1]))
        .dataSync(),
    );
  });
  assert.deepEqual(grad, [9, 9, 9, 9]);
});

test('--backend webgpu on a machine without a Vulkan loader says libvulkan.so.1 is missing', async (t) => {
  if (findSharedLibrary('libvulkan.so.1') !== null) return t.skip('this machine has a Vulkan loader');
  await assert.rejects(setupBackend('webgpu'), /no Vulkan loader: libvulkan\.so\.1/);
});

test('--backend tensorflow without tfjs-node installed says which packages are missing', async (t) => {
  if (isInstalled('@tensorflow/tfjs-node-gpu') || isInstalled('@tensorflow/tfjs-node'))
    return t.skip('tfjs-node is installed here');
  await assert.rejects(
    setupBackend('tensorflow'),
    /@tensorflow\/tfjs-node-gpu and @tensorflow\/tfjs-node are not installed/,
  );
});
