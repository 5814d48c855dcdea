import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmConv2DBackpropFilter } from '../src/wasm-conv2d-backprop-filter';
import { assertClose } from './assert-close';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

// x is [N, H, W, Ci], filter is [KH, KW, Ci, Co]. Odd sizes and strides that do not divide the input exercise the
// padding arithmetic (the kernel pads or crops the input to exactly KH + (OH − 1)·stride rows).
const CASES: Case[] = [
  { name: 'stride 1, same, 3×3, 3→4 channels', x: [2, 5, 5, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: 'stride 2, same, odd 7×6 input', x: [2, 7, 6, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  {
    name: 'stride 2, valid, input not divisible by the stride',
    x: [3, 7, 8, 2],
    filter: [3, 2, 2, 5],
    strides: 2,
    pad: 'valid',
  },
  { name: 'strides [2, 1], valid, 5×5 filter', x: [1, 9, 9, 4], filter: [5, 5, 4, 2], strides: [2, 1], pad: 'valid' },
  {
    name: 'stride 2, same, 1×1 filter (a projection shortcut)',
    x: [2, 6, 6, 3],
    filter: [1, 1, 3, 4],
    strides: 2,
    pad: 'same',
  },
  {
    name: 'stride 2, explicit asymmetric pads',
    x: [2, 8, 7, 3],
    filter: [3, 3, 3, 4],
    strides: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {
    name: 'stride 1, same, one input channel (MNIST stem)',
    x: [4, 11, 11, 1],
    filter: [5, 5, 1, 8],
    strides: 1,
    pad: 'same',
  },
  { name: 'stride 1, valid, 8→16 channels', x: [2, 6, 5, 8], filter: [3, 3, 8, 16], strides: 1, pad: 'valid' },
];

/** The kernel's output on a backend, as plain numbers (inputs created from the same seeded arrays). */
async function filterGradOn(
  backend: 'cpu' | 'wasm',
  c: Case,
  x: Float32Array,
  dy: Float32Array,
  dyShape: number[],
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const attrs = { strides: c.strides, pad: c.pad, dataFormat, dimRoundingMode: undefined, filterShape: c.filter };
    const inputs = { x: tf.tensor(x, toLayout(c.x, dataFormat)), dy: tf.tensor(dy, toLayout(dyShape, dataFormat)) };
    return (
      tf.engine().runKernel('Conv2DBackpropFilter', inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor
    ).dataSync() as Float32Array;
  });
}

function toLayout(shape: readonly number[], dataFormat: 'NHWC' | 'NCHW'): number[] {
  return dataFormat === 'NHWC' ? [...shape] : [shape[0], shape[3], shape[1], shape[2]];
}

function randomArray(size: number, seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal([size], 0, 1, 'float32', seed).dataSync() as Float32Array);
}

function outputShape(c: Case): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
  return [c.x[0], info.outHeight, info.outWidth, c.filter[3]];
}

before(async () => {
  await tf.setBackend('cpu'); // the seeded inputs are drawn before any test picks its backend
});
registerWasmConv2DBackpropFilter();

for (const c of CASES) {
  test(`wasm Conv2DBackpropFilter matches the cpu kernel: ${c.name}`, async () => {
    const dyShape = outputShape(c);
    const x = randomArray(tf.util.sizeFromShape(c.x), 1);
    const dy = randomArray(tf.util.sizeFromShape(dyShape), 2);
    assertClose(
      await filterGradOn('wasm', c, x, dy, dyShape),
      await filterGradOn('cpu', c, x, dy, dyShape),
      1e-4,
      1e-4,
    );
  });
}

test('wasm Conv2DBackpropFilter matches the cpu kernel for NCHW inputs', async () => {
  const c = CASES[1];
  const dyShape = outputShape(c);
  const x = randomArray(tf.util.sizeFromShape(c.x), 3);
  const dy = randomArray(tf.util.sizeFromShape(dyShape), 4);
  assertClose(
    await filterGradOn('wasm', c, x, dy, dyShape, 'NCHW'),
    await filterGradOn('cpu', c, x, dy, dyShape, 'NCHW'),
    1e-4,
    1e-4,
  );
});

test('tf.grad of a strided conv2d with respect to its filter agrees between wasm and cpu', async () => {
  const x = randomArray(2 * 9 * 9 * 3, 5);
  const w = randomArray(3 * 3 * 3 * 6, 6);
  const gradOn = async (backend: 'cpu' | 'wasm'): Promise<Float32Array> => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const input = tf.tensor4d(x, [2, 9, 9, 3]);
      // Squaring makes dy depend on the forward, so the forward conv is checked too.
      const loss = (filter: tf.Tensor): tf.Scalar =>
        tf.sum(tf.square(tf.conv2d(input, filter as tf.Tensor4D, 2, 'same')));
      return tf
        .grad(loss)(tf.tensor4d(w, [3, 3, 3, 6]))
        .dataSync() as Float32Array;
    });
  };
  assertClose(await gradOn('wasm'), await gradOn('cpu'), 1e-3, 1e-4);
});

test('the wasm kernel leaves no tensors or wasm buffers behind', async () => {
  const c = CASES[2];
  const dyShape = outputShape(c);
  const x = randomArray(tf.util.sizeFromShape(c.x), 7);
  const dy = randomArray(tf.util.sizeFromShape(dyShape), 8);
  await filterGradOn('wasm', c, x, dy, dyShape); // warm-up
  const before = { tensors: tf.memory().numTensors, dataIds: tf.backend().numDataIds() };
  for (let i = 0; i < 3; i++) await filterGradOn('wasm', c, x, dy, dyShape);
  await tf.setBackend('wasm');
  assert.deepEqual({ tensors: tf.memory().numTensors, dataIds: tf.backend().numDataIds() }, before);
});

test('registering the wasm kernel twice keeps the first registration', () => {
  const first = tf.getKernel('Conv2DBackpropFilter', 'wasm');
  assert.ok(first !== undefined, 'registered at the top of this file');
  assert.equal(registerWasmConv2DBackpropFilter(), false);
  assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), first);
});
