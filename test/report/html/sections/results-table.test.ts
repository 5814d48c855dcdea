import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readResultsFolder } from '../../../../src/experiment/store/results-folder';
import { resultsTable, sanityNotes } from '../../../../src/report/html/sections/results-table';
import table1Config from '../../../../configs/table1';
import { experimentCsv } from '../../../../src/report/csv';
import { experimentResults } from '../../../../src/report/html/results-folder';
import { fixtureMetrics, KNOWN, sweptExperiment, writeFixtureFolder } from '../fixture-folder';

const experiments = () => readResultsFolder(writeFixtureFolder(), KNOWN, ['table1', 'fig3']).experiments;

test('the table shows ± seed std with several seeds, Wilson brackets with one, and deltas with their p-values', () => {
  const [table1, fig3] = experiments();
  const several = resultsTable(table1);
  // psoftplus-relu robustness 41, 43, 45 %: mean 43.00 ± 2.00; Δ +2.00 with the paired t-test's p 0.074 (CSV 0.07418).
  assert.match(several, /43\.00 <span class="spread">± 2\.00<\/span>/);
  assert.match(several, /\+2\.00 <span class="spread" title="paired t-test over seeds">p 0\.074<\/span>/);
  assert.match(
    several,
    /<td>34\.50 <span class="spread" title="the paper&#39;s Δ against its relu-relu">\+1\.5<\/span><\/td>/,
  ); // the paper's Δ robustness, 34.5 − 33.0
  const one = resultsTable(fig3);
  assert.match(one, /46\.00 <span class="spread">\[36\.6, 55\.7\]<\/span>/);
  assert.match(one, /McNemar/);
});

test('the collapsed run is marked in its row and sanity cells are explained in words', () => {
  const [table1] = experiments();
  assert.match(
    resultsTable(table1),
    /<tr data-run="psoftplus-relu" data-collapsed="true">.*collapsed \(seed 1, epoch 3\)/,
  );
  assert.match(
    resultsTable(table1),
    /<abbr class="warn" title="the rest of the suite must not break &gt; 2 pts more examples than the preset&#39;s PGD \(the robustness column\)">pgd-gap<\/abbr>/,
  );
  assert.match(sanityNotes(table1), /psoftplus-relu seed 1: the suite breaks 3\.00 pts/);
});

test("a run whose training was cut gets its own badge, beside a failed seed's, and chance accuracy is explained", () => {
  const [table1] = experiments();
  const columns = [...table1.columns, 'status'];
  const statuses = [
    'ok; training cut at step 2 of 64 (--max-steps 2)',
    'ok; training cut at step 2 of 64 (--max-steps 2); seed 2: collapsed at epoch 1',
  ];
  const rows = table1.rows.map((r, i) => ({
    ...r,
    status: statuses[i] ?? 'ok',
    sanity: i === 0 ? 'chance-accuracy' : r.sanity,
  }));
  const html = resultsTable({ ...table1, columns, rows });
  assert.equal(
    (
      html.match(
        /<span class="badge cut" title="ok; training cut at step 2 of 64 \(--max-steps 2\)[^"]*">training cut<\/span>/g,
      ) ?? []
    ).length,
    2,
  );
  assert.equal((html.match(/>some seeds failed<\/span>/g) ?? []).length, 1, 'a cut alone is not a failure');
  assert.match(
    html,
    /<abbr class="warn" title="clean accuracy at most 1\.5× chance: the model did not learn[^"]*">chance-accuracy<\/abbr>/,
  );
  assert.doesNotMatch(html, /README/);
});

test('a column the table does not know (added by a later version) is shown as it is, and cells are escaped', () => {
  const [table1] = experiments();
  const extended = {
    ...table1,
    columns: [...table1.columns, 'robustness_cw'],
    rows: table1.rows.map((r) => ({ ...r, robustness_cw: '<b>39.50</b>' })),
  };
  const html = resultsTable(extended);
  assert.match(html, /<th rowspan="2">robustness_cw<\/th>/);
  assert.match(html, /&lt;b&gt;39\.50&lt;\/b&gt;/);
  assert.match(html, /^<div class="table-scroll"><table/); // a wide table scrolls in its box; the page keeps its width
});

