import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { GradientOracle } from '../../src/attack/oracle';
import { pgd, pgdLastIterate, pgdWithRestarts } from '../../src/attack/pgd';
import { ATTACK_LOSSES } from '../../src/nn/oracle';
import { Rng } from '../../src/util/rng';
import { setupTestBackend } from '../helpers/backend';
import { assertClose } from '../helpers/assert-close';
import { linearProblem } from './linear-oracle';

before(setupTestBackend);

const D = 12;
const rng = new Rng(11);
const w = rng.fillUniform(new Float32Array(D), -1, 1);
const b = 0.1;

/** Binary linear classifier: logits [0, w·x + b]; the oracle differentiates cross-entropy by autodiff. */
const linearOracle: GradientOracle = (x, y) => {
  const logitsOf = (input: tf.Tensor) =>
    tf.tidy(() => {
      const score = tf.add(tf.matMul(tf.reshape(input, [-1, D]), tf.tensor2d(w, [D, 1])), b);
      return tf.concat([tf.zerosLike(score), score], 1) as tf.Tensor2D;
    });
  const gradient = tf.tidy(() =>
    tf.grad((input: tf.Tensor) => tf.sum(ATTACK_LOSSES.crossEntropy(logitsOf(input), y)))(x),
  ) as tf.Tensor4D;
  const logits = logitsOf(x);
  return { gradient, logits, loss: ATTACK_LOSSES.crossEntropy(logits, y) };
};

function batch(n: number, low: number, high: number) {
  const values = new Rng(3).fillUniform(new Float32Array(n * D), low, high);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  return { x: tf.tensor4d(values, [n, 1, 1, D]), y: tf.tensor1d(labels, 'int32'), values, labels };
}

test('one step from the clean point equals the closed-form optimum x − ε·y·sign(w)', () => {
  const epsilon = 0.05;
  // Inputs kept in [ε, 1 − ε] so the [0, 1] clip never binds.
  const { x, y, values, labels } = batch(8, 0.1, 0.9);
  const adv = pgdLastIterate(
    linearOracle,
    x,
    y,
    { epsilon, stepSize: epsilon, steps: 1, randomStart: false },
    { seed: 0, exampleIds: [] },
  );
  // For label 1 (y = +1) the loss falls as w·x grows, so the attack moves against sign(w); label 0 the other way.
  const expected = values.map((v, i) => v - epsilon * (2 * labels[Math.floor(i / D)] - 1) * Math.sign(w[i % D]));
  assertClose(adv, expected, 1e-6, 0);
  tf.dispose([x, y, adv]);
});

test('stays inside the ε-ball and [0, 1] after every step, from a random start', () => {
  const epsilon = 0.1;
  const { x, y } = batch(16, 0, 1); // values at the edges exercise the [0, 1] clip
  for (const steps of [1, 3, 10]) {
    const { adversarial, fooled } = pgd(
      linearOracle,
      x,
      y,
      { epsilon, stepSize: epsilon / 2, steps, randomStart: true },
      { seed: 5, exampleIds: Array.from({ length: 16 }, (_, i) => i) },
    );
    const [a, c] = [adversarial.dataSync(), x.dataSync()];
    for (let i = 0; i < a.length; i++) {
      assert.ok(Math.abs(a[i] - c[i]) <= epsilon + 1e-6, `|δ| = ${Math.abs(a[i] - c[i])} at ${i} after ${steps} steps`);
      assert.ok(a[i] >= 0 && a[i] <= 1, `pixel ${a[i]} outside [0, 1]`);
    }
    tf.dispose([adversarial, fooled]);
  }
  tf.dispose([x, y]);
});

