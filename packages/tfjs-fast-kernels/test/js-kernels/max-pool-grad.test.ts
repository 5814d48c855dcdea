import { test } from 'node:test';
import { compareWithReference } from '../fast-harness';
import { POOL_CASES as CASES, poolGradientOf } from '../max-pool-cases';

// These tests are about the typed-array kernel: with the addon built, its threaded loop would serve the 2×2 windows
// instead (test/dnnl-kernels/max-pool-grad.test.ts runs the same cases there).
process.env.SAT_BENCH_NO_DNNL = '1';

test('MaxPoolGrad matches TF.js for overlapping and strided windows and every padding', async () => {
  for (const [i, c] of CASES.entries()) {
    await compareWithReference(
      `pool ${c.filter}/${c.strides}/${c.pad} on ${c.x.join('x')}`,
      'MaxPoolGrad',
      poolGradientOf(c, i, 1000),
    );
  }
});

test('MaxPoolGrad routes ties to the same input as TF.js (first largest in the window)', async () => {
  // Two levels: most windows hold equal maxima, as after a ReLU.
  for (const [i, c] of CASES.entries()) {
    await compareWithReference(
      `tied pool ${c.filter}/${c.strides}/${c.pad}`,
      'MaxPoolGrad',
      poolGradientOf(c, 50 + i, 1),
    );
  }
});
