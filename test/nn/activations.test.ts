import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { derivativeMismatch } from '../../src/nn/activation-check';
import { activationProblems, bindActivation } from '../../src/nn/activation-spec';
import { ACTIVATIONS, ACTIVATION_NAMES, type Activation, type ActivationSettings } from '../../src/nn/activations';
import { mixedActivation } from '../../src/nn/mixed-activation';
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

type Settings = Record<string, number>;
/** Closed forms written out by hand, independent of the implementation (settings: the activation's, complete). */
const CLOSED_FORMS: Record<
  string,
  { value: (x: number, s: Settings) => number; derivative: (x: number, s: Settings) => number }
> = {
  relu: { value: (x) => Math.max(x, 0), derivative: (x) => (x > 0 ? 1 : 0) },
  psoftplus: {
    value: (x, s) => Math.log1p(Math.exp(s.sharpness * x)) / s.sharpness,
    derivative: (x, s) => sigmoid(s.sharpness * x),
  },
  softplus: { value: (x) => Math.log1p(Math.exp(x)), derivative: (x) => sigmoid(x) },
  // sharpness a = 20² = 400 at initialisation
  smoothrelu: {
    value: (x) => (x >= 0 ? x - Math.log(400 * x + 1) / 400 : 0),
    derivative: (x) => (x >= 0 ? (400 * x) / (400 * x + 1) : 0),
  },
  gelu: {
    value: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    derivative: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp((-x * x) / 2)) / Math.sqrt(2 * Math.PI),
  },
  elu: { value: (x) => (x > 0 ? x : Math.exp(x) - 1), derivative: (x) => (x > 0 ? 1 : Math.exp(x)) },
  silu: { value: (x) => x * sigmoid(x), derivative: (x) => sigmoid(x) * (1 + x * (1 - sigmoid(x))) },
};

test('every registered activation has a closed form in this test', () => {
  assert.deepEqual(Object.keys(CLOSED_FORMS).sort(), [...ACTIVATION_NAMES].sort());
});

/** Each activation at its defaults, and with each setting halved: every setting is exercised. */
function settingCases(activation: Activation): ActivationSettings[] {
  const defaults = Object.fromEntries(Object.entries(activation.settings ?? {}).map(([key, s]) => [key, s.default]));
  return [defaults, ...Object.keys(defaults).map((key) => ({ ...defaults, [key]: defaults[key] / 2 }))];
}
const describeSettings = (settings: ActivationSettings) =>
  Object.keys(settings).length ? ` (${JSON.stringify(settings)})` : '';

for (const name of ACTIVATION_NAMES) {
  const activation: Activation = ACTIVATIONS[name];
  for (const settings of settingCases(activation)) {
    const at = describeSettings(settings);
    test(`${name}${at}: value and derivative equal the closed forms`, () => {
      tf.tidy(() => {
        const x = tf.tensor1d(POINTS);
        assertClose(
          activation.value(x, settings),
          POINTS.map((v) => CLOSED_FORMS[name].value(v, settings)),
          1e-5,
          1e-4,
        );
        assertClose(
          activation.derivative(x, settings),
          POINTS.map((v) => CLOSED_FORMS[name].derivative(v, settings)),
          1e-5,
          1e-4,
        );
      });
    });

    test(`${name}${at}: autodiff of the value equals the declared derivative`, () => {
      tf.tidy(() => {
        const x = tf.tensor1d(POINTS);
        assertClose(
          tf.grad((v: tf.Tensor) => activation.value(v, settings))(x),
          activation.derivative(x, settings),
          1e-5,
          1e-4,
        );
      });
    });

    test(`${name}${at}: the derivative matches central finite differences of the closed-form value`, () => {
      const h = 1e-3;
      const f = (x: number) => CLOSED_FORMS[name].value(x, settings);
      const numeric = POINTS.map((x) => (f(x + h) - f(x - h)) / (2 * h));
      tf.tidy(() => assertClose(activation.derivative(tf.tensor1d(POINTS), settings), numeric, 2e-3, 1e-2));
    });

    test(`${name}${at}: passes the load-time check experiment files' activations get (finite differences of value)`, async () => {
      assert.equal(await derivativeMismatch(activation, settings), undefined);
    });
  }
}