test('the same seed gives the same adversarial examples, and ε = 0 changes nothing', () => {
  const { x, y } = batch(6, 0, 1);
  const seeds = { seed: 9, exampleIds: [0, 1, 2, 3, 4, 5] };
  const config = { epsilon: 0.2, stepSize: 0.05, steps: 4, randomStart: true };
  const first = pgd(linearOracle, x, y, config, seeds);
  const second = pgd(linearOracle, x, y, config, seeds);
  assert.deepEqual(first.adversarial.dataSync(), second.adversarial.dataSync());
  const still = pgd(linearOracle, x, y, { ...config, epsilon: 0 }, seeds);
  assert.deepEqual(still.adversarial.dataSync(), x.dataSync());
  tf.dispose([
    x,
    y,
    first.adversarial,
    first.fooled,
    second.adversarial,
    second.fooled,
    still.adversarial,
    still.fooled,
  ]);
});

test('a random start depends on the example index, not its position in the batch', () => {
  const { x, y } = batch(4, 0.3, 0.7);
  const config = { epsilon: 0.1, stepSize: 0.01, steps: 0, randomStart: true };
  const whole = pgdLastIterate(linearOracle, x, y, config, { seed: 1, exampleIds: [10, 11, 12, 13] });
  const tail = pgdLastIterate(linearOracle, x.slice([2], [2]), y.slice([2], [2]), config, {
    seed: 1,
    exampleIds: [12, 13],
  });
  assertClose(whole.slice([2], [2]), tail, 0, 0);
  tf.dispose([x, y, whole, tail]);
});

test('the attack returns no tensors beyond its results', () => {
  const { x, y } = batch(4, 0, 1);
  const before = tf.memory().numTensors;
  const result = pgd(
    linearOracle,
    x,
    y,
    { epsilon: 0.1, stepSize: 0.03, steps: 5, randomStart: true },
    { seed: 2, exampleIds: [0, 1, 2, 3] },
  );
  assert.equal(tf.memory().numTensors, before + 2);
  tf.dispose([x, y, result.adversarial, result.fooled]);
});

for (const loss of ['crossEntropy', 'margin'] as const) {
  test(`PGD-10 on the ${loss} loss matches the closed-form robust accuracy of a linear classifier on every example`, () => {
    const problem = linearProblem({ dims: 16, count: 64, seed: 8, loss });
    const { x, y } = problem.tensors();
    for (const epsilon of [0.03, 0.08]) {
      // 10 steps of 2.5ε/10 travel 2.5ε: enough to reach the optimal corner from any random start.
      const result = pgd(
        problem.oracle,
        x,
        y,
        { epsilon, stepSize: (2.5 * epsilon) / 10, steps: 10, randomStart: true },
        { seed: 4, exampleIds: problem.ids },
      );
      const fooled = result.fooled.dataSync();
      for (let n = 0; n < 64; n++) {
        const margin = problem.worstMargin(n, epsilon);
        if (Math.abs(margin) >= 1e-3)
          assert.equal(fooled[n], margin < 0 ? 1 : 0, `example ${n}, ε ${epsilon}: worst margin ${margin}`);
      }
      tf.dispose([result.adversarial, result.fooled]);
    }
    tf.dispose([x, y]);
  });
}

test('restarts never remove a success: the per-example result is the OR over restarts', async () => {
  // One short step from a random start: whether an example falls depends on its start, so restarts differ.
  const problem = linearProblem({ dims: 16, count: 64, seed: 9 });
  const { x, y } = problem.tensors();
  const config = { epsilon: 0.3, stepSize: 0.01, steps: 1, randomStart: true };
  const seeds = { seed: 3, exampleIds: problem.ids };
  const single = [0, 1, 2].map((restart) => pgd(problem.oracle, x, y, config, seeds, restart));
  const combined = await pgdWithRestarts(problem.oracle, x, y, { ...config, restarts: 3 }, seeds);
  const flags = single.map((r) => Array.from(r.fooled.dataSync()));
  const any = Array.from(combined.fooled.dataSync());
  for (let n = 0; n < 64; n++) assert.equal(any[n], Math.max(flags[0][n], flags[1][n], flags[2][n]), `example ${n}`);
  assert.ok(
    any.reduce((s, v) => s + v, 0) > flags[0].reduce((s, v) => s + v, 0),
    'the extra restarts should fool someone new here',
  );
  tf.dispose([x, y, combined.adversarial, combined.fooled, ...single.flatMap((r) => [r.adversarial, r.fooled])]);
});
