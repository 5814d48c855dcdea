import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { renderVegaSvg } from '../../../../src/report/html/charts/render';
import { trainingCurvesSpec } from '../../../../src/report/html/charts/training-curves';
import { fixtureTrainLog } from '../fixture-folder';

test('a collapsed seed puts a red dashed rule at its epoch into every panel of its run', async () => {
  const spec = trainingCurvesSpec('run', [{ seed: 0, log: fixtureTrainLog(0, false) }, { seed: 1, log: fixtureTrainLog(1, true), collapsedAtEpoch: 3 }]);
  const svg = await renderVegaSvg(spec);
  assert.equal((svg.match(/class="mark-rule role-mark collapse-marker-[a-zA-Z]+"/g) ?? []).length, 3);
  assert.match(svg, />collapse: seed 1</);
  assert.match(svg, /catastrophic overfitting: seed 1 at epoch 3/);
  const calm = await renderVegaSvg(trainingCurvesSpec('run', [{ seed: 0, log: fixtureTrainLog(0, false) }]));
  assert.doesNotMatch(calm, /collapse-marker[^"]*"[^>]*>\s*<line/);
  assert.match(calm, /no collapse detected/);
});

test('with a within-epoch log, loss and adversarial accuracy are drawn per stretch and held-out robustness per epoch', async () => {
  const steps = Array.from({ length: 10 }, (_, i) => ({ at: (i + 1) / 10, loss: 2 - 0.1 * i, adversarialAccuracy: 0.05 * i, learningRate: 0.05, epsilon: 0.3 }));
  const spec = trainingCurvesSpec('run', [{ seed: 0, log: fixtureTrainLog(0, false).slice(0, 1), steps }]) as { data: Array<{ name: string; values: Array<{ panel: string; epoch: number }> }> };
  const points = spec.data.find((d) => d.name === 'points')!.values;
  const xs = (panel: string) => points.filter((p) => p.panel === panel).map((p) => p.epoch);
  assert.deepEqual(xs('loss'), steps.map((s) => s.at));
  assert.deepEqual(xs('adversarial'), steps.map((s) => s.at));
  assert.deepEqual(xs('heldOut'), [1]);
  const svg = await renderVegaSvg(spec);
  assert.match(svg, />epochs trained</);
  assert.match(svg, />0\.5</, 'fractions of an epoch on the axis of a one-epoch run');
});
