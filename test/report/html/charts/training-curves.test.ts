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
