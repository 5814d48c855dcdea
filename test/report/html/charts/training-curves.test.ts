import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { renderVegaSvg } from '../../../../src/report/html/charts/render';
import { trainingCurvesSpec } from '../../../../src/report/html/charts/training-curves';
import { fixtureTrainLog } from '../fixture-folder';

test('a collapsed seed puts a red dashed rule at its epoch into every panel, named by run and seed', async () => {
  const spec = trainingCurvesSpec('experiment', [
    { run: 'relu', seeds: [{ seed: 0, log: fixtureTrainLog(0, false) }] },
    {
      run: 'silu',
      seeds: [
        { seed: 0, log: fixtureTrainLog(0, false) },
        { seed: 1, log: fixtureTrainLog(1, true), collapsedAtEpoch: 3 },
      ],
    },
  ]);
  const svg = await renderVegaSvg(spec);
  assert.equal((svg.match(/class="mark-rule role-mark collapse-marker-[a-zA-Z]+"/g) ?? []).length, 3);
  assert.match(svg, />collapse: silu seed 1</);
  assert.match(svg, /catastrophic overfitting: silu seed 1 at epoch 3/);
  const calm = await renderVegaSvg(
    trainingCurvesSpec('experiment', [{ run: 'relu', seeds: [{ seed: 0, log: fixtureTrainLog(0, false) }] }]),
  );
  assert.doesNotMatch(calm, /collapse-marker[^"]*"[^>]*>\s*<line/);
  assert.match(calm, /no collapse detected/);
});

test('with a within-epoch log, loss and adversarial accuracy are drawn per stretch and held-out robustness per epoch', async () => {
  const steps = Array.from({ length: 10 }, (_, i) => ({
    at: (i + 1) / 10,
    loss: 2 - 0.1 * i,
    adversarialAccuracy: 0.05 * i,
    learningRate: 0.05,
    epsilon: 0.3,
  }));
  const spec = trainingCurvesSpec('experiment', [
    { run: 'relu', seeds: [{ seed: 0, log: fixtureTrainLog(0, false).slice(0, 1), steps }] },
  ]) as { data: Array<{ name: string; values: Array<{ panel: string; epoch: number }> }> };
  const points = spec.data.find((d) => d.name === 'points')!.values;
  const xs = (panel: string) => points.filter((p) => p.panel === panel).map((p) => p.epoch);
  assert.deepEqual(
    xs('loss'),
    steps.map((s) => s.at),
  );
  assert.deepEqual(
    xs('adversarial'),
    steps.map((s) => s.at),
  );
  assert.deepEqual(xs('heldOut'), [1]);
  const svg = await renderVegaSvg(spec);
  assert.match(svg, />epochs trained</);
  assert.match(svg, />0\.5</, 'fractions of an epoch on the axis of a one-epoch run');
});

test('runs share each metric panel: a thick line per run, and with several seeds a thin line per seed under it', async () => {
  // relu: seeds 0 and 1 (loss 2.0, 1.5, 1.0 and 1.95, 1.45, 0.95: mean 1.975, 1.475, 0.975); silu: seed 0 only.
  const spec = trainingCurvesSpec('experiment', [
    {
      run: 'relu',
      seeds: [
        { seed: 0, log: fixtureTrainLog(0, false) },
        { seed: 1, log: fixtureTrainLog(1, false) },
      ],
    },
    { run: 'silu', seeds: [{ seed: 0, log: fixtureTrainLog(0, false) }] },
  ]);
  const svg = await renderVegaSvg(spec);
  const count = (name: string) => [...svg.matchAll(new RegExp(`class="mark-line role-mark ${name}"`, 'g'))].length;
  // Three panels (loss, adversarial accuracy, held-out): two run lines each, and relu's two seed lines each.
  assert.equal(count('run-line-loss') + count('run-line-adversarial') + count('run-line-heldOut'), 6);
  assert.equal(count('seed-line-loss') + count('seed-line-adversarial') + count('seed-line-heldOut'), 6);
  assert.match(svg, /thin lines: single seeds, thick: their mean/);
  // Epochs 1–3 over 200 px; the loss axis runs 0.9–2.0 (nice) over 170 px: relu's mean 1.975 sits (2.0 − 1.975) / 1.1 × 170 = 3.864 px
  // from the top, 1.475 at 81.136 and 0.975 at 158.409.
  assert.match(svg, /run-line-loss"[^>]*><path d="M0,3\.864L100,81\.136L200,158\.409"/);
});
