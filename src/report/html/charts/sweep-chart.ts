import { cellNumber, type CsvRow } from '../results-folder';
import { ourScatterPoints } from './scatter';
import { BASE_SPEC } from './render';
import { pgdName } from './attack-name';
import { sweepSeries } from '../../sweep-cells';

/** CSV columns holding a swept value: `sweep_<key>`. Other helpers add them; without one there is no sweep chart. */
export const sweepColumns = (columns: readonly string[]) => columns.filter((c) => c.startsWith('sweep_'));

/** One line per run through `data`'s points at `field`: a Vega facet group holding one line mark per series. */
function lineBySeries(name: string, data: string, field: string, style: Record<string, unknown>): object {
  return {
    type: 'group',
    from: { facet: { name: `${name}-series`, data, groupby: 'series' } },
    marks: [
      {
        type: 'line',
        name,
        from: { data: `${name}-series` },
        encode: {
          enter: {
            x: { scale: 'x', field: 'swept' },
            y: { scale: 'y', field },
            stroke: { scale: 'series', field: 'series' },
            ...style,
          },
        },
      },
    ],
  };
}

/**
 * Robustness against the swept value, one line per run (`sweepSeries`), with the same error bars as the scatter;
 * where the CSV has `robustness_aa`, AutoAttack's as rings on a dashed line of the same colour. Long because it is
 * one Vega spec: a declarative literal whose marks, scales and signals refer to each other by name; split into
 * functions it would be read in pieces that only make sense together.
 */
export function sweepChartSpec(title: string, rows: readonly CsvRow[], column: string, barWords: string): object {
  const key = column.slice('sweep_'.length);
  const bars = new Map(ourScatterPoints(rows).map((p) => [p.label, p]));
  const points = rows.flatMap((row) => {
    const swept = cellNumber(row, column);
    const bar = bars.get(row.run);
    if (swept === undefined || !bar) return [];
    return [
      {
        series: sweepSeries(row.run, key),
        run: row.run,
        swept,
        robustness: bar.robustness,
        low: bar.robustnessLow,
        high: bar.robustnessHigh,
        autoAttack: bar.autoAttack,
      },
    ];
  });
  points.sort((a, b) => a.swept - b.swept);
  const autoAttack = points.filter((p) => p.autoAttack !== undefined);
  const withAutoAttack = autoAttack.length > 0;
  const attack = pgdName(rows);
  return {
    ...BASE_SPEC,
    width: 460,
    height: 260,
    title: {
      text: title,
      subtitle: withAutoAttack ? `${barWords}; filled: ${attack}, rings: AutoAttack` : barWords,
    },
    data: [
      { name: 'points', values: points },
      { name: 'aa', values: autoAttack },
    ],
    scales: [
      {
        name: 'x',
        type: 'linear',
        domain: { data: 'points', field: 'swept' },
        range: 'width',
        nice: true,
        zero: false,
      },
      {
        name: 'y',
        type: 'linear',
        domain: {
          fields: [
            { data: 'points', field: 'low' },
            { data: 'points', field: 'high' },
            ...(withAutoAttack ? [{ data: 'aa', field: 'autoAttack' }] : []),
          ],
        },
        range: 'height',
        nice: true,
        zero: false,
      },
      { name: 'series', type: 'ordinal', domain: { data: 'points', field: 'series' }, range: 'category' },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: key },
      {
        orient: 'left',
        scale: 'y',
        title: `robustness under ${attack}${withAutoAttack ? ' or AutoAttack' : ''} (%)`,
      },
    ],
    legends: [{ stroke: 'series', title: 'run', labelLimit: 240 }],
    marks: [
      lineBySeries('sweep-line', 'points', 'robustness', { strokeWidth: { value: 2 } }),
      {
        type: 'rule',
        name: 'sweep-bars',
        from: { data: 'points' },
        encode: {
          enter: {
            x: { scale: 'x', field: 'swept' },
            y: { scale: 'y', field: 'low' },
            y2: { scale: 'y', field: 'high' },
            stroke: { scale: 'series', field: 'series' },
          },
        },
      },
      {
        type: 'symbol',
        name: 'sweep-points',
        from: { data: 'points' },
        encode: {
          enter: {
            x: { scale: 'x', field: 'swept' },
            y: { scale: 'y', field: 'robustness' },
            fill: { scale: 'series', field: 'series' },
            size: { value: 40 },
            tooltip: { signal: "datum.run + ': ' + format(datum.robustness, '.2f')" },
          },
        },
      },
      ...(!withAutoAttack
        ? []
        : [
            lineBySeries('sweep-aa-line', 'aa', 'autoAttack', {
              strokeWidth: { value: 1.5 },
              strokeDash: { value: [4, 3] },
            }),
            {
              type: 'symbol',
              name: 'sweep-aa-rings',
              from: { data: 'aa' },
              encode: {
                enter: {
                  x: { scale: 'x', field: 'swept' },
                  y: { scale: 'y', field: 'autoAttack' },
                  stroke: { scale: 'series', field: 'series' },
                  strokeWidth: { value: 2 },
                  fill: { value: 'white' },
                  size: { value: 50 },
                  tooltip: { signal: "datum.run + ': AutoAttack ' + format(datum.autoAttack, '.2f')" },
                },
              },
            },
          ]),
    ],
  };
}
