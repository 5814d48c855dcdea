import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import table1 from '../../../configs/table1';
import { experimentCsv } from '../../../src/report/csv';
import { ourScatterPoints } from '../../../src/report/html/charts/scatter';
import { markdownTable } from '../../../src/report/markdown';
import { formatResultsTable, resultsTable } from '../../../src/report/table';
import { fixtureMetrics } from '../../report/html/fixture-folder';

test('the CSV, the markdown table, the terminal table and the plots give the same (sample, n − 1) standard deviation', () => {
  // Robustness 40, 42, 44 % over seeds 0–2: mean 42, sample std √((4 + 0 + 4)/2) = 2.00 (the population std would be 1.63).
  const finished = new Map([
    ['relu-relu', [0, 1, 2].map((seed) => fixtureMetrics('table1', 'relu-relu', seed, 150, 40 + 2 * seed))],
  ]);
  const csvRow = (parse(experimentCsv(table1, finished), { columns: true }) as Array<Record<string, string>>)[0];
  assert.equal(csvRow.robustness_std, '2.00');
  const table = resultsTable(experimentCsv(table1, finished), { baseline: 'relu-relu', paper: true });
  assert.equal(table.groups[0].rows[0][2], '42.00 ± 2.00'); // the PGD-5 cell of the terminal and the .md
  assert.match(formatResultsTable(table), / 42\.00 ± 2\.00 /);
  assert.match(markdownTable(table.header, table.groups[0].rows), /\| 42\.00 ± 2\.00 \|/);
  const [point] = ourScatterPoints([csvRow]);
  assert.deepEqual([point.robustnessLow, point.robustnessHigh], [40, 44]);
});
