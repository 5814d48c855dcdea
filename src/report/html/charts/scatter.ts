import { cellNumber, type CsvRow } from '../results-folder';
import { BASE_SPEC } from './render';

/** One point of the scatter with its error bars, in percent. */
interface ScatterPoint {
  label: string;
  robustness: number;
  accuracy: number;
  robustnessLow: number;
  robustnessHigh: number;
  accuracyLow: number;
  accuracyHigh: number;
}

/**
 * Our points with their error bars: ± the seed std (the CSV's `*_std`, n − 1) when the row is a mean over seeds,
 * else the 95 % Wilson interval of the one evaluation; no bar when the CSV has neither.
 */
export function ourScatterPoints(rows: readonly CsvRow[]): ScatterPoint[] {
  return rows.flatMap((row) => {
    const [accuracy, robustness] = [cellNumber(row, 'accuracy'), cellNumber(row, 'robustness')];
    if (accuracy === undefined || robustness === undefined) return [];
    const bar = (metric: 'accuracy' | 'robustness', value: number): [number, number] => {
      const std = cellNumber(row, `${metric}_std`);
      if (std !== undefined) return [value - std, value + std];
      return [cellNumber(row, `${metric}_ci_low`) ?? value, cellNumber(row, `${metric}_ci_high`) ?? value];
    };
    const [accuracyLow, accuracyHigh] = bar('accuracy', accuracy);
    const [robustnessLow, robustnessHigh] = bar('robustness', robustness);
    return [{ label: row.run, accuracy, robustness, accuracyLow, accuracyHigh, robustnessLow, robustnessHigh }];
  });
}

function paperPoints(rows: readonly CsvRow[]): ScatterPoint[] {
  return rows.flatMap((row) => {
    const [accuracy, robustness] = [cellNumber(row, 'paper_accuracy'), cellNumber(row, 'paper_robustness')];
    if (accuracy === undefined || robustness === undefined) return [];
    return [{ label: row.run, accuracy, robustness, accuracyLow: accuracy, accuracyHigh: accuracy, robustnessLow: robustness, robustnessHigh: robustness }];
  });
}

const PANEL = { width: 340, height: 280 };

/** One panel: its own x and y scales (explicit pixel ranges: a nested group's `width` signal is the whole chart's) (fitted to its points and bars), bars as rule marks, points, labels. */
function panel(name: string, data: string, title: string, shape: 'circle' | 'diamond', x: number): object {
  const domain = (low: string, high: string) => ({ fields: [{ data, field: low }, { data, field: high }] });
  return {
    type: 'group',
    name: `${name}-panel`,
    encode: { enter: { x: { value: x }, y: { value: 0 }, width: { value: PANEL.width }, height: { value: PANEL.height } } },
    title: { text: title, fontSize: 12 },
    scales: [
      { name: 'x', type: 'linear', domain: domain('robustnessLow', 'robustnessHigh'), range: [0, PANEL.width], nice: true, zero: false, padding: 16 },
      { name: 'y', type: 'linear', domain: domain('accuracyLow', 'accuracyHigh'), range: [PANEL.height, 0], nice: true, zero: false, padding: 16 },
    ],
    axes: [
      // gridScale: grid lines as long as this panel, not the whole chart.
      // '~g': 68.8, not 68.800000 (a one-point domain gets ticks at the point itself).
      { orient: 'bottom', scale: 'x', title: 'robustness under PGD (%)', gridScale: 'y', format: '~g' },
      { orient: 'left', scale: 'y', title: 'clean accuracy (%)', gridScale: 'x', format: '~g' },
    ],
    marks: [
      { type: 'rule', name: `${name}-bar-x`, from: { data }, encode: { enter: { x: { scale: 'x', field: 'robustnessLow' }, x2: { scale: 'x', field: 'robustnessHigh' }, y: { scale: 'y', field: 'accuracy' }, stroke: { scale: 'run', field: 'label' }, strokeWidth: { value: 1.5 } } } },
      { type: 'rule', name: `${name}-bar-y`, from: { data }, encode: { enter: { y: { scale: 'y', field: 'accuracyLow' }, y2: { scale: 'y', field: 'accuracyHigh' }, x: { scale: 'x', field: 'robustness' }, stroke: { scale: 'run', field: 'label' }, strokeWidth: { value: 1.5 } } } },
      { type: 'symbol', name: `${name}-points`, from: { data }, encode: { enter: { x: { scale: 'x', field: 'robustness' }, y: { scale: 'y', field: 'accuracy' }, size: { value: 60 }, shape: { value: shape }, fill: { scale: 'run', field: 'label' }, tooltip: { signal: "datum.label + ': robustness ' + format(datum.robustness, '.2f') + ', accuracy ' + format(datum.accuracy, '.2f')" } } } },
    ],
  };
}

/**
 * The Figure 3 scatter (robustness on x, accuracy on y): ours on our own axes with error bars, the paper's
 * ImageNet points in a separate panel with theirs, one colour per run in both. One axis for both would squeeze one of them into a pixel.
 */
export function scatterSpec(title: string, rows: readonly CsvRow[], barWords: string): object {
  return {
    ...BASE_SPEC,
    width: 2 * PANEL.width + 90,
    height: PANEL.height,
    title: { text: title, subtitle: barWords },
    data: [
      { name: 'ours', values: ourScatterPoints(rows) },
      { name: 'paper', values: paperPoints(rows) },
    ],
    // One colour per run in both panels (a legend, not point labels: our points often overlap within their bars).
    scales: [{ name: 'run', type: 'ordinal', domain: rows.map((r) => r.run), range: 'category' }],
    legends: [{ fill: 'run', title: 'run', orient: 'right', symbolType: 'circle', labelLimit: 240 }],
    marks: [panel('ours', 'ours', 'ours (circles)', 'circle', 0), panel('paper', 'paper', 'paper (diamonds; ImageNet, ResNet-50, ε = 4/255)', 'diamond', PANEL.width + 90)],
  };
}
