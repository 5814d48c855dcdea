import type { EpochLog } from '../../../train/train-position';
import { ALARM, BASE_SPEC } from './render';

/** One seed's per-epoch log and where (if anywhere) its overfitting guard saw a collapse (1-based epoch). */
export interface SeedCurve {
  seed: number;
  log: readonly EpochLog[];
  collapsedAtEpoch?: number;
}

const PANELS = [
  { key: 'loss', title: 'training loss', value: (e: EpochLog) => e.loss },
  { key: 'adversarial', title: 'adversarial training accuracy (%)', value: (e: EpochLog) => 100 * e.adversarialAccuracy },
  { key: 'heldOut', title: 'held-out PGD-10 robustness (%)', value: (e: EpochLog) => (e.heldOutRobustness === undefined ? undefined : 100 * e.heldOutRobustness) },
] as const;

const PANEL = { width: 230, height: 170, gap: 60 };

/** Long-format points: one per (seed, epoch, panel) with a finite value. */
function curvePoints(curves: readonly SeedCurve[]) {
  return curves.flatMap((c) =>
    c.log.flatMap((e) =>
      PANELS.flatMap((p) => {
        const value = p.value(e);
        return value === undefined || !Number.isFinite(value) ? [] : [{ seed: `seed ${c.seed}`, epoch: e.epoch, panel: p.key, value }];
      }),
    ),
  );
}

function panel(key: string, title: string, index: number, lastEpoch: number): object {
  const data = `panel-${key}`;
  return {
    type: 'group',
    name: `curves-${key}`,
    encode: { enter: { x: { value: index * (PANEL.width + PANEL.gap) }, width: { value: PANEL.width }, height: { value: PANEL.height } } },
    title: { text: title, fontSize: 11 },
    data: [{ name: data, source: 'points', transform: [{ type: 'filter', expr: `datum.panel === '${key}'` }] }],
    // Explicit pixel ranges: inside a group, 'width' and 'height' would name the whole chart's.
    scales: [
      { name: 'x', type: 'linear', domain: [1, lastEpoch], range: [0, PANEL.width], zero: false },
      { name: 'y', type: 'linear', domain: { data, field: 'value' }, range: [PANEL.height, 0], nice: true, zero: false },
    ],
    axes: [
      // gridScale: grid lines as long as this panel, not the whole chart.
      { orient: 'bottom', scale: 'x', title: 'epoch', tickMinStep: 1, format: 'd', gridScale: 'y' },
      { orient: 'left', scale: 'y', gridScale: 'x', tickCount: 6 },
    ],
    marks: [
      {
        type: 'group',
        from: { facet: { name: `${data}-series`, data, groupby: 'seed' } },
        marks: [{ type: 'line', name: `line-${key}`, from: { data: `${data}-series` }, encode: { enter: { x: { scale: 'x', field: 'epoch' }, y: { scale: 'y', field: 'value' }, stroke: { scale: 'seed', field: 'seed' }, strokeWidth: { value: 2 } } } }],
      },
      { type: 'symbol', name: `dots-${key}`, from: { data }, encode: { enter: { x: { scale: 'x', field: 'epoch' }, y: { scale: 'y', field: 'value' }, fill: { scale: 'seed', field: 'seed' }, size: { value: 30 }, tooltip: { signal: "datum.seed + ', epoch ' + datum.epoch + ': ' + format(datum.value, '.3~f')" } } } },
      // A catastrophic-overfitting collapse: a red dashed line at its epoch in every panel, labelled in the first.
      { type: 'rule', name: `collapse-marker-${key}`, from: { data: 'collapses' }, encode: { enter: { x: { scale: 'x', field: 'epoch' }, y: { value: 0 }, y2: { value: PANEL.height }, stroke: { value: ALARM }, strokeWidth: { value: 2 }, strokeDash: { value: [5, 3] } } } },
      ...(index === 0 ? [{ type: 'text', name: 'collapse-label', from: { data: 'collapses' }, encode: { enter: { x: { scale: 'x', field: 'epoch', offset: -4 }, y: { value: 10 }, align: { value: 'right' }, text: { signal: "'collapse: ' + datum.seed" }, fill: { value: ALARM }, fontSize: { value: 11 }, fontWeight: { value: 'bold' } } } }] : []),
    ],
  };
}

/**
 * A run's training curves, one colour per seed: loss, adversarial training accuracy and held-out PGD-10 robustness
 * per epoch (the last panel only when the overfitting guard ran). A collapse is a red dashed line at its epoch.
 */
export function trainingCurvesSpec(title: string, curves: readonly SeedCurve[]): object {
  const points = curvePoints(curves);
  const panels = PANELS.filter((p) => points.some((d) => d.panel === p.key));
  const lastEpoch = Math.max(2, ...points.map((d) => d.epoch));
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
    marks: panels.map((p, i) => panel(p.key, p.title, i, lastEpoch)),
  };
}
