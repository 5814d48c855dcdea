import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { apgd, apgdCheckpoints } from '../../src/attack/apgd';
import { setupTestBackend } from '../helpers/backend';
import { linearProblem } from './linear-oracle';

before(setupTestBackend);

test('checkpoints for 100 steps are those of Croce & Hein: 0, 22, 41, 57, 70, 80, 87, 93, 99', () => {
  // p: 0, .22, .41 (+.19), .57 (+.16), .70 (+.13), .80 (+.10), .87 (+.07), .93 (+.06), .99 (+.06), then 1.05 > 1.
  assert.deepEqual(apgdCheckpoints(100), [0, 22, 41, 57, 70, 80, 87, 93, 99]);
  assert.deepEqual(apgdCheckpoints(10), [0, 3, 5, 6, 7, 8, 9, 10]);
});

test('on a linear classifier APGD reaches the closed-form optimum: robust exactly where the worst margin is positive', async () => {
  const problem = linearProblem({ dims: 16, count: 64, seed: 7 });
  const { x, y } = problem.tensors();
  for (const epsilon of [0.03, 0.08]) {
    const result = await apgd(
      problem.oracle,
      x,
      y,
      { epsilon, steps: 20, randomStart: true },
      { seed: 1, exampleIds: problem.ids },
    );
    const fooled = result.fooled.dataSync();
    let checked = 0;
    for (let n = 0; n < 64; n++) {
      const margin = problem.worstMargin(n, epsilon);
      if (Math.abs(margin) < 1e-3) continue; // float32 ties could go either way
      checked++;
      assert.equal(fooled[n], margin < 0 ? 1 : 0, `example ${n}, ε ${epsilon}: worst margin ${margin}`);
    }
    assert.ok(checked > 50);
    tf.dispose([result.adversarial, result.fooled]);
  }
  tf.dispose([x, y]);
});

test('stays inside the ε-ball and [0, 1], and leaves no tensors behind', async () => {
  const problem = linearProblem({ dims: 16, count: 8, seed: 3 });
  const { x, y } = problem.tensors();
  const before = tf.memory().numTensors;
  const result = await apgd(
    problem.oracle,
    x,
    y,
    { epsilon: 0.1, steps: 12, randomStart: true },
    { seed: 2, exampleIds: problem.ids },
  );
  assert.equal(tf.memory().numTensors, before + 2);
  const [a, c] = [result.adversarial.dataSync(), x.dataSync()];
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i] - c[i]) <= 0.1 + 1e-6 && a[i] >= 0 && a[i] <= 1, `pixel ${i}: ${a[i]} from ${c[i]}`);
  tf.dispose([x, y, result.adversarial, result.fooled]);
});
