import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, ACTIVATION_NAMES, mixedActivation, type Activation } from '../../src/nn/activations';
import { setupTestBackend } from '../helpers/backend';
import { assertClose } from '../helpers/assert-close';

before(setupTestBackend);

// Avoids 0, where ReLU has no derivative.
const POINTS = [-3, -1.2, -0.5, -0.05, -0.01, 0.01, 0.05, 0.3, 1.1, 3];
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for 1e-5; integrate the series instead.
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Closed forms written out by hand, independent of the implementation. */
const CLOSED_FORMS: Record<string, { value: (x: number) => number; derivative: (x: number) => number }> = {
  relu: { value: (x) => Math.max(x, 0), derivative: (x) => (x > 0 ? 1 : 0) },
  psoftplus: { value: (x) => Math.log1p(Math.exp(10 * x)) / 10, derivative: (x) => sigmoid(10 * x) },
  softplus: { value: (x) => Math.log1p(Math.exp(x)), derivative: (x) => sigmoid(x) },
  // sharpness a = 20² = 400 at initialisation
  smoothrelu: { value: (x) => (x >= 0 ? x - Math.log(400 * x + 1) / 400 : 0), derivative: (x) => (x >= 0 ? (400 * x) / (400 * x + 1) : 0) },
  gelu: {
    value: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    derivative: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-x * x / 2)) / Math.sqrt(2 * Math.PI),
  },
  elu: { value: (x) => (x > 0 ? x : Math.exp(x) - 1), derivative: (x) => (x > 0 ? 1 : Math.exp(x)) },
  silu: { value: (x) => x * sigmoid(x), derivative: (x) => sigmoid(x) * (1 + x * (1 - sigmoid(x))) },
};

test('every registered activation has a closed form in this test', () => {
  assert.deepEqual(Object.keys(CLOSED_FORMS).sort(), [...ACTIVATION_NAMES].sort());
});

for (const name of ACTIVATION_NAMES) {
  const activation: Activation = ACTIVATIONS[name];
  test(`${name}: value and derivative equal the closed forms`, () => {
    tf.tidy(() => {
      const x = tf.tensor1d(POINTS);
      assertClose(activation.value(x), POINTS.map(CLOSED_FORMS[name].value), 1e-5, 1e-4);
      assertClose(activation.derivative(x), POINTS.map(CLOSED_FORMS[name].derivative), 1e-5, 1e-4);
    });
  });

  test(`${name}: autodiff of the value equals the declared derivative`, () => {
    tf.tidy(() => {
      const x = tf.tensor1d(POINTS);
      assertClose(tf.grad((v: tf.Tensor) => activation.value(v))(x), activation.derivative(x), 1e-5, 1e-4);
    });
  });

  test(`${name}: the derivative matches central finite differences of the value`, () => {
    const h = 1e-3;
    const f = CLOSED_FORMS[name].value;
    const numeric = POINTS.map((x) => (f(x + h) - f(x - h)) / (2 * h));
    tf.tidy(() => assertClose(activation.derivative(tf.tensor1d(POINTS)), numeric, 2e-3, 1e-2));
  });
}

test('ReLU forward with psoftplus backward keeps ReLU values and takes sigmoid(10x) gradients', () => {
  tf.tidy(() => {
    const x = tf.tensor1d(POINTS);
    const f = mixedActivation('relu', 'psoftplus');
    assertClose(f(x), POINTS.map((v) => Math.max(v, 0)));
    assertClose(tf.grad((v: tf.Tensor) => f(v))(x), POINTS.map((v) => sigmoid(10 * v)));
  });
});

test('SmoothReLU as its own forward and backward gives its learnable parameter a gradient', () => {
  tf.tidy(() => {
    const s = tf.variable(tf.scalar(20));
    const x = tf.tensor1d([0.01, 0.1, 0.5]);
    const { grads } = tf.variableGrads(() => tf.sum(mixedActivation('smoothrelu', 'smoothrelu', s as tf.Scalar)(x)) as tf.Scalar, [s]);
    const g = grads[s.name].dataSync()[0];
    // d/ds [x − log(s²x + 1)/s²] = (2/s³)·log(s²x + 1) − 2x/(s·(s²x + 1)), summed over x
    const expected = [0.01, 0.1, 0.5].reduce((sum, v) => sum + (2 / 8000) * Math.log(400 * v + 1) - (2 * v) / (20 * (400 * v + 1)), 0);
    assert.ok(Math.abs(g - expected) < 1e-5, `${g} vs ${expected}`);
    s.dispose();
  });
});
