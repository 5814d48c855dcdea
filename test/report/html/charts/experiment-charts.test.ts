import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { planCharts } from '../../../../src/report/html/charts/experiment-charts';
import { renderVegaSvg } from '../../../../src/report/html/charts/render';
import { readResultsFolder } from '../../../../src/experiment/store/results-folder';
import { KNOWN, writeFixtureFolder } from '../fixture-folder';
import { sweepSeries } from '../../../../src/report/sweep-cells';

test('charts are planned per experiment: Δ, scatter, a sweep chart only for a sweep_ column, one chart of training curves', async () => {
  const presetDir = writeFixtureFolder();
  const [table1] = readResultsFolder(presetDir, KNOWN).experiments.filter((e) => e.id === 'table1');
  assert.deepEqual(
    planCharts(table1).map((p) => [p.id, p.file, p.collapsed ?? false]),
    [
      ['table1-delta', 'figures/table1-delta', false],
      ['table1-scatter', 'table1', false],
      ['table1-curves', 'figures/table1-curves', true],
    ],
  );
  const swept = {
    ...table1,
    columns: [...table1.columns, 'sweep_alpha'],
    rows: table1.rows.map((r, i) => ({ ...r, sweep_alpha: String(5 + 5 * i) })),
  };
  const sweeps = planCharts(swept).filter((p) => p.section === 'sweep');
  assert.deepEqual(
    sweeps.map((p) => p.id),
    ['table1-sweep_alpha'],
  );
  const svg = await renderVegaSvg(sweeps[0].spec);
  assert.match(svg, /sweep-points[\s\S]*<path/); // a point per swept row
});

test('a sweep chart draws one line per run across the swept values, whatever the other swept keys', async () => {
  assert.equal(sweepSeries('relu-relu@epsilon=0.1', 'epsilon'), 'relu-relu');
  assert.equal(sweepSeries('relu-relu@epsilon=0.1@train.epochs=2', 'epsilon'), 'relu-relu@train.epochs=2');
  assert.equal(sweepSeries('relu-relu@epsilon=0.1@train.epochs=2', 'train.epochs'), 'relu-relu@epsilon=0.1');
  const presetDir = writeFixtureFolder();
  const [table1] = readResultsFolder(presetDir, KNOWN).experiments.filter((e) => e.id === 'table1');
  // Each fixture row at two ε, as a sweep writes them: `<run>@epsilon=<value>`.
  const rows = [0.1, 0.2].flatMap((epsilon) =>
    table1.rows.map((r) => ({ ...r, run: `${r.run}@epsilon=${epsilon}`, sweep_epsilon: String(epsilon) })),
  );
  const [sweep] = planCharts({ ...table1, columns: [...table1.columns, 'sweep_epsilon'], rows }).filter(
    (p) => p.section === 'sweep',
  );
  const values = (sweep.spec as { data: { values: { series: string }[] }[] }).data[0].values;
  assert.deepEqual([...new Set(values.map((v) => v.series))].sort(), table1.rows.map((r) => r.run).sort());
  const svg = await renderVegaSvg(sweep.spec);
  // One line per run, each through both of its points (a path with a move and one line segment).
  const lines = [...svg.matchAll(/class="mark-line role-mark sweep-line"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => m[1]);
  assert.equal(lines.length, table1.rows.length);
  for (const line of lines) assert.match(line, /d="M[^"]*L[^"]*"/);
  assert.doesNotMatch(svg, /sweep-aa/, 'no AutoAttack marks without robustness_aa');
});

test('a sweep chart adds AutoAttack as rings on a dashed line per run where the CSV has robustness_aa', async () => {
  const presetDir = writeFixtureFolder();
  const [table1] = readResultsFolder(presetDir, KNOWN).experiments.filter((e) => e.id === 'table1');
  // AutoAttack at all three ε for every run but the first, which has it at ε = 0.3 only.
  const rows = [0.1, 0.2, 0.3].flatMap((epsilon) =>
    table1.rows.map((r, i) => ({
      ...r,
      run: `${r.run}@epsilon=${epsilon}`,
      sweep_epsilon: String(epsilon),
      ...(i > 0 || epsilon === 0.3 ? { robustness_aa: String(10 * i + 100 * epsilon) } : {}),
    })),
  );
  const [sweep] = planCharts({
    ...table1,
    columns: [...table1.columns, 'sweep_epsilon', 'robustness_aa'],
    rows,
  }).filter((p) => p.section === 'sweep');
  const svg = await renderVegaSvg(sweep.spec);
  const group = (name: string) =>
    svg.match(new RegExp(`class="mark-[a-z]+ role-mark ${name}"[^>]*>([\\s\\S]*?)</g>`))?.[1] ?? '';
  assert.equal([...group('sweep-aa-rings').matchAll(/<path/g)].length, 3 * table1.rows.length - 2, 'a ring per value');
  const dashed = [...svg.matchAll(/class="mark-line role-mark sweep-aa-line"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => m[1]);
  assert.equal(dashed.length, table1.rows.length, 'one dashed line per run');
  for (const line of dashed) assert.match(line, /stroke-dasharray/);
  assert.match(svg, /robustness under PGD-\d+ or AutoAttack/);
});
