import * as tf from '@tensorflow/tfjs';
import { readAndDispose } from '../util/read-tensor';
import type { Activation, ActivationSettings } from './activations';

/** Away from 0, where ReLU-like functions have no derivative; spread over where pre-activations live. */
export const CHECK_POINTS = [-3, -1.2, -0.5, -0.05, 0.05, 0.3, 1.1, 3];

/**
 * Whether `derivative` is the derivative of `value` at these settings: compared with central finite differences of
 * `value` itself (float32, step 1e-3, so tolerance 1e-2 absolute + relative). Returns what is wrong, or undefined.
 * Experiment files' activations are checked with it at load; the built-ins in test/nn/activations.test.ts.
 */
export async function derivativeMismatch(
  activation: Activation,
  settings: ActivationSettings,
  points: readonly number[] = CHECK_POINTS,
): Promise<string | undefined> {
  const h = 1e-3;
  const tensors = tf.tidy(() => {
    const x = tf.tensor1d(points as number[]);
    const at = (shift: number) => activation.value(tf.add(x, shift), settings);
    return [activation.value(x, settings), at(h), at(-h), activation.derivative(x, settings)];
  });
  // An asynchronous read: the check runs on the chosen backend, WebGPU included.
  const [value, plus, minus, derivative] = await Promise.all(
    tensors.map(async (t) => Array.from(await readAndDispose(t))),
  );
  if (value.length !== points.length || derivative.length !== points.length) {
    return `value and derivative must return one number per input (elementwise), got ${value.length} and ${derivative.length} for ${points.length}`;
  }
  for (let i = 0; i < points.length; i++) {
    const numeric = (plus[i] - minus[i]) / (2 * h);
    if (!Number.isFinite(value[i]) || !Number.isFinite(derivative[i]))
      return `not finite at x = ${points[i]} (value ${value[i]}, derivative ${derivative[i]})`;
    if (Math.abs(derivative[i] - numeric) > 1e-2 * (1 + Math.abs(numeric))) {
      return `derivative(${points[i]}) = ${derivative[i].toPrecision(4)}, but finite differences of value give ${numeric.toPrecision(4)}`;
    }
  }
  return undefined;
}
