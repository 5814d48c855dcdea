import * as tf from '@tensorflow/tfjs';
import type { AttackLoss, GradientOracle, ModelOracle } from '../../src/attack/oracle';
import { ATTACK_LOSSES } from '../../src/nn/oracle';
import { Rng } from '../../src/util/rng';

/**
 * A binary linear classifier, logits [0, w·x + b], where the optimal L∞ attack is closed-form: each pixel moves
 * against the label's side by as much as the ε-ball and [0, 1] allow.
 */
export function linearProblem(options: { dims: number; count: number; seed: number; loss?: AttackLoss }) {
  const { dims, count } = options;
  const rng = new Rng(options.seed);
  const w = rng.fillUniform(new Float32Array(dims), -1, 1);
  const b = 0.05;
  const values = rng.fillUniform(new Float32Array(count * dims), 0, 1);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 2);
  const lossOf = ATTACK_LOSSES[options.loss ?? 'crossEntropy'];
  const logitsOf = (input: tf.Tensor) =>
    tf.tidy(() => {
      const score = tf.add(tf.matMul(tf.reshape(input, [-1, dims]), tf.tensor2d(w, [dims, 1])), b);
      return tf.concat([tf.zerosLike(score), score], 1) as tf.Tensor2D;
    });
  const model: ModelOracle = {
    gradient: (x, y, loss) => {
      const gradient = tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(loss(logitsOf(input), y)))(x)) as tf.Tensor4D;
      const logits = logitsOf(x);
      return { gradient, logits, loss: loss(logits, y) };
    },
    logits: logitsOf,
  };
  const oracle: GradientOracle = (x, y) => model.gradient(x, y, lossOf);
  /** The label's margin after the best attack: (2y − 1)(w·x + b) − Σ_j |w_j|·room_j. */
  const worstMargin = (n: number, epsilon: number) => {
    const sign = 2 * labels[n] - 1;
    let margin = b;
    let reduction = 0;
    for (let j = 0; j < dims; j++) {
      const v = values[n * dims + j];
      margin += w[j] * v;
      // The attack lowers sign·w_j·x_j: it moves x_j down when sign·w_j > 0, up otherwise.
      const room = sign * w[j] > 0 ? Math.min(epsilon, v) : Math.min(epsilon, 1 - v);
      reduction += Math.abs(w[j]) * room;
    }
    return sign * margin - reduction;
  };
  const tensors = () => ({ x: tf.tensor4d(values, [count, 1, 1, dims]), y: tf.tensor1d(labels, 'int32') });
  const ids = Int32Array.from({ length: count }, (_, i) => i);
  /** The smallest ε whose worst margin is ≤ 0 (bisection on the closed form): FAB's target. */
  const minimalEpsilon = (n: number) => {
    let [low, high] = [0, 1];
    for (let i = 0; i < 60; i++)
      [low, high] = worstMargin(n, (low + high) / 2) <= 0 ? [low, (low + high) / 2] : [(low + high) / 2, high];
    return high;
  };
  return { oracle, model, worstMargin, minimalEpsilon, tensors, ids, labels };
}

/**
 * A random linear classifier over `classes` classes, logits W·x + b, and `count` random examples labelled by its own
 * clean prediction: targeted attacks have several runner-ups to try. Counts rows per gradient and logits call.
 */
export function linearMulticlassProblem(options: { dims: number; classes: number; count: number; seed: number }) {
  const { dims, classes, count } = options;
  const rng = new Rng(options.seed);
  const w = rng.fillUniform(new Float32Array(dims * classes), -1, 1);
  const bias = rng.fillUniform(new Float32Array(classes), -0.1, 0.1);
  const values = rng.fillUniform(new Float32Array(count * dims), 0, 1);
  const logitsOf = (input: tf.Tensor) =>
    tf.tidy(
      () => tf.add(tf.matMul(tf.reshape(input, [-1, dims]), tf.tensor2d(w, [dims, classes])), bias) as tf.Tensor2D,
    );
  const labels = Int32Array.from({ length: count }, (_, n) => {
    let best = 0;
    const score = (c: number) =>
      Array.from({ length: dims }, (_, j) => values[n * dims + j] * w[j * classes + c]).reduce((a, b) => a + b) +
      bias[c];
    for (let c = 1; c < classes; c++) if (score(c) > score(best)) best = c;
    return best;
  });
  const rows = { gradient: 0, logits: 0 };
  const model: ModelOracle = {
    gradient: (x, y, loss) => {
      rows.gradient += x.shape[0];
      const gradient = tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(loss(logitsOf(input), y)))(x)) as tf.Tensor4D;
      const logits = logitsOf(x);
      return { gradient, logits, loss: loss(logits, y) };
    },
    logits: (x) => ((rows.logits += x.shape[0]), logitsOf(x)),
  };
  const tensors = () => ({ x: tf.tensor4d(values, [count, 1, 1, dims]), y: tf.tensor1d(labels, 'int32') });
  const ids = Int32Array.from({ length: count }, (_, i) => i);
  return { model, rows, tensors, ids, labels };
}
