import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { disposeNetwork } from '../../src/nn/network';
import { trainModel, type TrainPosition } from '../../src/train/trainer';
import { revivePosition } from '../../src/train/train-position';
import { NO_PROGRESS } from '../../src/util/progress';
import { setupTestBackend } from '../helpers/backend';
import { smokeSetup } from '../helpers/smoke-setup';
import { PRESETS } from '../../configs/presets';

before(setupTestBackend);

// 2 epochs of 16 steps (512 examples, batch 32): stretches of 2 steps, 8 per epoch.
const TRAIN = {
  ...PRESETS.smoke.train,
  epochs: 2,
  batchSize: 32,
  attack: { ...PRESETS.smoke.train.attack, epsilonRampEpochs: 1 },
};
const CONTEXT = { runId: 'relu', epsilon: 0.1, seed: 0, progress: NO_PROGRESS, maxSteps: 0 };
const setups: Array<ReturnType<typeof smokeSetup>> = [];
const newSetup = () => {
  setups.push(smokeSetup({ seed: 0, trainSize: 512 }));
  return setups[setups.length - 1];
};
after(() =>
  setups.forEach(({ state }) => {
    state.optimizer.dispose();
    disposeNetwork(state.net);
  }),
);

let uninterrupted: Promise<TrainPosition> | undefined;
const trainOnce = () =>
  (uninterrupted ??= (async () => {
    const { state, dataset } = newSetup();
    return (await trainModel(state, dataset, TRAIN, CONTEXT)).position;
  })());

test('the within-epoch log has a stretch every tenth of an epoch (rounded up to whole steps), consistent with the epoch log', async () => {
  const position = await trainOnce();
  assert.deepEqual(
    position.segments.map((s) => s.at),
    Array.from({ length: 16 }, (_, i) => (2 * (i + 1)) / 16),
  );
  for (const epoch of [0, 1]) {
    // Equal stretches: their mean is the epoch's mean.
    const stretches = position.segments.slice(8 * epoch, 8 * epoch + 8);
    const log = position.epochs[epoch];
    assert.ok(Math.abs(stretches.reduce((sum, s) => sum + s.loss, 0) / 8 - log.loss) < 1e-9, `epoch ${epoch + 1} loss`);
    assert.ok(
      Math.abs(stretches.reduce((sum, s) => sum + s.adversarialAccuracy, 0) / 8 - log.adversarialAccuracy) < 1e-12,
      `epoch ${epoch + 1} accuracy`,
    );
    assert.equal(stretches[7].learningRate, log.learningRate, 'the last stretch ends where the epoch does');
  }
});

test('a run stopped mid-stretch and resumed from its saved position logs the same stretches as one that never stopped', async () => {
  const { state, dataset } = newSetup();
  let steps = 0;
  const first = await trainModel(state, dataset, TRAIN, {
    ...CONTEXT,
    hooks: { afterStep: (n) => (steps = n), shouldStop: () => steps === 5 },
  });
  assert.equal(first.interrupted, true);
  assert.equal(first.position.segments.length, 2, 'two whole stretches before step 5');
  const saved = revivePosition(JSON.parse(JSON.stringify(first.position)) as TrainPosition);
  const resumed = await trainModel(state, dataset, TRAIN, CONTEXT, saved);
  assert.deepEqual(resumed.position.segments, (await trainOnce()).segments);
});
