import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { missingInternals } from '../src/tfjs-internals';
import { installFastKernels } from '../src/index';

// The one place a TF.js upgrade shows up: if 4.22's private fields move, this names each one that did.
for (const backend of ['cpu', 'wasm'] as const) {
  test(`every private TF.js field the kernels read is on the live ${backend} backend`, async () => {
    await tf.setBackend(backend);
    await tf.ready();
    assert.deepEqual(missingInternals(backend, tf.backend()), [], `TF.js ${tf.version_core} moved private fields`);
  });
}

test('a backend without those fields is named field by field, and install refuses it loudly', async () => {
  const bare = { incRef: () => undefined, disposeData: () => true, data: {} } as unknown as tf.KernelBackend;
  assert.deepEqual(missingInternals('cpu', bare), [
    'MathBackendCPU.data.get (function)',
    'MathBackendCPU.makeTensorInfo (function)',
  ]);
  assert.deepEqual(missingInternals('wasm', bare), [
    'BackendWasm.dataIdMap (object)',
    'BackendWasm.dataIdMap.get (function)',
    'BackendWasm.makeOutput (function)',
    'BackendWasm.wasm (object)',
    'BackendWasm.wasm.HEAPU8 (object)',
  ]);
  // The live cpu backend with one method shadowed away, as an upgrade that renamed it would leave it.
  await tf.setBackend('cpu');
  const cpu = tf.backend() as unknown as Record<string, unknown>;
  cpu.makeTensorInfo = undefined;
  try {
    assert.throws(() => installFastKernels('cpu'), /MathBackendCPU\.makeTensorInfo \(function\).*4\.22\.0/);
  } finally {
    delete cpu.makeTensorInfo; // the prototype's method shows through again
  }
  assert.deepEqual(missingInternals('cpu', tf.backend()), []);
});
