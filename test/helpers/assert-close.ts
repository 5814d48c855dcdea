import * as assert from 'node:assert/strict';
import type * as tf from '@tensorflow/tfjs';

/** Elementwise |a − b| ≤ atol + rtol·|b|, with the worst offender in the message. */
export function assertClose(
  actual: tf.Tensor | ArrayLike<number>,
  expected: tf.Tensor | ArrayLike<number>,
  atol = 1e-5,
  rtol = 1e-5,
): void {
  const a = 'dataSync' in actual ? actual.dataSync() : actual;
  const b = 'dataSync' in expected ? expected.dataSync() : expected;
  assert.equal(a.length, b.length, `length ${a.length} vs ${b.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i] - b[i]) - (atol + rtol * Math.abs(b[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  assert.ok(worst < 0, `element ${worst}: ${a[worst]} vs ${b[worst]} (atol ${atol}, rtol ${rtol})`);
}