test('AutoAttack gets its own column when a row has it, the worst case says its gap to PGD, and a failed status is a badge', () => {
  const [table1] = experiments();
  const columns = [
    ...table1.columns,
    'eval_step_size_factor',
    'eval_step_size',
    'robustness_aa',
    'worst_minus_pgd',
    'status',
  ];
  const rows = table1.rows.map((r, i) => ({
    ...r,
    eval_step_size_factor: '0.0125',
    eval_step_size: '0.003750',
    robustness_aa: i === 0 ? '12.50' : '',
    worst_minus_pgd: '23.00',
    status: i === 1 ? 'ok; seed 2: collapsed at epoch 1' : 'ok',
  }));
  const html = resultsTable({ ...table1, columns, rows });
  assert.match(html, /<th rowspan="2">worst case<\/th><th rowspan="2" class="autoattack">AutoAttack<\/th>/);
  assert.match(html, /<td class="autoattack"><span title="[\d.]+ pts below PGD-\d+">12\.50<\/span><\/td>/);
  assert.match(html, /title="23\.00 pts below PGD-\d+: what the rest of the suite broke"/);
  assert.match(html, /<span class="badge failed" title="ok; seed 2: collapsed at epoch 1">some seeds failed<\/span>/);
  assert.equal((html.match(/badge failed/g) ?? []).length, 1);
  // Shown elsewhere (setting line, hover, their own cells): never as raw extra columns.
  assert.doesNotMatch(
    html,
    /<th[^>]*>(eval_step_size_factor|eval_step_size|robustness_aa|worst_minus_pgd|status)<\/th>/,
  );
});

test('without paper numbers the table has no paper columns; with them, each paper number carries its Δ', () => {
  const [table1] = experiments();
  const own = { ...table1, rows: table1.rows.map((r) => ({ ...r, paper_accuracy: '', paper_robustness: '' })) };
  assert.doesNotMatch(resultsTable(own), /<th[^>]*>paper|the paper&#39;s Δ/);
  assert.equal((resultsTable(table1).match(/<th>paper \(Δ\)<\/th>/g) ?? []).length, 2);
  // Group headers name the attack with its steps (the fixture's eval_steps is 5).
  assert.match(resultsTable(table1), /<th colspan="3" class="group">robustness under PGD-5 \(%\)<\/th>/);
});

test('where the seed sets differ, the Δ cell says over how many pairs it was taken', () => {
  // Baseline seeds 0, 1 at 40, 42 %; the run's seeds 0, 1, 2 at 44, 45, 94 %: paired deltas 4 and 3, Δ +3.50.
  const finished = new Map([
    ['relu-relu', [0, 1].map((seed) => fixtureMetrics('table1', 'relu-relu', seed, 150, 40 + 2 * seed))],
    [
      'psoftplus-relu',
      [44, 45, 94].map((robust, seed) => fixtureMetrics('table1', 'psoftplus-relu', seed, 150, robust)),
    ],
  ]);
  const experiment = experimentResults(
    { id: 'table1', csvText: experimentCsv(table1Config, finished), seeds: [] },
    KNOWN,
  )!;
  const html = resultsTable(experiment);
  assert.match(html, /\+3\.50 <span class="spread" title="paired t-test over seeds">p 0\.090<\/span>/);
  assert.match(html, /<span class="spread" title="[^"]*the 2 seeds both runs finished[^"]*">2 pairs<\/span>/);
  assert.doesNotMatch(html, />delta_pairs</, 'the count is not shown as a column of its own');
});

test("in a sweep's table every sweep point's baseline row says baseline, and Δ is against its own point's", () => {
  const html = resultsTable(sweptExperiment());
  const robustnessDelta = (run: string) => {
    const row = new RegExp(`<tr data-run="${run.replace(/[.]/g, '\\.')}">(.*?)</tr>`).exec(html)?.[1] ?? '';
    return [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1])[5]; // run, 3 accuracy cells, ours, Δ
  };
  assert.deepEqual(
    ['relu-relu@epsilon=0.1', 'psoftplus-relu@epsilon=0.1', 'relu-relu@epsilon=0.2', 'psoftplus-relu@epsilon=0.2'].map(
      robustnessDelta,
    ),
    [
      '<span class="muted">baseline</span>',
      `+6.00 <span class="spread" title="McNemar's test on the same examples">p 0.031</span>`,
      '<span class="muted">baseline</span>',
      `+10.00 <span class="spread" title="McNemar's test on the same examples">p 0.0020</span>`,
    ],
  );
});
