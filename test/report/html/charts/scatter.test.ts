import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { renderVegaSvg } from '../../../../src/report/html/charts/render';
import { ourScatterPoints, scatterSpec } from '../../../../src/report/html/charts/scatter';

test('with one seed the scatter bars are the CSV Wilson intervals; with several, ± the seed std', () => {
  const single = {
    run: 'silu',
    accuracy: '78.00',
    robustness: '46.00',
    accuracy_ci_low: '71.80',
    accuracy_ci_high: '83.20',
    robustness_ci_low: '36.60',
    robustness_ci_high: '55.70',
  };
  assert.deepEqual(ourScatterPoints([single]), [
    {
      label: 'silu',
      accuracy: 78,
      robustness: 46,
      accuracyLow: 71.8,
      accuracyHigh: 83.2,
      robustnessLow: 36.6,
      robustnessHigh: 55.7,
    },
  ]);
  const several = {
    run: 'relu',
    accuracy: '75.00',
    robustness: '42.00',
    accuracy_std: '0.50',
    robustness_std: '2.00',
    seeds: '3',
  };
  assert.deepEqual(ourScatterPoints([several])[0], {
    label: 'relu',
    accuracy: 75,
    robustness: 42,
    accuracyLow: 74.5,
    accuracyHigh: 75.5,
    robustnessLow: 40,
    robustnessHigh: 44,
  });
  assert.deepEqual(ourScatterPoints([{ run: 'x', accuracy: '', robustness: '1' }]), []);
});

test('scatter ticks are plain numbers whatever the tick step: 50, not 5e+1', async () => {
  // Robustness 40–85 % gives ticks every 10 points; one significant digit in 'g' would print 5e+1.
  const rows = [
    ['relu', '92.0', '40.0'],
    ['silu', '94.0', '85.0'],
  ].map(([run, accuracy, robustness]) => ({ run, accuracy, robustness, eval_steps: '5' }));
  const svg = await renderVegaSvg(scatterSpec('fig3', rows, 'no bars'));
  const ticks = [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>([\s\S]*?)<\/g>/g)].flatMap((m) =>
    [...m[1].matchAll(/>([^<]+)<\/text>/g)].map((t) => t[1]),
  );
  assert.ok(ticks.includes('60'), ticks.join(' '));
  assert.deepEqual(
    ticks.filter((t) => /e[+-]/.test(t)),
    [],
  );
});

test("a sweep's scatter draws the paper's point once per run, named by the run, not once per sweep point", async () => {
  const row = (run: string, robustness: string) => ({
    run,
    accuracy: '98.00',
    robustness,
    paper_accuracy: run.startsWith('relu-relu') ? '68.80' : '68.30',
    paper_robustness: run.startsWith('relu-relu') ? '33.00' : '34.50',
  });
  const rows = ['0.1', '0.2', '0.3'].flatMap((e) => [
    row(`relu-relu@epsilon=${e}`, '40'),
    row(`psoftplus-relu@epsilon=${e}`, '60'),
  ]);
  const svg = await renderVegaSvg(scatterSpec('sweep', rows, ''));
  const group = (name: string) =>
    svg.match(new RegExp(`class="mark-symbol role-mark ${name}"[^>]*>([\\s\\S]*?)</g>`))?.[1] ?? '';
  assert.equal([...group('ours-points').matchAll(/<path/g)].length, 6, 'ours: a point per sweep point');
  assert.equal([...group('paper-points').matchAll(/<path/g)].length, 2, 'paper: a point per run');
  assert.match(svg, />relu-relu</);
  assert.doesNotMatch(svg, /paper[\s\S]*>relu-relu@epsilon=0\.2</);
});
