import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { ModelOracle } from '../../src/attack/oracle';
import { ATTACK_NAMES, ATTACKS } from '../../src/attack/registry';
import { setupTestBackend } from '../helpers/backend';
import { linearProblem } from './linear-oracle';

before(setupTestBackend);

const settings = {
  epsilon: 0.05,
  steps: 12,
  stepSize: 0.01,
  restarts: 1,
  randomStart: true,
  loss: 'crossEntropy' as const,
  targets: 1,
};

for (const name of ATTACK_NAMES) {
  test(`${name}: the tensor count is flat across iterations, and only the two results outlive the attack`, async () => {
    // ε small enough that few examples are fooled early, so every iteration runs on the same batch.
    const problem = linearProblem({ dims: 16, count: 16, seed: 9 });
    const { x, y } = problem.tensors();
    const gradientCalls: number[] = [];
    const logitCalls: number[] = [];
    const counting: ModelOracle = {
      gradient: (a, b, loss) => (gradientCalls.push(tf.memory().numTensors), problem.model.gradient(a, b, loss)),
      logits: (a) => (logitCalls.push(tf.memory().numTensors), problem.model.logits(a)),
    };
    const before = tf.memory().numTensors;
    const result = await ATTACKS[name].run(
      counting,
      x,
      y,
      { ...settings, steps: name === 'square' ? 40 : settings.steps },
      { seed: 4, exampleIds: problem.ids },
    );
    assert.equal(tf.memory().numTensors, before + 2);
    // The first calls set up state (best point, momentum); from the third on nothing may accumulate.
    const calls = gradientCalls.length > 0 ? gradientCalls : logitCalls;
    assert.ok(calls.length > 8, `${calls.length} oracle calls`);
    assert.equal(new Set(calls.slice(2)).size, 1, `tensor counts at each oracle call: ${calls.join(' ')}`);
    tf.dispose([x, y, result.adversarial, result.fooled]);
  });
}
