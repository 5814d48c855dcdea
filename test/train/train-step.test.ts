import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { disposeNetwork } from '../../src/nn/network';
import { adversarialTrainStep, type StepOptions } from '../../src/train/train-step';
import { setupTestBackend } from '../helpers/backend';
import { smokeSetup } from '../helpers/smoke-setup';

before(setupTestBackend);

const options = (step: number, indices: ArrayLike<number>): StepOptions => ({
  learningRate: 0.05,
  attack: { epsilon: 0.1, stepSize: 0.125, steps: 1, randomStart: true },
  startSeeds: { seed: step, exampleIds: indices },
  labelSmoothing: 0,
});

test('a few hundred smoke PGD-1 training steps lower the training loss by at least 20 %', async () => {
  const { state, batchAt } = smokeSetup({ seed: 0 });
  const losses: number[] = [];
  for (let step = 0; step < 240; step++) {
    const { x, y, indices } = await batchAt('train', step * 32, 32);
    losses.push((await adversarialTrainStep(state, x, y, options(step, indices))).loss);
    tf.dispose([x, y]);
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const [first, last] = [mean(losses.slice(0, 24)), mean(losses.slice(-24))];
  assert.ok(last <= 0.8 * first, `loss went from ${first.toFixed(3)} to ${last.toFixed(3)}`);
  state.optimizer.dispose();
  disposeNetwork(state.net);
});

test('numTensors is unchanged across training steps after warm-up', async () => {
  const { state, batchAt } = smokeSetup({ seed: 1 });
  const { x, y, indices } = await batchAt('train', 0, 16);
  await adversarialTrainStep(state, x, y, options(0, indices)); // creates the optimizer's velocity slots once
  const before = tf.memory().numTensors;
  for (let step = 1; step <= 3; step++) await adversarialTrainStep(state, x, y, options(step, indices));
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, y]);
  state.optimizer.dispose();
  disposeNetwork(state.net);
});

test('a step changes the weights and moves the BN running averages off their start', async () => {
  const { state, batchAt } = smokeSetup({ seed: 2 });
  const { x, y, indices } = await batchAt('train', 0, 16);
  const weight = state.net.params[0].variable;
  const movingMean = state.net.batchNorms[0].movingMean;
  const weightBefore = weight.dataSync().slice();
  assert.ok(
    movingMean.dataSync().every((v) => v === 0),
    'running means start at 0',
  );
  await adversarialTrainStep(state, x, y, options(0, indices));
  const weightAfter = weight.dataSync();
  assert.ok(
    weightBefore.some((v, i) => v !== weightAfter[i]),
    'the first conv kernel did not change',
  );
  assert.ok(
    movingMean.dataSync().some((v) => v !== 0),
    'the first BN running mean did not move',
  );
  tf.dispose([x, y]);
  state.optimizer.dispose();
  disposeNetwork(state.net);
});
