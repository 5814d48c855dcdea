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

// Loss and adversarial accuracy come from the within-epoch log when there is one (`at` in epochs trained, so a
// stretch ending mid-way through epoch 1 sits at 0.5 and the epoch log's point for epoch 1 at 1).
const PANELS = [
  { key: 'loss', title: 'training loss', within: true, value: (e: EpochLog | SegmentLog) => e.loss },
  { key: 'adversarial', title: 'adversarial training accuracy (%)', within: true, value: (e: EpochLog | SegmentLog) => 100 * e.adversarialAccuracy },
  { key: 'heldOut', title: 'held-out PGD-10 robustness (%)', within: false, value: (e: EpochLog) => (e.heldOutRobustness === undefined ? undefined : 100 * e.heldOutRobustness) },
] as const;

const PANEL = { width: 230, height: 170, gap: 60 };

/** Long-format points: one per (seed, x, panel) with a finite value; x in epochs trained. */
function curvePoints(curves: readonly SeedCurve[]) {
  return curves.flatMap((c) =>
    PANELS.flatMap((p) => {
      const entries: Array<{ x: number; value: number | undefined }> = p.within && c.steps && c.steps.length > 0
        ? c.steps.map((s) => ({ x: s.at, value: p.value(s) }))
        : c.log.map((e) => ({ x: e.epoch, value: p.value(e) }));
      return entries.flatMap(({ x, value }) => (value === undefined || !Number.isFinite(value) ? [] : [{ seed: `seed ${c.seed}`, epoch: x, panel: p.key, value }]));
    }),
  );
}

function panel(key: string, title: string, index: number, domain: [number, number], wholeEpochs: boolean): object {
  const data = `panel-${key}`;
  return {
    type: 'group',
    name: `curves-${key}`,
    encode: { enter: { x: { value: index * (PANEL.width + PANEL.gap) }, width: { value: PANEL.width }, height: { value: PANEL.height } } },
    title: { text: title, fontSize: 11 },
    data: [{ name: data, source: 'points', transform: [{ type: 'filter', expr: `datum.panel === '${key}'` }] }],
    // Explicit pixel ranges: inside a group, 'width' and 'height' would name the whole chart's.
    scales: [
      { name: 'x', type: 'linear', domain, range: [0, PANEL.width], zero: false },
      { name: 'y', type: 'linear', domain: { data, field: 'value' }, range: [PANEL.height, 0], nice: true, zero: false },
    ],
    axes: [
      // gridScale: grid lines as long as this panel, not the whole chart.
      wholeEpochs
        ? { orient: 'bottom', scale: 'x', title: 'epochs trained', tickMinStep: 1, format: 'd', gridScale: 'y' }
        : { orient: 'bottom', scale: 'x', title: 'epochs trained', format: '~g', gridScale: 'y' },
      { orient: 'left', scale: 'y', gridScale: 'x', tickCount: 6 },
    ],
    marks: [
      {
        type: 'group',
        from: { facet: { name: `${data}-series`, data, groupby: 'seed' } },
        marks: [{ type: 'line', name: `line-${key}`, from: { data: `${data}-series` }, encode: { enter: { x: { scale: 'x', field: 'epoch' }, y: { scale: 'y', field: 'value' }, stroke: { scale: 'seed', field: 'seed' }, strokeWidth: { value: 2 } } } }],
      },
      { type: 'symbol', name: `dots-${key}`, from: { data }, encode: { enter: { x: { scale: 'x', field: 'epoch' }, y: { scale: 'y', field: 'value' }, fill: { scale: 'seed', field: 'seed' }, size: { value: 30 }, tooltip: { signal: "datum.seed + ', epoch ' + format(datum.epoch, '.2~f') + ': ' + format(datum.value, '.3~f')" } } } },
      // A catastrophic-overfitting collapse: a red dashed line at its epoch in every panel, labelled in the first.
      { type: 'rule', name: `collapse-marker-${key}`, from: { data: 'collapses' }, encode: { enter: { x: { scale: 'x', field: 'epoch' }, y: { value: 0 }, y2: { value: PANEL.height }, stroke: { value: ALARM }, strokeWidth: { value: 2 }, strokeDash: { value: [5, 3] } } } },
      ...(index === 0 ? [{ type: 'text', name: 'collapse-label', from: { data: 'collapses' }, encode: { enter: { x: { scale: 'x', field: 'epoch', offset: -4 }, y: { value: 10 }, align: { value: 'right' }, text: { signal: "'collapse: ' + datum.seed" }, fill: { value: ALARM }, fontSize: { value: 11 }, fontWeight: { value: 'bold' } } } }] : []),
    ],
  };
}

/**
 * A run's training curves, one colour per seed: loss and adversarial training accuracy (within epochs where logged),
 * held-out PGD-10 robustness per epoch (that panel only when the overfitting guard ran). A collapse is a red dashed line at its epoch.
 */
export function trainingCurvesSpec(title: string, curves: readonly SeedCurve[]): object {
  const points = curvePoints(curves);
  const panels = PANELS.filter((p) => points.some((d) => d.panel === p.key));
  // Per-epoch logs start at epoch 1; a within-epoch log starts at 0 (the start of training).
  const perEpoch = points.every((d) => Number.isInteger(d.epoch));
  const first = perEpoch ? Math.min(1, ...points.map((d) => d.epoch)) : 0;
  const domain: [number, number] = [first, Math.max(first + 1, ...points.map((d) => d.epoch))];
  // Whole epochs as ticks for per-epoch logs or long runs; fractions of an epoch for a short run's within-epoch log.
  const wholeEpochs = perEpoch || domain[1] - domain[0] >= 3;
  const collapses = curves.filter((c) => c.collapsedAtEpoch !== undefined).map((c) => ({ seed: `seed ${c.seed}`, epoch: c.collapsedAtEpoch! }));
  const subtitle = collapses.length
    ? `catastrophic overfitting: ${collapses.map((c) => `${c.seed} at epoch ${c.epoch}`).join(', ')}`
    : curves.some((c) => c.log.some((e) => e.heldOutRobustness !== undefined)) ? 'no collapse detected by the overfitting guard' : 'overfitting guard off: no held-out robustness';
  return {
    ...BASE_SPEC,
    width: panels.length * (PANEL.width + PANEL.gap) - PANEL.gap,
    height: PANEL.height,
    title: { text: title, subtitle, subtitleColor: collapses.length ? ALARM : '#555555', subtitleFontWeight: collapses.length ? 'bold' : 'normal' },
    data: [{ name: 'points', values: points }, { name: 'collapses', values: collapses }],
    scales: [
      { name: 'seed', type: 'ordinal', domain: curves.map((c) => `seed ${c.seed}`), range: 'category' },
    ],
    legends: curves.length > 1 ? [{ stroke: 'seed', fill: 'seed', orient: 'right', title: 'seed' }] : [],
    marks: panels.map((p, i) => panel(p.key, p.title, i, domain, wholeEpochs)),
  };
}
