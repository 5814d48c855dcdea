import type { EpochLog, SegmentLog } from '../../../train/train-position';
import { ALARM, BASE_SPEC } from './render';

/**
 * One seed's per-epoch log, its within-epoch log when it has one, and where (if anywhere) its overfitting guard saw
 * a collapse (1-based epoch).
 */
export interface SeedCurve {
  seed: number;
  log: readonly EpochLog[];
  steps?: readonly SegmentLog[];
  collapsedAtEpoch?: number;
}

/** One run's seeds. */
export interface RunCurves {
  run: string;
  seeds: readonly SeedCurve[];
}

// Loss and adversarial accuracy come from the within-epoch log when there is one (`at` in epochs trained, so a
// stretch ending mid-way through epoch 1 sits at 0.5 and the epoch log's point for epoch 1 at 1).
const PANELS = [
  { key: 'loss', title: 'training loss', within: true, value: (e: EpochLog | SegmentLog) => e.loss },
  {
    key: 'adversarial',
    title: 'adversarial training accuracy (%)',
    within: true,
    value: (e: EpochLog | SegmentLog) => 100 * e.adversarialAccuracy,
  },
  {
    key: 'heldOut',
    title: 'held-out PGD-10 robustness (%)',
    within: false,
    value: (e: EpochLog) => (e.heldOutRobustness === undefined ? undefined : 100 * e.heldOutRobustness),
  },
] as const;

// Three panels fit an 800 px window unscaled, with the legend above them.
const PANEL = { width: 200, height: 170, gap: 50 };

/** Long-format points: one per (run, seed, x, panel) with a finite value; x in epochs trained. */
function curvePoints(runs: readonly RunCurves[]) {
  return runs.flatMap(({ run, seeds }) =>
    seeds.flatMap((c) =>
      PANELS.flatMap((p) => {
        const entries: Array<{ x: number; value: number | undefined }> =
          p.within && c.steps && c.steps.length > 0
            ? c.steps.map((s) => ({ x: s.at, value: p.value(s) }))
            : c.log.map((e) => ({ x: e.epoch, value: p.value(e) }));
        return entries.flatMap(({ x, value }) =>
          value === undefined || !Number.isFinite(value)
            ? []
            : [
                {
                  run,
                  seed: `seed ${c.seed}`,
                  series: `${run} seed ${c.seed}`,
                  several: seeds.length > 1,
                  epoch: x,
                  panel: p.key,
                  value,
                },
              ],
        );
      }),
    ),
  );
}

/** A line mark per facet of `data` grouped by `groupby`, coloured by run. */
function lines(name: string, data: string, groupby: string, strokeWidth: number, opacity: number): object {
  return {
    type: 'group',
    from: { facet: { name: `${name}-facet`, data, groupby } },
    marks: [
      {
        type: 'line',
        name,
        from: { data: `${name}-facet` },
        encode: {
          enter: {
            x: { scale: 'x', field: 'epoch' },
            y: { scale: 'y', field: 'value' },
            stroke: { scale: 'run', field: 'run' },
            strokeWidth: { value: strokeWidth },
            strokeOpacity: { value: opacity },
          },
        },
      },
    ],
  };
}

/**
 * One metric's panel of the training curves: a line per run, the collapse markers, its own y scale.
 * Long because it is one Vega spec: a declarative literal whose marks, scales and signals refer to each other by
 * name; split into functions it would be read in pieces that only make sense together.
 */
