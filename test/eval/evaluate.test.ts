import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { evaluateModel } from '../../src/eval/evaluate';
import { disposeNetwork } from '../../src/nn/network';
import { trainModel } from '../../src/train/trainer';
import { NO_PROGRESS } from '../../src/util/progress';
import { setupTestBackend } from '../helpers/backend';
import { RELU_PLAN, smokeSetup } from '../helpers/smoke-setup';
import { PRESETS } from '../../configs/presets';

before(setupTestBackend);

test('on a trained smoke model PGD-10 accuracy is below clean accuracy, and clean accuracy beats chance', async () => {
  const { dataset, state } = smokeSetup({ seed: 0 });
  const context = { runId: 'relu', epsilon: 0.1, seed: 0, progress: NO_PROGRESS };
  await trainModel(state, dataset, { ...PRESETS.smoke.train, epochs: 3, batchSize: 32 }, { ...context, maxSteps: 0 });
  const result = await evaluateModel(state.net, RELU_PLAN, dataset, { examples: 128, batchSize: 64, steps: 10, stepSize: 0.025, randomStart: true }, context);
  assert.ok(result.accuracy > 0.3, `clean accuracy ${result.accuracy}`);
  assert.ok(result.robustness < result.accuracy, `robustness ${result.robustness} vs accuracy ${result.accuracy}`);
  assert.equal(result.robustCorrect.length, 128);
  // An example counted robust is also clean-correct.
  assert.ok(result.robustCorrect.every((r, i) => r === 0 || result.cleanCorrect[i] === 1));
  state.optimizer.dispose();
  disposeNetwork(state.net);
});
