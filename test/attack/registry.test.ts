import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ATTACK_NAMES, ATTACKS } from '../../src/attack/registry';
import { setupTestBackend } from '../helpers/backend';
import { linearProblem } from './linear-oracle';

before(setupTestBackend);

const settings = {
  epsilon: 0.1,
  steps: 6,
  stepSize: 0.03,
  restarts: 2,
  randomStart: true,
  loss: 'crossEntropy' as const,
  targets: 2,
};

for (const name of ATTACK_NAMES) {
  test(`${name}: stays in the ε-ball and [0, 1], repeats itself for the same seed, and ε = 0 changes nothing`, async () => {
    const problem = linearProblem({ dims: 8, count: 8, seed: 5 });
    const { x, y } = problem.tensors();
    const seeds = { seed: 6, exampleIds: problem.ids };
    const first = await ATTACKS[name].run(problem.model, x, y, settings, seeds);
    const second = await ATTACKS[name].run(problem.model, x, y, settings, seeds);
    const [a, c] = [first.adversarial.dataSync(), x.dataSync()];
    for (let i = 0; i < a.length; i++)
      assert.ok(Math.abs(a[i] - c[i]) <= settings.epsilon + 1e-6 && a[i] >= 0 && a[i] <= 1, `pixel ${i}`);
    assert.deepEqual(first.adversarial.dataSync(), second.adversarial.dataSync());
    assert.deepEqual(first.fooled.dataSync(), second.fooled.dataSync());
    const still = await ATTACKS[name].run(problem.model, x, y, { ...settings, epsilon: 0 }, seeds);
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

  test(`${name}: costs at most its declared oracle calls (a forward pass alone counts 1/3)`, async () => {
    let calls = 0;
    const problem = linearProblem({ dims: 8, count: 2, seed: 5 });
    const counting: typeof problem.model = {
      gradient: (x, y, loss) => ((calls += 1), problem.model.gradient(x, y, loss)),
      logits: (x) => ((calls += 1 / 3), problem.model.logits(x)),
    };
    const { x, y } = problem.tensors();
    // An upper bound: examples leave once fooled (and targeted runs stop at the first target that fools them).
    const result = await ATTACKS[name].run(counting, x, y, settings, { seed: 1, exampleIds: problem.ids });
    assert.ok(
      calls <= ATTACKS[name].oracleCalls(settings) + 1e-9 && calls > 0,
      `${calls} calls, declared ${ATTACKS[name].oracleCalls(settings)}`,
    );
    tf.dispose([x, y, result.adversarial, result.fooled]);
  });
}
