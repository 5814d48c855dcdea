import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fabSingleTarget } from '../../src/attack/fab';
import { projectOntoHyperplaneLinf } from '../../src/attack/linf-projection';
import { setupTestBackend } from '../helpers/backend';
import { assertClose } from '../helpers/assert-close';
import { linearProblem } from './linear-oracle';

before(setupTestBackend);

/** projectOntoHyperplaneLinf on each row of points/w [rows][D] and b [rows], flattened. */
const projectRows = (points: number[][], w: number[][], b: number[]) =>
  points.flatMap((p, r) => Array.from(projectOntoHyperplaneLinf(p, w[r], b[r], new Float32Array(p.length))));

test('the L∞ projection onto a hyperplane is the closed form, inside and at the edge of the box', () => {
  // p = (0.5, 0.5), w = (1, 2), b = 0: w·p = 1.5 must fall by 1.5; at radius t the drop is 3t while t ≤ 0.5: t = 0.5,
  // d = (−0.5, −0.5). With b = 0.75 the drop is 0.75: t = 0.25, d = (−0.25, −0.25).
  // p = (0.9, 0.1), w = (1, 1), b = 0: coordinate 2 has room 0.1 → drop 0.1 + t = 1 → t = 0.9, d = (−0.9, −0.1).
  const d = projectRows(
    [
      [0.5, 0.5],
      [0.5, 0.5],
      [0.9, 0.1],
    ],
    [
      [1, 2],
      [1, 2],
      [1, 1],
    ],
    [0, 0.75, 0],
  );
  assertClose(d, [-0.5, -0.5, -0.25, -0.25, -0.9, -0.1], 1e-6);
});

test('below the plane the step goes up; when the box cannot reach the plane every coordinate moves by need/Σ|w|', () => {
  // p = (0.2, 0.2), w = (1, 1), b = 1: rise 0.6 → t = 0.3. b = 3: unreachable (box gives 1.6): t = 2.6/2 = 1.3.
  const d = projectRows(
    [
      [0.2, 0.2],
      [0.2, 0.2],
    ],
    [
      [1, 1],
      [1, 1],
    ],
    [1, 3],
  );
  assertClose(d, [0.3, 0.3, 1.3, 1.3], 1e-6);
});

test('on a linear classifier FAB finds the minimal adversarial L∞ norm of the closed form within 1 %', async () => {
  const problem = linearProblem({ dims: 16, count: 24, seed: 11 });
  const { x, y } = problem.tensors();
  const targets = problem.labels.map((label) => 1 - label); // binary: the other class
  const result = await fabSingleTarget(problem.model, x, y, targets, { epsilon: 1, steps: 100 });
  let checked = 0;
  for (let n = 0; n < 24; n++) {
    const minimal = problem.minimalEpsilon(n);
    if (problem.worstMargin(n, 0) <= 0) continue; // misclassified clean: nothing to find
    if (problem.worstMargin(n, 1) > 0) {
      assert.equal(result.norm[n], Infinity, `example ${n} cannot be fooled`);
      continue;
    }
    checked++;
    assert.ok(
      result.norm[n] >= minimal * (1 - 1e-4) && result.norm[n] <= minimal * 1.01 + 1e-5,
      `example ${n}: FAB ${result.norm[n]}, minimal ${minimal}`,
    );
  }
  assert.ok(checked >= 8, `${checked} examples checked`);
  tf.dispose([x, y, result.adversarial, result.fooled]);
});
