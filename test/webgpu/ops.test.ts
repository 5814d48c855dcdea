// WebGPU against plain TF.js cpu, op by op: every activation's value and derivative, and the layers as the models
// use them (convolutions at the strides and kernel sizes of SmallCNN and PreAct-ResNet-18, max and global average
// pooling, dense, batch norm in both modes), forward and gradients. Each tolerance bounds
// max |webgpu − cpu| / max |cpu| per output; the measured value is printed as a test diagnostic.
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { bindActivation } from '../../src/nn/activation-spec';
import { ACTIVATIONS, type ActivationName } from '../../src/nn/activations';
import { applyBatchNorm, type BatchNormLayer, type BatchStats } from '../../src/nn/network';
import { Rng } from '../../src/util/rng';
import {
  assertParity,
  onBoth,
  openWebgpuForTests,
  releaseWebgpuForTests,
  skipWithoutWebgpu,
  type WebgpuForTests,
} from '../helpers/webgpu';

const gpu: { state?: WebgpuForTests } = {};
before(async () => {
  gpu.state = await openWebgpuForTests();
});
after(releaseWebgpuForTests);

/** Seeded normal values as a tensor (the same numbers on both backends: drawn in JS, then uploaded). */
function normal(shape: number[], seed: number, scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(new Rng(seed).fillNormal(new Float32Array(size), scale), shape);
}

// Elementwise functions: each value is one or a few float32 transcendental evaluations (exp, log1p, erf, sigmoid).
// WGSL allows a few ulp for exp/log (about 3e-7 relative each) against the cpu backend's float64 Math rounded to
// float32, and the erf of both backends is the same 5-term polynomial; 1e-5 leaves 30× that, while a wrong formula,
// sign or sharpness (e.g. softplus without the factor 10) is off by 1e-1 or more.
const ACTIVATION_TOLERANCE = 1e-5;
// 4099 points, none exactly at 0 (where ReLU has no derivative), made in JS: tf.linspace computes its points in
// float32 on the GPU, which moves a point near 0 by a relative 1e-4 and SmoothReLU's steep derivative with it.
const GRID = Float32Array.from({ length: 4099 }, (_, i) => -4 + (8 * i) / 4098);
const grid = () => tf.tensor1d(GRID);

for (const name of Object.keys(ACTIVATIONS) as ActivationName[]) {
  test(`${name}: value and declared derivative match cpu on [-4, 4]`, async (t) => {
    if (skipWithoutWebgpu(t, gpu.state)) return;
    // Default settings; SmoothReLU at its initial sharpness (no learnable parameter given).
    const { activation, settings } = bindActivation(name);
    const { cpu, gpu: webgpu } = await onBoth(() => [
      activation.value(grid(), settings),
      activation.derivative(grid(), settings),
    ]);
    assertParity(t, webgpu, cpu, ACTIVATION_TOLERANCE);
  });
}

/**
 * Forward, then the gradients with respect to every input of Σ y·r + ½ Σ y² (r seeded normal): dy = r + y varies
 * per element. Not ½ Σ y² alone: through batch norm on batch statistics its x-gradient is zero in exact arithmetic
 * (Σ x̂² = N for any x), so both backends would return rounding noise.
 */
function withGradients(f: (...inputs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): tf.Tensor[] {
  const output = f(...inputs);
  const r = normal(output.shape, 99);
  const loss = (...args: tf.Tensor[]) => {
    const y = f(...args);
    return tf.add(tf.sum(tf.mul(y, r)), tf.mul(0.5, tf.sum(tf.square(y)))) as tf.Scalar;
  };
  return [output, ...tf.grads(loss)(inputs)];
}

// Layers: each output element is a float32 sum of up to 8·9 = 72 (forward) or N·H·W = 2·12·12 = 288 (filter
// gradient) products, summed in another order on the GPU (tiles, tree reductions). The rounding error of such a sum
// is about √K·2⁻²⁴ ≈ 1e-6 of its magnitude, K·2⁻²⁴ ≈ 2e-5 in the worst case; 1e-4 covers that, while a wrong index,
// padding or stride moves whole elements (errors of order 1).
const LAYER_TOLERANCE = 1e-4;

const x = (channels = 8) => normal([2, 12, 12, channels], 1); // [N, H, W, C]

const LAYERS: Record<string, () => tf.Tensor[]> = {
  'conv 3×3 stride 1 same (SmallCNN, ResNet blocks)': () =>
    withGradients(
      (a, w) => tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
      [x(), normal([3, 3, 8, 16], 2, 0.2)],
    ),
  'conv 3×3 stride 2 same (ResNet downsampling)': () =>
    withGradients(
      (a, w) => tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
      [x(), normal([3, 3, 8, 16], 3, 0.2)],
    ),
  'conv 1×1 stride 2 (ResNet projection shortcut)': () =>
    withGradients(
      (a, w) => tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
      [x(), normal([1, 1, 8, 16], 4, 0.3)],
    ),
  'max pool 2×2 stride 2 (SmallCNN)': () => withGradients((a) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), [x()]),
  // After a ReLU whole windows are 0: the gradient must go to the first tied element, as on cpu (and PyTorch).
  'max pool 2×2 stride 2 with tied maxima (a window of ReLU zeros)': () =>
    withGradients(
      (a) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'),
      [tf.tensor4d(new Rng(12).fillUniform(new Float32Array(2 * 12 * 12 * 8), 0, 3).map(Math.floor), [2, 12, 12, 8])],
    ),
  'global average pool (ResNet head)': () => withGradients((a) => tf.mean(a, [1, 2]), [x()]),
  'dense matMul (SmallCNN head)': () =>
    withGradients(
      (a, w) => tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D),
      [normal([4, 288], 5), normal([288, 10], 6, 0.1)],
    ),
  'batch norm on batch statistics (train phase)': () =>
    withGradients(batchNormIn('batch'), [x(), normal([8], 7, 0.5), normal([8], 8, 0.5)]),
  'batch norm on running statistics (attack and eval phases)': () =>
    withGradients(batchNormIn('running'), [x(), normal([8], 9, 0.5), normal([8], 10, 0.5)]),
};

/** The models' own applyBatchNorm, with gamma and beta as inputs so that their gradients are measured too. */
function batchNormIn(mode: 'batch' | 'running') {
  return (input: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor => {
    const layer = {
      name: 'bn',
      momentum: 0.9,
      epsilon: 1e-5,
      gamma: { name: 'gamma', variable: tf.add(gamma, 1), decay: false },
      beta: { name: 'beta', variable: beta, decay: false },
      movingMean: tf.fill([8], 0.1),
      movingVariance: tf.fill([8], 1.5),
    } as unknown as BatchNormLayer;
    const stats: BatchStats[] = [];
    return applyBatchNorm(layer, input as tf.Tensor4D, mode, stats);
  };
}

for (const [name, compute] of Object.entries(LAYERS)) {
  test(`${name}: forward and gradients match cpu`, async (t) => {
    if (skipWithoutWebgpu(t, gpu.state)) return;
    const { cpu, gpu: webgpu } = await onBoth(compute);
    assertParity(t, webgpu, cpu, LAYER_TOLERANCE);
  });
}
