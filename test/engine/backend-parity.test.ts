// The backend under test ($SAT_BENCH_BACKEND, default auto) against plain TF.js cpu, on the ops a training step
// uses. scripts/gpu-run.sh runs this file with SAT_BENCH_BACKEND=webgpu on the GPU machine.
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_REQUESTS, releaseBackend, setupBackend, type BackendRequest } from '../../src/engine/backend';
import { assertClose } from '../helpers/assert-close';

type Computation = () => tf.Tensor[];

const x = (): tf.Tensor4D => tf.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 11); // [N, H, W, C]
const w = (): tf.Tensor4D => tf.randomNormal([3, 3, 3, 8], 0, 0.3, 'float32', 12); // [KH, KW, Ci, Co]

/** Each returns tensors; gradients go through a squared loss so dy is not constant. */
const COMPUTATIONS: Record<string, Computation> = {
  'conv2d forward and both gradients, stride 1 same': () => {
    const [input, filter] = [x(), w()];
    const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')));
    return [tf.conv2d(input, filter, 1, 'same'), ...tf.grads(loss)([input, filter])];
  },
  'conv2d gradients, stride 2 same (the downsampling blocks)': () => {
    const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')));
    return tf.grads(loss)([x(), w()]);
  },
  'matMul and its gradients': () => {
    const a = tf.randomNormal([16, 24], 0, 1, 'float32', 13);
    const b = tf.randomNormal([24, 10], 0, 1, 'float32', 14);
    return [
      tf.matMul(a, b),
      ...tf.grads((p: tf.Tensor, q: tf.Tensor): tf.Scalar => tf.sum(tf.square(tf.matMul(p, q))))([a, b]),
    ];
  },
  'relu, softplus, sigmoid, pooling and softmax cross-entropy gradients': () => {
    const f = (input: tf.Tensor): tf.Scalar => {
      const h = tf.add(tf.relu(input), tf.mul(tf.softplus(tf.mul(input, 10)), 0.1));
      const pooled = tf.avgPool(tf.maxPool(tf.sigmoid(h) as tf.Tensor4D, 2, 2, 'same'), 2, 1, 'valid');
      const logits = tf.reshape(pooled, [4, -1]);
      return tf.losses.softmaxCrossEntropy(tf.oneHot([0, 1, 2, 0], logits.shape[1] as number), logits) as tf.Scalar;
    };
    return [tf.grad(f)(x())];
  },
  'batch-norm moments and normalisation': () => {
    const input = x();
    const { mean, variance } = tf.moments(input, [0, 1, 2]);
    return [mean, variance, tf.batchNorm(input, mean, variance, undefined, undefined, 1e-5)];
  },
};

const reference = new Map<string, Float32Array[]>();

before(async () => {
  // Plain cpu first, before any fast kernel is installed, so the reference is TF.js's own.
  await tf.setBackend('cpu');
  for (const [name, compute] of Object.entries(COMPUTATIONS)) {
    reference.set(
      name,
      tf.tidy(() => compute().map((t) => t.dataSync() as Float32Array)),
    );
  }
  const requested = (process.env.SAT_BENCH_BACKEND ?? 'auto') as BackendRequest;
  if (!BACKEND_REQUESTS.includes(requested))
    throw new Error(
      `SAT_BENCH_BACKEND: unknown backend, got "${requested}". Use one of ${BACKEND_REQUESTS.join(', ')}.`,
    );
  console.log((await setupBackend(requested)).reason);
});

after(() => releaseBackend());

for (const [name, compute] of Object.entries(COMPUTATIONS)) {
  test(`${name} match plain TF.js cpu on the selected backend`, async () => {
    // data(), not dataSync(): webgpu has no synchronous read in Node.
    const outputs = tf.tidy(compute);
    const actual = await Promise.all(outputs.map(async (t) => (await t.data()) as Float32Array));
    tf.dispose(outputs);
    const expected = reference.get(name) as Float32Array[];
    // GPUs may reduce in another order or use TF32 matmuls; 5e-3 still catches a wrong index or a missing term.
    actual.forEach((values, i) => assertClose(values, expected[i], 5e-3, 5e-3));
  });
}
