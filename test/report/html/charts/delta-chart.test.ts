import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DeltaPoint } from '../../../../src/report/html/deltas';
import { deltaChartSpec } from '../../../../src/report/html/charts/delta-chart';
import { renderVegaSvg } from '../../../../src/report/html/charts/render';

const point = (run: string, metric: DeltaPoint['metric'], delta: number): DeltaPoint => ({
  run,
  metric,
  source: 'ours',
  delta,
  low: delta - 1,
  high: delta + 1,
  interval: 'seed-std',
  pairs: 3,
});

/** The tick labels of every axis in the SVG, in document order. */
const tickLabels = (svg: string) =>
  [...svg.matchAll(/role-axis-label[^>]*>([\s\S]*?)<\/g>/g)].flatMap((m) =>
    [...m[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]),
  );

test("the Δ axes put '+' on gains and a true minus on losses, and label zero plain 0", async () => {
  // Both panels span about −3 to +4 points, so zero is a tick of each.
  const points = [point('a', 'accuracy', -2), point('b', 'accuracy', 3), point('a', 'robustness', -2)];
  const svg = await renderVegaSvg(deltaChartSpec('Δ', [...points, point('b', 'robustness', 3)], 'bars', 'PGD-5'));
  const labels = tickLabels(svg).filter((text) => /\d/.test(text)); // the band axis names runs
  assert.ok(labels.length >= 8, labels.join(' '));
  assert.equal(labels.filter((text) => text === '0').length, 2, labels.join(' '));
  assert.ok(!labels.some((text) => /^[+−-]0$/.test(text)), `a signed zero: ${labels.join(' ')}`);
  assert.ok(labels.includes('+2') && labels.includes('−2'), labels.join(' '));
});

test('hover text writes a Δ that rounds to zero as 0.00, with no sign', async () => {
  const vega = await import('vega');
  const points = [point('a', 'accuracy', -0.004), point('b', 'accuracy', 0.7), point('a', 'robustness', -1.2)];
  const view = new vega.View(vega.parse(deltaChartSpec('Δ', points, 'bars', 'PGD-5') as import('vega').Spec), {
    renderer: 'none',
  });
  try {
    await view.runAsync();
    const tooltips: unknown[] = [];
    const walk = (node: { tooltip?: unknown; items?: unknown[] }) => {
      if (node.tooltip !== undefined) tooltips.push(node.tooltip);
      for (const item of node.items ?? []) walk(item as typeof node);
    };
    walk((view.scenegraph() as unknown as { root: { items?: unknown[] } }).root);
    assert.deepEqual(tooltips, ['a (ours): 0.00 pts', 'b (ours): +0.70 pts', 'a (ours): −1.20 pts']);
  } finally {
    view.finalize();
  }
});
