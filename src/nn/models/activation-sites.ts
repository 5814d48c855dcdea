import * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, type Activation, type ActivationName } from '../activations';
import type { Param } from '../network';

/** One learnable scalar per activation site when the activation has a parameter (SmoothReLU), else none. */
export function createActivationParams(activation: ActivationName, sites: number): Param[] {
  const spec: Activation = ACTIVATIONS[activation];
  if (!spec.parameter) return [];
  const { name, init } = spec.parameter;
  return Array.from({ length: sites }, (_, site) => ({
    name: `act${site}/${name}`,
    variable: tf.variable(tf.scalar(init), true),
    decay: false,
  }));
}
