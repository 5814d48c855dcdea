import { cellNumber, type CsvRow } from '../results-folder';
import { PAPER_ATTACK, pgdName } from './attack-name';
import { placeLabels } from './point-labels';
import { BASE_SPEC } from './render';
import { unsweptRunId } from '../../sweep-cells';

/** One point of the scatter with its error bars, in percent; `autoAttack` where the CSV has `robustness_aa`. */
interface ScatterPoint {
  label: string;
  robustness: number;
  accuracy: number;
  robustnessLow: number;
  robustnessHigh: number;
  accuracyLow: number;
  accuracyHigh: number;
  autoAttack?: number;
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
    const autoAttack = cellNumber(row, 'robustness_aa');
    return [
      {
        label: row.run,
        accuracy,
        robustness,
        accuracyLow,
        accuracyHigh,
        robustnessLow,
        robustnessHigh,
        ...(autoAttack === undefined ? {} : { autoAttack }),
      },
    ];
  });
}

/** The paper's points, one per experiment run: every sweep point's copy of a run carries the paper's one number. */
function paperPoints(rows: readonly CsvRow[]): ScatterPoint[] {
  const seen = new Set<string>();
  return rows.flatMap((row) => {
    const [accuracy, robustness] = [cellNumber(row, 'paper_accuracy'), cellNumber(row, 'paper_robustness')];
    const label = unsweptRunId(row.run);
    if (accuracy === undefined || robustness === undefined || seen.has(label)) return [];
    seen.add(label);
    return [
      {
        label,
        accuracy,
        robustness,
        accuracyLow: accuracy,
        accuracyHigh: accuracy,
        robustnessLow: robustness,
        robustnessHigh: robustness,
      },
    ];
  });
}

// Two panels and their axes fit an 800 px window unscaled (the labels name the runs: no legend beside them).
const PANEL = { width: 315, height: 280, gap: 65 };

/** A linear domain around the values with 8 % of their extent (at least a point) on each side, so labels fit. */
function paddedDomain(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 100];
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const pad = 0.08 * Math.max(high - low, 1);
  return [low - pad, high + pad];
}

/** The points with their pixel places: the sideways dodge of points that share a spot and where their labels go. */
function layout(points: readonly ScatterPoint[]) {
  const x = paddedDomain(
    points.flatMap((p) => [p.robustnessLow, p.robustnessHigh, ...(p.autoAttack === undefined ? [] : [p.autoAttack])]),
  );
  const y = paddedDomain(points.flatMap((p) => [p.accuracyLow, p.accuracyHigh]));
  const px = (v: number) => ((v - x[0]) / (x[1] - x[0])) * PANEL.width;
  const py = (v: number) => PANEL.height - ((v - y[0]) / (y[1] - y[0])) * PANEL.height;
  const rings = points.flatMap((p) => (p.autoAttack === undefined ? [] : [{ x: px(p.autoAttack), y: py(p.accuracy) }]));
  const labels = placeLabels(
    points.map((p) => ({ x: px(p.robustness), y: py(p.accuracy), text: p.label })),
    PANEL.width,
    PANEL.height,
    rings,
  );
  return { x, y, values: points.map((p, i) => ({ ...p, autoAttack: p.autoAttack ?? null, ...labels[i] })) };
}

/**
 * One panel: its own x and y scales (explicit pixel ranges: a nested group's `width` signal is the whole chart's),
 * bars as rule marks, points, AutoAttack rings where there are any, and a label beside every point.
 * Long because it is one Vega spec: a declarative literal whose marks, scales and signals refer to each other by
 * name; split into functions it would be read in pieces that only make sense together.
 */
