import * as tf from '@tensorflow/tfjs';

/** Fixed hyper-parameters of one use of an activation (a run's `{ name: 'psoftplus', sharpness: 5 }`), complete. */
export type ActivationSettings = Readonly<Record<string, number>>;

/** A hyper-parameter a run may set: its default (what a plain name means) and its valid range. */
export interface ActivationSetting {
  default: number;
  description: string;
  min?: number;
  /** The value must be above `min`, not equal to it. */
  exclusiveMin?: boolean;
}

/**
 * Activation functions with value and derivative kept apart, so that a forward can be paired with another
 * function's backward (Table 1). `derivative` is the elementwise d value / d x. Both receive the complete settings
 * (defaults filled in) and, for the forward of a model with one, the learnable parameter of the activation site.
 */
export interface Activation {
  /** How `list` and reports name it. */
  description: string;
  /** Hyper-parameters a run may set by name (psoftplus's sharpness); none when absent. */
  settings?: Readonly<Record<string, ActivationSetting>>;
  /** A learnable scalar (SmoothReLU's sharpness), created per activation site when this is the forward. */
  parameter?: { name: string; init: number };
  value(x: tf.Tensor, settings: ActivationSettings, parameter?: tf.Scalar): tf.Tensor;
  derivative(x: tf.Tensor, settings: ActivationSettings, parameter?: tf.Scalar): tf.Tensor;
}

/** The paper's parametric softplus sharpness: f(x) = log(1 + exp(10x)) / 10 (the `sharpness` setting's default). */
export const SOFTPLUS_SHARPNESS = 10;
/** Official SmoothReLU code: sharpness = s², s initialised to 20. */
const SMOOTHRELU_SQRT_SHARPNESS_INIT = 20;

function smoothReluSharpness(parameter?: tf.Scalar): tf.Tensor {
  return parameter ? tf.square(parameter) : tf.scalar(SMOOTHRELU_SQRT_SHARPNESS_INIT ** 2);
}

export const ACTIVATIONS = {
  relu: {
    description: 'ReLU, max(x, 0)',
    value: (x) => tf.relu(x),
    derivative: (x) => tf.step(x),
  },
  psoftplus: {
    description: `parametric softplus, log(1 + exp(s x)) / s with sharpness s (default ${SOFTPLUS_SHARPNESS}, the paper's)`,
    // The paper writes the sharpness as α; here it is `sharpness` (PGD code uses α for the step size).
    settings: {
      sharpness: {
        default: SOFTPLUS_SHARPNESS,
        description: 'the s in log(1 + exp(s x)) / s; larger is closer to ReLU',
        min: 0,
        exclusiveMin: true,
      },
    },
    value: (x, { sharpness }) => tf.tidy(() => tf.div(tf.softplus(tf.mul(x, sharpness)), sharpness)),
    derivative: (x, { sharpness }) => tf.tidy(() => tf.sigmoid(tf.mul(x, sharpness))),
  },
  softplus: {
    description: 'softplus, log(1 + exp(x))',
    value: (x) => tf.softplus(x),
    derivative: (x) => tf.sigmoid(x),
  },
  smoothrelu: {
    description: 'SmoothReLU, x - log(ax + 1)/a for x >= 0 else 0, a = s^2 learnable (s starts at 20)',
    parameter: { name: 'smoothReluSqrtSharpness', init: SMOOTHRELU_SQRT_SHARPNESS_INIT },
    value: (x, _settings, parameter) =>
      tf.tidy(() => {
        const sharpness = smoothReluSharpness(parameter);
        const positive = tf.relu(x);
        return tf.sub(positive, tf.div(tf.log1p(tf.mul(sharpness, positive)), sharpness));
      }),
    // d/dx = 1 - 1/(ax + 1) = ax / (ax + 1) for x >= 0, else 0
    derivative: (x, _settings, parameter) =>
      tf.tidy(() => {
        const scaled = tf.mul(smoothReluSharpness(parameter), tf.relu(x));
        return tf.div(scaled, tf.add(scaled, 1));
      }),
  },
  gelu: {
    description: 'GELU (exact, x * Phi(x) with erf)',
    value: (x) => tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))))),
    // Phi(x) + x * phi(x)
    derivative: (x) =>
      tf.tidy(() => {
        const cdf = tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
        const pdf = tf.mul(tf.exp(tf.mul(tf.square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
        return tf.add(cdf, tf.mul(x, pdf));
      }),
  },
  elu: {
    description: 'ELU with alpha = 1',
    value: (x) => tf.elu(x),
    derivative: (x) => tf.tidy(() => tf.where(tf.greater(x, 0), tf.onesLike(x), tf.exp(tf.minimum(x, 0)))),
  },
  silu: {
    description: 'SiLU / swish, x * sigmoid(x)',
    value: (x) => tf.tidy(() => tf.mul(x, tf.sigmoid(x))),
    // sigma(x) * (1 + x * (1 - sigma(x)))
    derivative: (x) =>
      tf.tidy(() => {
        const s = tf.sigmoid(x);
        return tf.mul(s, tf.add(1, tf.mul(x, tf.sub(1, s))));
      }),
  },
} satisfies Record<string, Activation>;

export type ActivationName = keyof typeof ACTIVATIONS;
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];
