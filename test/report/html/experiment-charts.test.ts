import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planCharts } from '../../../src/report/html/charts/experiment-charts';
import { renderVegaSvg } from '../../../src/report/html/charts/render';
import { ourScatterPoints } from '../../../src/report/html/charts/scatter';
import { trainingCurvesSpec } from '../../../src/report/html/charts/training-curves';
import { readResultsFolder } from '../../../src/report/html/results-folder';
import { KNOWN, fixtureTrainLog, writeFixtureFolder } from './fixture-folder';

test('with one seed the scatter bars are the CSV Wilson intervals; with several, ± the seed std', () => {
  const single = { run: 'silu', accuracy: '78.00', robustness: '46.00', accuracy_ci_low: '71.80', accuracy_ci_high: '83.20', robustness_ci_low: '36.60', robustness_ci_high: '55.70' };
  assert.deepEqual(ourScatterPoints([single]), [{ label: 'silu', accuracy: 78, robustness: 46, accuracyLow: 71.8, accuracyHigh: 83.2, robustnessLow: 36.6, robustnessHigh: 55.7 }]);
  const several = { run: 'relu', accuracy: '75.00', robustness: '42.00', accuracy_std: '0.50', robustness_std: '2.00', seeds: '3' };
  assert.deepEqual(ourScatterPoints([several])[0], { label: 'relu', accuracy: 75, robustness: 42, accuracyLow: 74.5, accuracyHigh: 75.5, robustnessLow: 40, robustnessHigh: 44 });
  assert.deepEqual(ourScatterPoints([{ run: 'x', accuracy: '', robustness: '1' }]), []);
});

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

test('charts are planned per experiment: Δ, scatter, a sweep chart only for a sweep_ column, curves per run', async () => {
  const presetDir = writeFixtureFolder();
  const [table1] = readResultsFolder(presetDir, KNOWN).experiments.filter((e) => e.id === 'table1');
  assert.deepEqual(planCharts(table1).map((p) => [p.id, p.file, p.collapsed ?? false]), [
    ['table1-delta', 'figures/table1-delta', false],
    ['table1-scatter', 'table1', false],
    ['table1-curves-relu-relu', 'figures/table1-curves-relu-relu', false],
    ['table1-curves-psoftplus-relu', 'figures/table1-curves-psoftplus-relu', true],
  ]);
  const swept = { ...table1, columns: [...table1.columns, 'sweep_alpha'], rows: table1.rows.map((r, i) => ({ ...r, sweep_alpha: String(5 + 5 * i) })) };
  const sweeps = planCharts(swept).filter((p) => p.section === 'sweep');
  assert.deepEqual(sweeps.map((p) => p.id), ['table1-sweep_alpha']);
  const svg = await renderVegaSvg(sweeps[0].spec);
  assert.match(svg, /sweep-points[\s\S]*<path/); // a point per swept row
});

test('seed folders are named by the run their manifest records, so run ids need not be folder names', () => {
  const presetDir = writeFixtureFolder();
  const from = path.join(presetDir, 'fig3', 'silu');
  const to = path.join(presetDir, 'fig3', 'silu_renamed');
  fs.renameSync(from, to);
  const fig3 = readResultsFolder(presetDir, KNOWN).experiments.find((e) => e.id === 'fig3')!;
  assert.deepEqual(fig3.seeds.map((s) => [s.run, s.seed, s.metrics !== undefined, s.trainLog?.length]), [['relu', 0, true, 3], ['silu', 0, true, 3]]);
});
