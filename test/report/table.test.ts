import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import table1 from '../../configs/table1';
import { experimentCsv } from '../../src/report/csv';
import { markdownReport } from '../../src/report/markdown';
import { baselineForRunId } from '../../src/report/sweep-cells';
import { formatResultsTable, resultsTable } from '../../src/report/table';
import { fixtureMetrics, sweptFiles } from './html/fixture-folder';

// One seed each. fixtureMetrics(clean of 200, robust of 100): relu-relu robustness 40 %, psoftplus-relu 46 %,
// worst case 3 points below each (37 %, 43 %); Δ = 46 − 40 = +6.00. The paper: 34.50 − 33.00 = +1.50.
const oneSeed = () =>
  new Map([
    ['relu-relu', [fixtureMetrics('table1', 'relu-relu', 0, 150, 40)]],
    ['psoftplus-relu', [fixtureMetrics('table1', 'psoftplus-relu', 0, 150, 46)]],
  ]);

test("the results table names the PGD column with the preset's step count and gives Δ with its McNemar p", () => {
  const table = resultsTable(experimentCsv(table1, oneSeed()), { baseline: 'relu-relu', paper: false });
  assert.deepEqual(table.header, ['run', 'accuracy', 'PGD-5', 'worst', 'Δ PGD-5', 'p (McNemar)', 'sanity', 'status']);
  const [relu, psoftplus] = table.groups[0].rows;
  assert.deepEqual(relu, ['relu-relu', '75.00', '40.00', '37.00', 'baseline', '', 'pgd-gap', 'ok']);
  assert.deepEqual(psoftplus.slice(0, 5), ['psoftplus-relu', '75.00', '46.00', '43.00', '+6.00']);
  assert.match(psoftplus[5], /^[01]\.\d+$/, "the CSV's robustness_delta_p");
});

test("the .md keeps the paper's robustness and its Δ against the same baseline as a reference", () => {
  const table = resultsTable(experimentCsv(table1, oneSeed()), { baseline: 'relu-relu', paper: true });
  const text = markdownReport({ title: 'Table 1', setting: 'Preset `fixture`.' }, table);
  assert.match(
    text,
    /\| run \| accuracy \| PGD-5 \| worst \| Δ PGD-5 \| p \(McNemar\) \| paper PGD-200 \| paper Δ \| sanity \| status \|/,
  );
  assert.match(
    text,
    /\| psoftplus-relu \| 75\.00 \| 46\.00 \| 43\.00 \| \+6\.00 \| [\d.]+ \| 34\.50 \| \+1\.50 \| pgd-gap \| ok \|/,
  );
});

test('with several seeds the cells carry ± the sample std and p is the paired t-test', () => {
  // relu-relu 40, 42, 44 (std 2.00); psoftplus-relu 46, 47, 51: per-seed Δ 6, 5, 7.
  const finished = new Map([
    ['relu-relu', [0, 1, 2].map((seed) => fixtureMetrics('table1', 'relu-relu', seed, 150, 40 + 2 * seed))],
    [
      'psoftplus-relu',
      [46, 47, 51].map((robust, seed) => fixtureMetrics('table1', 'psoftplus-relu', seed, 150, robust)),
    ],
  ]);
  const table = resultsTable(experimentCsv(table1, finished), { baseline: 'relu-relu', paper: false });
  assert.ok(table.header.includes('p (paired t)') && table.header.includes('seeds'), table.header.join(', '));
  assert.equal(table.groups[0].rows[0][2], '42.00 ± 2.00');
  assert.equal(table.groups[0].rows[1][4], '+6.00');
  assert.match(formatResultsTable(table), /paired t-test on the per-seed deltas/);
});

test('where the seed sets differ, Δ says over how many pairs it was taken', () => {
  // Baseline seeds 0, 1 at 40, 42 %; the run's seeds 0, 1, 2 at 44, 45, 94 %: paired deltas 4 and 3, Δ +3.50.
  const finished = new Map([
    ['relu-relu', [0, 1].map((seed) => fixtureMetrics('table1', 'relu-relu', seed, 150, 40 + 2 * seed))],
    [
      'psoftplus-relu',
      [44, 45, 94].map((robust, seed) => fixtureMetrics('table1', 'psoftplus-relu', seed, 150, robust)),
    ],
  ]);
  const table = resultsTable(experimentCsv(table1, finished), { baseline: 'relu-relu', paper: false });
  assert.deepEqual(
    table.groups[0].rows.map((row) => row[4]),
    ['baseline', '+3.50 (2 pairs)'],
  );
  assert.match(formatResultsTable(table), /\(n pairs\): Δ and p over the n seeds both runs finished/);
  // Same seeds on both sides: no count.
  const same = new Map([
    ['relu-relu', [0, 1].map((seed) => fixtureMetrics('table1', 'relu-relu', seed, 150, 40))],
    ['psoftplus-relu', [0, 1].map((seed) => fixtureMetrics('table1', 'psoftplus-relu', seed, 150, 44))],
  ]);
  const plain = resultsTable(experimentCsv(table1, same), { baseline: 'relu-relu', paper: false });
  assert.equal(plain.groups[0].rows[1][4], '+4.00');
  assert.doesNotMatch(formatResultsTable(plain), /pairs/);
});

test('a swept run is measured against the baseline at its own sweep point', () => {
  assert.equal(baselineForRunId('psoftplus-relu@epsilon=0.1', 'relu-relu'), 'relu-relu@epsilon=0.1');
  assert.equal(baselineForRunId('psoftplus-relu', 'relu-relu'), 'relu-relu');
});

test("in a sweep's table every sweep point's baseline row says baseline, as without a sweep", () => {
  const table = resultsTable(sweptFiles().csvText, { baseline: 'relu-relu', paper: true });
  // Δ PGD-5 and paper Δ at each point: ε = 0.1 then ε = 0.2.
  assert.deepEqual(
    table.groups.map((g) => [g.heading, g.rows.map((row) => [row[0], row[4], row[7]])]),
    [
      [
        'epsilon = 0.1',
        [
          ['relu-relu@epsilon=0.1', 'baseline', ''],
          ['psoftplus-relu@epsilon=0.1', '+6.00', '+1.50'],
        ],
      ],
      [
        'epsilon = 0.2',
        [
          ['relu-relu@epsilon=0.2', 'baseline', ''],
          ['psoftplus-relu@epsilon=0.2', '+10.00', '+1.50'],
        ],
      ],
    ],
  );
  assert.doesNotMatch(markdownReport({ title: 'ε', setting: '' }, table), /[+-]0\.00/);
});
