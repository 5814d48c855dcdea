import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { pairedDifferenceInterval } from '../../../src/eval/statistics';
import { deltaPoints, ourDelta } from '../../../src/report/html/deltas';
import { readResultsFolder } from '../../../src/experiment/store/results-folder';
import { fixtureMetrics, KNOWN, sweptExperiment, writeFixtureFolder } from './fixture-folder';

const close = (actual: number | undefined, expected: number, tolerance = 1e-9) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `${actual} vs ${expected}`);

test('with several seeds our Δ is the mean of the per-seed deltas ± their sample standard deviation', () => {
  // Robustness 40, 41, 42 % (baseline) and 41, 43, 45 % (run): per-seed deltas 1, 2, 3 pts, mean 2, std √(2/2) = 1.
  const baseline = [0, 1, 2].map((seed) => fixtureMetrics('table1', 'relu-relu', seed, 150, 40 + seed));
  const run = [0, 1, 2].map((seed) => fixtureMetrics('table1', 'psoftplus-relu', seed, 150, 41 + 2 * seed));
  const delta = ourDelta(run, baseline, 'robustness')!;
  assert.equal(delta.interval, 'seed-std');
  assert.equal(delta.pairs, 3);
  close(delta.delta, 2);
  close(delta.low, 1);
  close(delta.high, 3);
});

test('deltas pair seeds: a seed the baseline lacks is left out', () => {
  const baseline = [0, 1].map((seed) => fixtureMetrics('table1', 'relu-relu', seed, 150, 40));
  const run = [0, 1, 2].map((seed) =>
    fixtureMetrics('table1', 'psoftplus-relu', seed, 150, 44 + 50 * Math.floor(seed / 2)),
  );
  const delta = ourDelta(run, baseline, 'robustness')!;
  assert.equal(delta.pairs, 2);
  close(delta.delta, 4); // seed 2's 94 % would have pulled the mean far up
  close(delta.low, 4);
  assert.equal(ourDelta(run, [], 'robustness'), undefined);
});

test('with one seed our Δ carries the paired Wilson interval of the same examples, in points', () => {
  // Robust on the first 40 vs the first 46 of 100 examples: 6 discordant pairs, all for the run.
  const [base, run] = [fixtureMetrics('fig3', 'relu', 0, 150, 40), fixtureMetrics('fig3', 'silu', 0, 156, 46)];
  const delta = ourDelta([run], [base], 'robustness')!;
  const expected = pairedDifferenceInterval(
    Array.from({ length: 100 }, (_, i) => (i < 46 ? 1 : 0)),
    Array.from({ length: 100 }, (_, i) => (i < 40 ? 1 : 0)),
  );
  assert.equal(delta.interval, 'paired-wilson');
  close(delta.delta, 6, 1e-6);
  close(delta.low, 100 * expected.low, 1e-9);
  close(delta.high, 100 * expected.high, 1e-9);
  assert.ok(delta.low! > 0 && delta.low! < 6 && delta.high! > 6, `${delta.low}, ${delta.high}`);
  // Accuracy is over the 200 clean examples: 156 vs 150 correct, a 3-point Δ.
  close(ourDelta([run], [base], 'accuracy')!.delta, 3, 1e-6);
});

test("the Δ chart's points: ours and the paper's for every non-baseline run, the paper's from its own baseline row", () => {
  const folder = readResultsFolder(writeFixtureFolder(), KNOWN, ['table1', 'fig3']);
  assert.deepEqual(
    folder.experiments.map((e) => [e.id, e.baseline]),
    [
      ['table1', 'relu-relu'],
      ['fig3', 'relu'],
    ],
  );
  const points = deltaPoints(folder.experiments[0]);
  assert.deepEqual(
    points.map((p) => `${p.run} ${p.metric} ${p.source}`),
    [
      'psoftplus-relu accuracy ours',
      'psoftplus-relu accuracy paper',
      'psoftplus-relu robustness ours',
      'psoftplus-relu robustness paper',
    ],
  );
  // Paper, Table 1: 34.5 − 33.0 = +1.5 robustness and 68.3 − 68.8 = −0.5 accuracy.
  close(points[3].delta, 1.5, 1e-9);
  close(points[1].delta, -0.5, 1e-9);
  close(points[2].delta, 2); // fixture: per-seed deltas 1, 2, 3
});

test("in a sweep each run's Δ is against the baseline at its own sweep point, and no baseline gets a point", () => {
  const experiment = sweptExperiment();
  assert.equal(experiment.baseline, 'relu-relu');
  const ours = deltaPoints(experiment).filter((p) => p.source === 'ours' && p.metric === 'robustness');
  assert.deepEqual(
    ours.map((p) => p.run),
    ['psoftplus-relu@epsilon=0.1', 'psoftplus-relu@epsilon=0.2'],
  );
  close(ours[0].delta, 6, 1e-6); // 46 − 40
  close(ours[1].delta, 10, 1e-6); // 30 − 20, not 30 − 40
});
