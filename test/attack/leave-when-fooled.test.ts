import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { apgd } from '../../src/attack/apgd';
import { apgdTargeted } from '../../src/attack/apgd-targeted';
import { fabSingleTarget, fabTargeted } from '../../src/attack/fab';
import { dlrTargetedLoss } from '../../src/attack/losses';
import type { GradientOracle } from '../../src/attack/oracle';
import { pgd, pgdUntilFooled } from '../../src/attack/pgd';
import { ATTACK_LOSSES } from '../../src/nn/oracle';
import { setupTestBackend } from '../helpers/backend';
import { assertClose } from '../helpers/assert-close';
import { apgd as denseApgd } from './dense/apgd';
import { fabSingleTarget as tensorFab } from './dense/fab';
import { linearMulticlassProblem } from './linear-oracle';

before(setupTestBackend);

// Differential tests: the attacks that let fooled examples leave the batch (and batch the targets, and run FAB's
// projections on the host) against the references that keep every example to the last step (test/attack/dense).

const count = 48;
const problem = () => linearMulticlassProblem({ dims: 24, classes: 5, count, seed: 17 });
const ceOracle =
  (p: ReturnType<typeof problem>): GradientOracle =>
  (x, y) =>
    p.model.gradient(x, y, ATTACK_LOSSES.crossEntropy);

async function flagsAndPoints(result: { adversarial: tf.Tensor; fooled: tf.Tensor }) {
  const out = { fooled: Array.from(await result.fooled.data()), points: await result.adversarial.data() };
  tf.dispose([result.adversarial, result.fooled]);
  return out;
}

const share = (flags: number[]) => flags.reduce((a, b) => a + b, 0) / flags.length;

test('PGD that lets fooled examples go has the same flags and points as PGD on the whole batch, for less work', async () => {
  const p = problem();
  const { x, y } = p.tensors();
  const seeds = { seed: 6, exampleIds: p.ids };
  for (const epsilon of [0.08, 0.15, 0.2]) {
    const config = { epsilon, stepSize: (2.5 * epsilon) / 20, steps: 20, randomStart: true };
    p.rows.gradient = 0;
    const dense = await flagsAndPoints(pgd(ceOracle(p), x, y, config, seeds));
    const denseRows = p.rows.gradient;
    p.rows.gradient = 0;
    const leaving = await flagsAndPoints(await pgdUntilFooled(ceOracle(p), x, y, config, seeds));
    assert.deepEqual(leaving.fooled, dense.fooled, `ε ${epsilon}`);
    assertClose(leaving.points, dense.points, 1e-6, 0);
    const fooled = share(dense.fooled);
    assert.ok(p.rows.gradient < denseRows, `ε ${epsilon}: ${p.rows.gradient} rows vs ${denseRows}`);
    assert.ok(fooled > 0.2 && fooled < 0.9, `ε ${epsilon} should fool some, not all: ${fooled}`);
  }
  tf.dispose([x, y]);
});

for (const loss of ['crossEntropy', 'dlr-targeted'] as const) {
  test(`APGD (${loss}) that lets fooled examples go has the same flags and points as APGD on the whole batch`, async () => {
    const p = problem();
    const { x, y } = p.tensors();
    const targets = tf.tensor1d(
      Array.from(p.labels, (label) => (label + 1) % 5),
      'int32',
    );
    const lossOf = loss === 'crossEntropy' ? ATTACK_LOSSES.crossEntropy : dlrTargetedLoss(targets);
    const whole: GradientOracle = (point, labels) => p.model.gradient(point, labels, lossOf);
    const seeds = { seed: 2, exampleIds: p.ids };
    for (const epsilon of [0.1, 0.2]) {
      const config = { epsilon, steps: 25, randomStart: true };
      const dense = await flagsAndPoints(await denseApgd(whole, x, y, config, seeds));
      const leaving = await flagsAndPoints(
        await apgd(
          (point, labels, open) => {
            const openTargets = tf.gather(targets, tf.tensor1d(open, 'int32'));
            const rowLoss =
              loss === 'crossEntropy' ? ATTACK_LOSSES.crossEntropy : dlrTargetedLoss(openTargets as tf.Tensor1D);
            const out = p.model.gradient(point, labels, rowLoss);
            openTargets.dispose();
            return out;
          },
          x,
          y,
          config,
          seeds,
        ),
      );
      assert.deepEqual(leaving.fooled, dense.fooled, `ε ${epsilon}`);
      assertClose(leaving.points, dense.points, 1e-5, 0);
      const fooled = share(dense.fooled);
      assert.ok(fooled > 0 && fooled < 1, `ε ${epsilon} should fool some, not all: ${fooled}`);
    }
    tf.dispose([x, y, targets]);
  });
}

test('APGD-T with all targets in one batch fools the same examples as one target after another', async () => {
  const p = problem();
  const { x, y } = p.tensors();
  const seeds = { seed: 4, exampleIds: p.ids };
  for (const epsilon of [0.08, 0.15]) {
    const config = { epsilon, steps: 15, randomStart: true, targets: 4 };
    p.rows.gradient = 0;
    const oneByOne = await flagsAndPoints(await apgdTargeted(p.model, x, y, config, seeds, 1));
    const oneByOneRows = p.rows.gradient;
    p.rows.gradient = 0;
    const batched = await flagsAndPoints(await apgdTargeted(p.model, x, y, config, seeds));
    assert.deepEqual(batched.fooled, oneByOne.fooled, `ε ${epsilon}`);
    const fooled = share(oneByOne.fooled);
    assert.ok(fooled > 0 && fooled < 1, `ε ${epsilon} should fool some, not all: ${fooled}`);
    // Batched, an example's other targets leave with it, but targets that ran in vain before are now beside it.
    assert.ok(p.rows.gradient <= 4 * 16 * count, `${p.rows.gradient} rows (one by one: ${oneByOneRows})`);
  }
  tf.dispose([x, y]);
});

test('FAB on the host finds the norms of the tensor FAB, and FAB-T batched fools the examples of one target at a time', async () => {
  const p = problem();
  const { x, y } = p.tensors();
  const targets = Int32Array.from(p.labels, (label) => (label + 2) % 5);
  const host = await fabSingleTarget(p.model, x, y, targets, { epsilon: 0.15, steps: 30 });
  const targetTensor = tf.tensor1d(targets, 'int32');
  const reference = await tensorFab(p.model, x, y, targetTensor, { epsilon: 0.15, steps: 30 });
  assertClose(host.norm, reference.norm, 1e-5, 1e-4);
  assert.deepEqual(Array.from(await host.fooled.data()), Array.from(await reference.fooled.data()));
  tf.dispose([host.adversarial, host.fooled, reference.adversarial, reference.fooled, targetTensor]);
  const seeds = { seed: 0, exampleIds: p.ids };
  for (const epsilon of [0.08, 0.15]) {
    const config = { epsilon, steps: 20, targets: 4 };
    const oneByOne = await flagsAndPoints(await fabTargeted(p.model, x, y, config, seeds, 1));
    const batched = await flagsAndPoints(await fabTargeted(p.model, x, y, config, seeds));
    assert.deepEqual(batched.fooled, oneByOne.fooled, `ε ${epsilon}`);
    const fooled = share(oneByOne.fooled);
    assert.ok(fooled > 0 && fooled < 1, `ε ${epsilon} should fool some, not all: ${fooled}`);
  }
  tf.dispose([x, y]);
});
