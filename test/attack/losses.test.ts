import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { dlrTargetedLoss, logitDifferenceLoss, rankedClass } from '../../src/attack/losses';
import { setupTestBackend } from '../helpers/backend';
import { assertClose } from '../helpers/assert-close';

before(setupTestBackend);

// Logits z = [3, 1, 0, −1, −2], label 0, target 1. Sorted: π1 = 3, π3 = 0, π4 = −1, so D = 3 − (0 − 1)/2 = 3.5
// and the targeted DLR is −(z_y − z_t)/D = −2/3.5 = −0.571429.
const logits = () =>
  tf.tensor2d([
    [3, 1, 0, -1, -2],
    [0, 2, 1, 4, 3],
  ]);

test('the targeted DLR loss equals −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2) on hand-computed logits', () => {
  // Row 2: label 1, target 3; sorted 4, 3, 2, 1 → D = 4 − (2 + 1)/2 = 2.5; −(2 − 4)/2.5 = 0.8.
  const values = tf.tidy(() =>
    dlrTargetedLoss(tf.tensor1d([1, 3], 'int32'))(logits(), tf.tensor1d([0, 1], 'int32')).arraySync(),
  );
  assertClose(values, [-2 / 3.5, 0.8], 1e-6);
});

test('the targeted DLR loss is scale- and shift-invariant, and its gradient is that of the ratio through the sort', () => {
  const y = tf.tensor1d([0, 1], 'int32');
  const targets = tf.tensor1d([1, 3], 'int32');
  const loss = dlrTargetedLoss(targets);
  const shifted = tf.tidy(() => loss(tf.add(tf.mul(logits(), 7), 5) as tf.Tensor2D, y).arraySync());
  assertClose(shifted, [-2 / 3.5, 0.8], 1e-5);
  // Row 1, N = z0 − z1 = 2, D = 3.5: dL/dz0 = −1/D + N/D² = −0.122449 (z0 is also π1), dL/dz1 = 1/D = 0.285714,
  // dL/dz2 = dL/dz3 = −N/(2D²) = −0.081633, dL/dz4 = 0.
  const gradient = tf.tidy(
    () =>
      tf
        .grad((z: tf.Tensor) => tf.sum(loss(z as tf.Tensor2D, y)))(logits())
        .arraySync() as number[][],
  );
  assertClose(gradient[0], [-1 / 3.5 + 2 / 12.25, 1 / 3.5, -1 / 12.25, -1 / 12.25, 0], 1e-6);
  tf.dispose([y, targets]);
});

test('the logit difference is z_t − z_y, and ranked classes follow the logits from the runner-up down', () => {
  const values = tf.tidy(() =>
    logitDifferenceLoss(tf.tensor1d([4, 0], 'int32'))(logits(), tf.tensor1d([0, 1], 'int32')).arraySync(),
  );
  assertClose(values, [-5, -2], 1e-6);
  assert.deepEqual(
    tf.tidy(() => rankedClass(logits(), 2).arraySync()),
    [1, 4],
  );
  assert.deepEqual(
    tf.tidy(() => rankedClass(logits(), 4).arraySync()),
    [3, 2],
  );
});
