import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { planCharts } from '../../../../src/report/html/charts/experiment-charts';
import { renderVegaSvg } from '../../../../src/report/html/charts/render';
import { readResultsFolder } from '../../../../src/report/html/results-folder';
import { KNOWN, writeFixtureFolder } from '../fixture-folder';

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
