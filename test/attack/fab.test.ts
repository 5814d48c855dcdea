import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fabSingleTarget } from '../../src/attack/fab';
import { projectOntoHyperplaneLinf } from '../../src/attack/linf-projection';
import { setupTestBackend } from '../helpers/backend';
import { assertClose } from '../helpers/assert-close';
import { linearProblem } from './linear-oracle';
import { projectOntoHyperplaneLinf as projectSummingInOrder } from './dense/linf-projection-in-order';
import { Rng } from '../../src/util/rng';

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

test('the projection gives bit for bit the steps of the bisection that sums every coordinate at every halving', () => {
  // MNIST-like rows (784 pixels, most exactly 0 or 1, the rest uniform), gradients with some exact zeros, and planes
  // on both sides of the point, within and beyond the box's reach; plus rows whose reach equals the need exactly at a
  // bisection midpoint, where the test falls back to the index-order sum.
  const rng = new Rng(31);
  const rows: Array<{ point: Float32Array; w: Float32Array; b: number }> = [];
  for (let r = 0; r < 300; r++) {
    const dims = r % 3 === 0 ? 784 : 1 + rng.nextInt(64);
    const point = Float32Array.from({ length: dims }, () => {
      const u = rng.next();
      return u < 0.4 ? 0 : u < 0.6 ? 1 : rng.next();
    });
    const w = Float32Array.from({ length: dims }, () =>
      rng.next() < 0.1 ? 0 : rng.uniform(-1, 1) * 10 ** -rng.nextInt(4),
    );
    const dot = point.reduce((s, p, j) => s + p * w[j], 0);
    const spread = w.reduce((s, v) => s + Math.abs(v), 0);
    rows.push({ point, w, b: dot + rng.uniform(-1.5, 1.5) * spread * (r % 5 === 0 ? 1 : 0.1) });
  }
  rows.push({ point: Float32Array.of(0.5, 0.5), w: Float32Array.of(1, 2), b: 0 }); // reach(0.5) = 1.5 = need
  rows.push({ point: Float32Array.of(0.25, 0.75, 0), w: Float32Array.of(1, -1, 0), b: 0 }); // reach(0.25) = 0.5 = need
  // reach(1/16) = 1/8 = need: t = 1/16 exactly, which float32 tells from the 1/16 + 2^-26 a strict test would give.
  rows.push({ point: Float32Array.of(0.5, 0.5), w: Float32Array.of(1, 1), b: 0.875 });
  for (const [r, { point, w, b }] of rows.entries()) {
    const fast = projectOntoHyperplaneLinf(point, w, b, new Float32Array(point.length));
    const reference = projectSummingInOrder(point, w, b, new Float32Array(point.length));
    assert.deepEqual(fast, reference, `row ${r}`);
  }
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