function panel(key: string, title: string, index: number, domain: [number, number], wholeEpochs: boolean): object {
  const data = `panel-${key}`;
  return {
    type: 'group',
    name: `curves-${key}`,
    encode: {
      enter: {
        x: { value: index * (PANEL.width + PANEL.gap) },
        width: { value: PANEL.width },
        height: { value: PANEL.height },
      },
    },
    title: { text: title, fontSize: 11 },
    data: [
      { name: data, source: 'points', transform: [{ type: 'filter', expr: `datum.panel === '${key}'` }] },
      // Several seeds: each a thin line, their mean the run's line. One seed: that seed is the run's line.
      { name: `${data}-seeds`, source: data, transform: [{ type: 'filter', expr: 'datum.several' }] },
      {
        name: `${data}-mean`,
        source: data,
        transform: [
          { type: 'aggregate', groupby: ['run', 'epoch'], fields: ['value'], ops: ['mean'], as: ['value'] },
          { type: 'collect', sort: { field: 'epoch' } },
        ],
      },
    ],
    // Explicit pixel ranges: inside a group, 'width' and 'height' would name the whole chart's.
    scales: [
      { name: 'x', type: 'linear', domain, range: [0, PANEL.width], zero: false },
      {
        name: 'y',
        type: 'linear',
        domain: { data, field: 'value' },
        range: [PANEL.height, 0],
        nice: true,
        zero: false,
      },
    ],
    axes: [
      // gridScale: grid lines as long as this panel, not the whole chart.
      wholeEpochs
        ? { orient: 'bottom', scale: 'x', title: 'epochs trained', tickMinStep: 1, format: 'd', gridScale: 'y' }
        : { orient: 'bottom', scale: 'x', title: 'epochs trained', format: '~r', gridScale: 'y', tickCount: 3 }, // 0, 0.5, 1, …: tenths crowd a 200 px panel
      { orient: 'left', scale: 'y', gridScale: 'x', tickCount: 6 },
    ],
    marks: [
      lines(`seed-line-${key}`, `${data}-seeds`, 'series', 1, 0.45),
      lines(`run-line-${key}`, `${data}-mean`, 'run', 2, 1),
      {
        type: 'symbol',
        name: `dots-${key}`,
        from: { data: `${data}-mean` },
        encode: {
          enter: {
            x: { scale: 'x', field: 'epoch' },
            y: { scale: 'y', field: 'value' },
            fill: { scale: 'run', field: 'run' },
            size: { value: 14 },
            tooltip: {
              signal: "datum.run + ', epoch ' + format(datum.epoch, '.2~f') + ': ' + format(datum.value, '.3~f')",
            },
          },
        },
      },
      // A catastrophic-overfitting collapse: a red dashed line at its epoch in every panel, labelled in the first.
      {
        type: 'rule',
        name: `collapse-marker-${key}`,
        from: { data: 'collapses' },
        encode: {
          enter: {
            x: { scale: 'x', field: 'epoch' },
            y: { value: 0 },
            y2: { value: PANEL.height },
            stroke: { value: ALARM },
            strokeWidth: { value: 2 },
            strokeDash: { value: [5, 3] },
          },
        },
      },
      ...(index === 0
        ? [
            {
              type: 'text',
              name: 'collapse-label',
              from: { data: 'collapses' },
              encode: {
                enter: {
                  x: { scale: 'x', field: 'epoch', offset: -4 },
                  y: { value: 10 },
                  align: { value: 'right' },
                  text: { signal: "'collapse: ' + datum.series" },
                  fill: { value: ALARM },
                  fontSize: { value: 11 },
                  fontWeight: { value: 'bold' },
                },
              },
            },
          ]
        : []),
    ],
  };
}

/**
 * An experiment's training curves, one panel per metric with a line per run overlaid (several seeds: a thin line
 * per seed and their mean): loss and adversarial training accuracy (within epochs where logged), held-out PGD-10
 * robustness per epoch (that panel only when the overfitting guard ran). A collapse is a red dashed line at its epoch.
 */
export function trainingCurvesSpec(title: string, runs: readonly RunCurves[]): object {
  const points = curvePoints(runs);
  const panels = PANELS.filter((p) => points.some((d) => d.panel === p.key));
  // Per-epoch logs start at epoch 1; a within-epoch log starts at 0 (the start of training).
  const perEpoch = points.every((d) => Number.isInteger(d.epoch));
  const first = perEpoch ? Math.min(1, ...points.map((d) => d.epoch)) : 0;
  const domain: [number, number] = [first, Math.max(first + 1, ...points.map((d) => d.epoch))];
  // Whole epochs as ticks for per-epoch logs or long runs; fractions of an epoch for a short run's within-epoch log.
  const wholeEpochs = perEpoch || domain[1] - domain[0] >= 3;
  const collapses = runs.flatMap(({ run, seeds }) =>
    seeds
      .filter((c) => c.collapsedAtEpoch !== undefined)
      .map((c) => ({ series: `${run} seed ${c.seed}`, epoch: c.collapsedAtEpoch! })),
  );
  const several = runs.some((r) => r.seeds.length > 1) ? 'thin lines: single seeds, thick: their mean; ' : '';
  const subtitle = collapses.length
    ? `catastrophic overfitting: ${collapses.map((c) => `${c.series} at epoch ${c.epoch}`).join(', ')}`
    : runs.some((r) => r.seeds.some((c) => c.log.some((e) => e.heldOutRobustness !== undefined)))
      ? `${several}no collapse detected by the overfitting guard`
      : `${several}overfitting guard off: no held-out robustness`;
  return {
    ...BASE_SPEC,
    width: panels.length * (PANEL.width + PANEL.gap) - PANEL.gap,
    height: PANEL.height,
    title: {
      text: title,
      subtitle,
      subtitleColor: collapses.length ? ALARM : '#555555',
      subtitleFontWeight: collapses.length ? 'bold' : 'normal',
    },
    data: [
      { name: 'points', values: points },
      { name: 'collapses', values: collapses },
    ],
    scales: [{ name: 'run', type: 'ordinal', domain: runs.map((r) => r.run), range: 'category' }],
    legends: [
      {
        stroke: 'run',
        orient: 'top',
        direction: 'horizontal',
        columns: 5,
        title: 'run',
        symbolType: 'stroke',
        labelLimit: 200,
      },
    ],
    marks: panels.map((p, i) => panel(p.key, p.title, i, domain, wholeEpochs)),
  };
}
