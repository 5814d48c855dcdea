import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  ELEMENTWISE_KERNEL_NAMES,
  ELEMENTWISE_OPS,
  type ElementwiseKernelName,
  type ElementwiseSpec,
} from '../../src/ort-kernels/elementwise-ops';
import { compareFallback, compareWithReference, FAST_BACKENDS, randomValues, requireOrt } from '../fast-harness';

const SHAPE = [8, 16, 16, 9]; // 18432 elements: above the ORT threshold of 16384
const SIZE = SHAPE.reduce((a, b) => a * b, 1);

/** How each kernel is reached from the public API, and the input range it is defined on. */
interface OpCall {
  call: (inputs: tf.Tensor[]) => tf.Tensor;
  arity: 1 | 2;
  range?: [number, number];
}

const un = (f: (x: tf.Tensor) => tf.Tensor, range?: [number, number]): OpCall => ({
  call: ([x]) => f(x),
  arity: 1,
  range,
});
const bin = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, range?: [number, number]): OpCall => ({
  call: ([a, b]) => f(a, b),
  arity: 2,
  range,
});
// Comparisons return bool; cast so every output compares as numbers.
const cmp = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): OpCall => bin((a, b) => tf.cast(f(a, b), 'float32'));

const OP_CALLS = {
  Add: bin(tf.add),
  Sub: bin(tf.sub),
  Multiply: bin(tf.mul),
  RealDiv: bin(tf.div, [0.5, 2]),
  Maximum: bin(tf.maximum),
  Minimum: bin(tf.minimum),
  SquaredDifference: bin(tf.squaredDifference),
  Greater: cmp(tf.greater),
  GreaterEqual: cmp(tf.greaterEqual),
  Less: cmp(tf.less),
  LessEqual: cmp(tf.lessEqual),
  Relu: un(tf.relu),
  Sigmoid: un(tf.sigmoid, [-20, 20]),
  Exp: un(tf.exp, [-10, 10]),
  Log: un(tf.log, [0.01, 100]),
  Sqrt: un(tf.sqrt, [0, 100]),
  Neg: un(tf.neg),
  Abs: un(tf.abs),
  Erf: un(tf.erf, [-3, 3]),
  Tanh: un(tf.tanh, [-5, 5]),
  Square: un(tf.square),
  Rsqrt: un(tf.rsqrt, [0.01, 100]),
  Log1p: un(tf.log1p, [-0.9, 10]),
  Elu: un(tf.elu, [-5, 5]),
  EluGrad: un((x) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.elu(v), v)))(x), [-5, 5]),
  Softplus: un(tf.softplus, [-30, 30]),
  Step: un((x) => tf.step(x)),
  ClipByValue: un((x) => tf.clipByValue(x, -0.25, 0.5)),
  Select: bin((a, b) => tf.where(tf.greater(a, b), a, b)),
} satisfies Record<ElementwiseKernelName, OpCall>;

/** Where the kernel is installed: wasm keeps its own kernels for cheap arithmetic. */
const backendsOf = (name: ElementwiseKernelName) =>
  (ELEMENTWISE_OPS[name] as ElementwiseSpec).backends ?? FAST_BACKENDS;

function inputsFor(op: OpCall, seed: number, shapes: number[][]): () => tf.Tensor[] {
  const [lo, hi] = op.range ?? [-2, 2];
  const values = shapes.map((shape, i) =>
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed + i,
      lo,
      hi,
    ),
  );
  // A few exact zeros, where comparisons, Step and Relu have their corners.
  if (op.range === undefined) for (let i = 0; i < values[0].length; i += 97) values[0][i] = 0;
  return () => values.map((v, i) => tf.tensor(v, shapes[i]));
}

test('every ORT elementwise kernel matches TF.js on same-shape inputs', async (t) => {
  if (!requireOrt(t)) return;
  for (const [i, name] of ELEMENTWISE_KERNEL_NAMES.entries()) {
    const op: OpCall = OP_CALLS[name];
    const make = inputsFor(
      op,
      10 * i,
      Array.from({ length: op.arity }, () => SHAPE),
    );
    await compareWithReference(name, name, () => op.call(make()), backendsOf(name));
  }
});

test('binary kernels broadcast like TF.js: bias vectors, size-1 axes and scalars', async (t) => {
  if (!requireOrt(t)) return;
  const broadcasts = [
    [SHAPE, [9]],
    [SHAPE, [1, 16, 1, 9]],
    [[1], SHAPE],
    [
      [8, 1, 16, 1],
      [16, 1, 9],
    ],
  ];
  for (const name of ['Add', 'Sub', 'Multiply', 'RealDiv', 'Maximum', 'Minimum', 'Greater'] as const) {
    for (const [j, shapes] of broadcasts.entries()) {
      const op: OpCall = OP_CALLS[name];
      const make = inputsFor(op, 100 * j, shapes);
      await compareWithReference(
        `${name} of ${shapes.map((s) => `[${s}]`).join(' and ')}`,
        name,
        () => op.call(make()),
        backendsOf(name),
      );
    }
  }
});

test('NaN passes through Relu, Step and Sigmoid as in TF.js', async (t) => {
  if (!requireOrt(t)) return;
  const values = randomValues(SIZE, 3);
  for (let i = 0; i < SIZE; i += 101) values[i] = NaN;
  for (const name of ['Relu', 'Step', 'Sigmoid'] as const) {
    const op: OpCall = OP_CALLS[name];
    await compareWithReference(`${name} with NaN`, name, () => op.call([tf.tensor(values, SHAPE)]), backendsOf(name));
  }
});

test('small tensors, int32 data and a non-zero Step alpha fall back to the original kernels', async (t) => {
  if (!requireOrt(t)) return;
  await compareFallback('small Maximum', 'Maximum', () => tf.maximum(tf.tensor1d([1, 5, 3]), tf.tensor1d([4, 2, 6])));
  const ints = Array.from({ length: SIZE }, (_, i) => i % 5);
  await compareFallback('int32 Maximum', 'Maximum', () =>
    tf.cast(tf.maximum(tf.tensor(ints, SHAPE, 'int32'), tf.tensor(ints.reverse(), SHAPE, 'int32')), 'float32'),
  );
  await compareFallback('Step alpha 0.2', 'Step', () => tf.step(tf.tensor(randomValues(SIZE, 4), SHAPE), 0.2), ['cpu']);
});
