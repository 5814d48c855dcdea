import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../util/rng';
import { seedOfRow, type StartSeeds } from './oracle';

/** Uniform noise in [-ε, ε] for each example, drawn from a generator seeded by (seed, example id, restart). */
export function uniformStartNoise(shape: number[], epsilon: number, seeds: StartSeeds, restart: number): tf.Tensor4D {
  const [n, ...rest] = shape;
  const perExample = rest.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n * perExample);
  for (let i = 0; i < n; i++) {
    const rng = new Rng(deriveSeed(seedOfRow(seeds, i), 'start', restart, seeds.exampleIds[i]));
    rng.fillUniform(values.subarray(i * perExample, (i + 1) * perExample), -epsilon, epsilon);
  }
  return tf.tensor4d(values, shape as [number, number, number, number]);
}

/** Back into the ε-ball around x, then into the image range [0, 1]. */
export function projectLinf(x: tf.Tensor4D, candidate: tf.Tensor4D, epsilon: number): tf.Tensor4D {
  return tf.tidy(
    () => tf.clipByValue(tf.add(x, tf.clipByValue(tf.sub(candidate, x), -epsilon, epsilon)), 0, 1) as tf.Tensor4D,
  );
}
