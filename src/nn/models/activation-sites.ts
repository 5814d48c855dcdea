import * as tf from '@tensorflow/tfjs';
import { toBound, type ActivationRef } from '../activation-spec';
import type { Param } from '../network';

/** One learnable scalar per activation site when the activation has a parameter (SmoothReLU), else none. */
export function createActivationParams(activation: ActivationRef, sites: number): Param[] {
  const spec = toBound(activation).activation;
  if (!spec.parameter) return [];
  const { name, init } = spec.parameter;
  return Array.from({ length: sites }, (_, site) => ({
    name: `act${site}/${name}`,
    variable: tf.variable(tf.scalar(init), true),
    decay: false,
  }));
}