function panel(
  name: string,
  points: readonly ScatterPoint[],
  title: string,
  shape: 'circle' | 'diamond',
  x: number,
  attack: string,
): object {
  const { x: xDomain, y: yDomain, values } = layout(points);
  const data = `${name}-data`;
  const at = (field: string) => ({ scale: 'x', field, offset: { field: 'dx' } });
  const withAutoAttack = points.some((p) => p.autoAttack !== undefined);
  return {
    type: 'group',
    name: `${name}-panel`,
    encode: {
      enter: { x: { value: x }, y: { value: 0 }, width: { value: PANEL.width }, height: { value: PANEL.height } },
    },
    title: { text: title, fontSize: 12 },
    data: [
      { name: data, values },
      { name: `${data}-aa`, source: data, transform: [{ type: 'filter', expr: 'isValid(datum.autoAttack)' }] },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: xDomain, range: [0, PANEL.width], zero: false },
      { name: 'y', type: 'linear', domain: yDomain, range: [PANEL.height, 0], zero: false },
    ],
    axes: [
      // gridScale: grid lines as long as this panel, not the whole chart. '~r': 68.8, not 68.800000, and 50, not 5e+1 (Vega picks the digits from the tick step).
      {
        orient: 'bottom',
        scale: 'x',
        title: `robustness under ${attack}${withAutoAttack ? ' or AutoAttack' : ''} (%)`,
        gridScale: 'y',
        format: '~r',
        tickCount: 6,
      },
      { orient: 'left', scale: 'y', title: 'clean accuracy (%)', gridScale: 'x', format: '~r', tickCount: 6 },
    ],
    marks: [
      {
        type: 'rule',
        name: `${name}-bar-x`,
        from: { data },
        encode: {
          enter: {
            x: at('robustnessLow'),
            x2: at('robustnessHigh'),
            y: { scale: 'y', field: 'accuracy' },
            stroke: { scale: 'run', field: 'label' },
            strokeWidth: { value: 1.5 },
          },
        },
      },
      {
        type: 'rule',
        name: `${name}-bar-y`,
        from: { data },
        encode: {
          enter: {
            y: { scale: 'y', field: 'accuracyLow' },
            y2: { scale: 'y', field: 'accuracyHigh' },
            x: at('robustness'),
            stroke: { scale: 'run', field: 'label' },
            strokeWidth: { value: 1.5 },
          },
        },
      },
      // AutoAttack: a ring at its robust accuracy, joined by a dotted line to the same run's PGD point.
      ...(withAutoAttack
        ? [
            {
              type: 'rule',
              name: `${name}-autoattack-link`,
              from: { data: `${data}-aa` },
              encode: {
                enter: {
                  x: at('robustness'),
                  x2: { scale: 'x', field: 'autoAttack' },
                  y: { scale: 'y', field: 'accuracy' },
                  stroke: { scale: 'run', field: 'label' },
                  strokeDash: { value: [2, 2] },
                  strokeWidth: { value: 1 },
                },
              },
            },
            {
              type: 'symbol',
              name: `${name}-autoattack`,
              from: { data: `${data}-aa` },
              encode: {
                enter: {
                  x: { scale: 'x', field: 'autoAttack' },
                  y: { scale: 'y', field: 'accuracy' },
                  size: { value: 60 },
                  shape: { value: shape },
                  fill: { value: 'white' },
                  stroke: { scale: 'run', field: 'label' },
                  strokeWidth: { value: 2 },
                  tooltip: {
                    signal:
                      "datum.label + ': AutoAttack ' + format(datum.autoAttack, '.2f') + ', accuracy ' + format(datum.accuracy, '.2f')",
                  },
                },
              },
            },
          ]
        : []),
      {
        type: 'symbol',
        name: `${name}-points`,
        from: { data },
        encode: {
          enter: {
            x: at('robustness'),
            y: { scale: 'y', field: 'accuracy' },
            size: { value: 60 },
            shape: { value: shape },
            fill: { scale: 'run', field: 'label' },
            tooltip: {
              signal: `datum.label + ': ${attack} ' + format(datum.robustness, '.2f') + ', accuracy ' + format(datum.accuracy, '.2f')`,
            },
          },
        },
      },
      // Each label twice: a white halo first, so a label stays legible where it crosses an error bar.
      ...(['halo', 'labels'] as const).map((role) => ({
        type: 'text',
        name: role === 'halo' ? `${name}-label-halo` : `${name}-labels`,
        from: { data },
        encode: {
          enter: {
            x: { field: 'labelX' },
            y: { field: 'labelY' },
            align: { field: 'align' },
            baseline: { value: 'middle' },
            text: { field: 'label' },
            fontSize: { value: 11 },
            fill: { value: '#333333' },
            ...(role === 'halo'
              ? { stroke: { value: 'white' }, strokeWidth: { value: 3 }, strokeOpacity: { value: 0.9 } }
              : {}),
          },
        },
      })),
    ],
  };
}

/**
 * The Figure 3 scatter (robustness on x, accuracy on y): ours on our own axes with error bars, each point named,
 * and the paper's ImageNet points in a separate panel with theirs when the experiment has paper numbers, one
 * colour per run in both. One axis for both would squeeze one of them into a pixel.
 */
export function scatterSpec(title: string, rows: readonly CsvRow[], barWords: string): object {
  const ours = ourScatterPoints(rows);
  const paper = paperPoints(rows);
  const attack = pgdName(rows);
  const oursTitle = ours.some((p) => p.autoAttack !== undefined)
    ? `ours (filled: ${attack}; rings: AutoAttack)`
    : 'ours';
  const panels = [panel('ours', ours, oursTitle, 'circle', 0, attack)];
  if (paper.length > 0)
    panels.push(
      panel(
        'paper',
        paper,
        'paper (diamonds; ImageNet, ResNet-50, ε = 4/255)',
        'diamond',
        PANEL.width + PANEL.gap,
        PAPER_ATTACK,
      ),
    );
  return {
    ...BASE_SPEC,
    width: panels.length * (PANEL.width + PANEL.gap) - PANEL.gap,
    height: PANEL.height,
    title: { text: title, subtitle: barWords },
    // One colour per run in both panels, and a label beside every point (so no legend).
    scales: [
      {
        name: 'run',
        type: 'ordinal',
        domain: [...new Set([...rows.map((r) => r.run), ...paper.map((p) => p.label)])],
        range: 'category',
      },
    ],
    marks: panels,
  };
}