test("the load-time check catches a derivative that is not the value's", async () => {
  const wrong: Activation = {
    description: 'softplus with the derivative of ReLU',
    value: (x) => tf.softplus(x),
    derivative: (x) => tf.step(x),
  };
  assert.match(
    (await derivativeMismatch(wrong, {})) ?? '',
    /derivative\(-3\) = 0\.000, but finite differences of value give 0\.04\d+/,
  );
});

test('psoftplus at sharpness 5 is named psoftplus(sharpness=5); at 10 (the default) it is plain psoftplus', () => {
  assert.equal(bindActivation({ name: 'psoftplus', sharpness: 5 }).id, 'psoftplus(sharpness=5)');
  assert.equal(bindActivation({ name: 'psoftplus', sharpness: 10 }).id, 'psoftplus');
  assert.equal(bindActivation('psoftplus').id, 'psoftplus');
});

const BAD_SPECS: Array<[unknown, RegExp]> = [
  ['psoftpluss', /^f: unknown activation "psoftpluss"; did you mean "psoftplus"\? Known: relu, psoftplus/],
  [{ name: 'psoftplus', alpha: 5 }, /^f\.alpha: psoftplus has no setting "alpha"; its settings: sharpness$/],
  [{ name: 'psoftplus', sharpness: -1 }, /^f\.sharpness: expected a number > 0, got -1$/],
  [{ name: 'relu', sharpness: 5 }, /^f\.sharpness: relu has no setting "sharpness"; it takes none$/],
  [3, /^f: expected an activation name or \{ name, \.\.\.settings \}, got 3; known activations: relu/],
];
for (const [spec, message] of BAD_SPECS) {
  test(`the spec ${JSON.stringify(spec)} is refused with its path and the valid choices`, () => {
    const problems = activationProblems(spec, ACTIVATIONS, 'f');
    assert.equal(problems.length, 1);
    assert.match(problems[0], message);
  });
}

test('ReLU forward with psoftplus(sharpness=5) backward keeps ReLU values and takes sigmoid(5x) gradients', () => {
  tf.tidy(() => {
    const x = tf.tensor1d(POINTS);
    const f = mixedActivation('relu', bindActivation({ name: 'psoftplus', sharpness: 5 }));
    assertClose(
      f(x),
      POINTS.map((v) => Math.max(v, 0)),
    );
    assertClose(
      tf.grad((v: tf.Tensor) => f(v))(x),
      POINTS.map((v) => sigmoid(5 * v)),
    );
  });
});

test('ReLU forward with psoftplus backward keeps ReLU values and takes sigmoid(10x) gradients', () => {
  tf.tidy(() => {
    const x = tf.tensor1d(POINTS);
    const f = mixedActivation('relu', 'psoftplus');
    assertClose(
      f(x),
      POINTS.map((v) => Math.max(v, 0)),
    );
    assertClose(
      tf.grad((v: tf.Tensor) => f(v))(x),
      POINTS.map((v) => sigmoid(10 * v)),
    );
  });
});

test('SmoothReLU as its own forward and backward gives its learnable parameter a gradient', () => {
  tf.tidy(() => {
    const s = tf.variable(tf.scalar(20));
    const x = tf.tensor1d([0.01, 0.1, 0.5]);
    const { grads } = tf.variableGrads(
      () => tf.sum(mixedActivation('smoothrelu', 'smoothrelu', s as tf.Scalar)(x)) as tf.Scalar,
      [s],
    );
    const g = grads[s.name].dataSync()[0];
    // d/ds [x − log(s²x + 1)/s²] = (2/s³)·log(s²x + 1) − 2x/(s·(s²x + 1)), summed over x
    const expected = [0.01, 0.1, 0.5].reduce(
      (sum, v) => sum + (2 / 8000) * Math.log(400 * v + 1) - (2 * v) / (20 * (400 * v + 1)),
      0,
    );
    assert.ok(Math.abs(g - expected) < 1e-5, `${g} vs ${expected}`);
    s.dispose();
  });
});
