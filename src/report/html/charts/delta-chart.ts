import type { DeltaPoint } from '../deltas';
import { BASE_SPEC, OURS, PAPER } from './render';

// Both panels and the run names fit an 800 px window unscaled.
const PANEL_WIDTH = 270;

/**
 * A Vega expression writing `value` as signedNumber (src/report/signed-number.ts) does: '+' on a gain, a true minus
 * on a loss, and no sign on zero or what rounds to it. d3's '+' format would write zero "+0" and a loss that rounds
 * to zero "−0.00".
 */
function signedExpression(value: string, specifier: string): string {
  const magnitude = `format(abs(${value}), '${specifier}')`;
  return `(${magnitude} === format(0, '${specifier}') ? ${magnitude} : (${value} > 0 ? '+' : '−') + ${magnitude})`;
}

/**
 * One panel (Δ accuracy or Δ robustness): a zero line, error bars as rules, ours and the paper's as dots.
 * Long because it is one Vega spec: a declarative literal whose marks, scales and signals refer to each other by
 * name; split into functions it would be read in pieces that only make sense together.
 */
function panel(metric: DeltaPoint['metric'], x: number, height: number, attack: string): object {
  const data = `${metric}-points`;
  const at = (source: string) => ({ scale: 'y', field: 'run', band: source === 'ours' ? 0.35 : 0.7 });
  return {
    type: 'group',
    name: `delta-${metric}`,
    encode: { enter: { x: { value: x }, width: { value: PANEL_WIDTH }, height: { value: height } } },
    title: { text: `Δ ${metric} vs baseline`, fontSize: 12 },
    data: [
      { name: data, source: 'points', transform: [{ type: 'filter', expr: `datum.metric === '${metric}'` }] },
      ...(['ours', 'paper'] as const).map((source) => ({
        name: `${data}-${source}`,
        source: data,
        transform: [{ type: 'filter', expr: `datum.source === '${source}'` }],
      })),
    ],
    scales: [
      {
        name: 'x',
        type: 'linear',
        domain: {
          fields: [
            { data, field: 'low' },
            { data, field: 'high' },
            { data, field: 'delta' },
          ],
        },
        range: [0, PANEL_WIDTH],
        nice: true,
        zero: true,
      },
    ],
    // At most about six ticks, '+' on gains and zero plain: 0.1-point steps across 300 px would run their labels together.
    axes: [
      {
        orient: 'bottom',
        scale: 'x',
        title: `Δ ${metric === 'robustness' ? `robustness under ${attack}` : 'clean accuracy'} (points)`,
        gridScale: 'y',
        tickCount: 6,
        labelOverlap: 'greedy',
        labelSeparation: 6,
        encode: { labels: { update: { text: { signal: signedExpression('datum.value', '~r') } } } },
      },
      ...(x === 0 ? [{ orient: 'left', scale: 'y', grid: false }] : []),
    ],
    marks: [
      {
        type: 'rule',
        name: `zero-${metric}`,
        encode: {
          enter: { x: { scale: 'x', value: 0 }, y: { value: 0 }, y2: { value: height }, stroke: { value: '#444' } },
        },
      },
      {
        type: 'rule',
        name: `bars-${metric}`,
        from: { data: `${data}-ours` },
        encode: {
          enter: {
            x: { scale: 'x', field: 'low' },
            x2: { scale: 'x', field: 'high' },
            y: at('ours'),
            stroke: { value: OURS },
            strokeWidth: { value: 2 },
            opacity: { signal: 'isValid(datum.low) ? 1 : 0' },
          },
        },
      },
      ...(['ours', 'paper'] as const).map((source) => ({
        type: 'symbol',
        name: `${source}-${metric}`,
        from: { data: `${data}-${source}` },
        encode: {
          enter: {
            x: { scale: 'x', field: 'delta' },
            y: at(source),
            size: { value: 60 },
            shape: { value: source === 'ours' ? 'circle' : 'diamond' },
            fill: { value: source === 'ours' ? OURS : PAPER },
            tooltip: { signal: `datum.run + ' (${source}): ' + ${signedExpression('datum.delta', '.2f')} + ' pts'` },
          },
        },
      })),
    ],
  };
}

/**
 * Δ versus the baseline row, ours beside the paper's, for accuracy and robustness: the comparable quantity across
 * scales (our MNIST-scale numbers and the paper's ImageNet ones differ in level, not necessarily in ordering).
 */
export function deltaChartSpec(title: string, points: readonly DeltaPoint[], barWords: string, attack: string): object {
  const runs = [...new Set(points.map((p) => p.run))];
  // The paper's entry only where it has numbers: an experiment of our own has none.
  const sources = points.some((p) => p.source === 'paper') ? ['ours', 'paper (ImageNet)'] : ['ours'];
  const height = Math.max(80, 38 * runs.length);
  return {
    ...BASE_SPEC,
    width: 2 * PANEL_WIDTH + 40,
    height,
    title: { text: title, subtitle: barWords },
    data: [{ name: 'points', values: points.map((p) => ({ ...p, low: p.low ?? null, high: p.high ?? null })) }],
    scales: [
      { name: 'y', type: 'band', domain: runs, range: 'height', padding: 0.1 },
      { name: 'source', type: 'ordinal', domain: sources, range: [OURS, PAPER] },
    ],
    legends: [{ fill: 'source', orient: 'top', direction: 'horizontal', symbolType: 'circle' }],
    marks: [panel('accuracy', 0, height, attack), panel('robustness', PANEL_WIDTH + 40, height, attack)],
  };
}
