import { rowsByRun } from './compare';
import { signedNumber } from './signed-number';
import { baselineForRunId } from './sweep-cells';

/**
 * The results table a researcher reads: per run, accuracy, the preset's own PGD-k, the worst case, AutoAttack
 * where it ran, Δ robustness against the baseline with its p, and the sanity and status cells. Every number is
 * the experiment CSV's own cell (src/report/csv.ts), so the terminal, the .md and the CSV cannot disagree.
 */
export interface ResultsTable {
  header: string[];
  /** Rows under a heading of their own (one per sweep point); one group with an empty heading without a sweep. */
  groups: Array<{ heading: string; rows: string[][] }>;
  /** What the columns are, one line each. */
  legend: string[];
}

export interface ResultsTableOptions {
  /** The run deltas are measured against; its swept copies are `<baseline>@key=value`. */
  baseline: string;
  /** Add the paper's reference columns: its robustness and its Δ against the same baseline (the .md). */
  paper: boolean;
}

type Row = Record<string, string>;

/** A CSV Δ cell (points, 2 decimals) with its sign; empty stays empty. */
const signed = (text: string) => (text === '' ? text : signedNumber(Number(text), 2));
const withStd = (row: Row, column: string) =>
  row[column] && row[`${column}_std`] ? `${row[column]} ± ${row[`${column}_std`]}` : (row[column] ?? '');

/** The paper's Δ of a run against its baseline, in points; undefined when either has no paper number. */
export function paperDelta(
  rows: ReadonlyMap<string, Row>,
  run: string,
  column: 'accuracy' | 'robustness',
  baseline: string,
): number | undefined {
  const own = rows.get(run)?.[`paper_${column}`];
  const base = rows.get(baselineForRunId(run, baseline))?.[`paper_${column}`];
  if (!own || !base) return undefined;
  return Number(own) - Number(base);
}

/**
 * How many seed pairs a multi-seed row's Δ and p were taken over (the CSV's `delta_pairs`), when that is fewer than
 * the run or its baseline finished; undefined when Δ is over every seed of both, so there is nothing to state.
 */
export function fewerPairs(row: Row, baselineRow: Row | undefined): number | undefined {
  const pairs = row.delta_pairs;
  if (pairs === undefined || pairs === '') return undefined;
  return pairs !== row.seeds || pairs !== baselineRow?.seeds ? Number(pairs) : undefined;
}

/** "2 pairs", "1 pair". */
export const pairsText = (pairs: number) => `${pairs} pair${pairs === 1 ? '' : 's'}`;

/** The PGD column's name: the step count the CSV's runs were evaluated with (`PGD-200`). */
function pgdName(rows: readonly Row[]): string {
  const steps = [...new Set(rows.map((r) => r.eval_steps).filter(Boolean))];
  return steps.length === 1 ? `PGD-${steps[0]}` : 'PGD-k';
}

/** The lines under the table: what each column means on this table's scale. */
function tableLegend(t: {
  pgd: string;
  hasAa: boolean;
  multiSeed: boolean;
  swept: boolean;
  baseline: string;
  paper?: boolean;
  fewerPairs?: boolean;
}): string[] {
  return [
    `Percent. ${t.pgd}: the preset's own evaluation attack; worst: the per-example worst case over the attack suite${t.hasAa ? '; AutoAttack: the standard four after it' : ''}.`,
    `Δ ${t.pgd}: points against ${t.baseline}${t.swept ? ' at the same sweep point' : ''}; p: ${t.multiSeed ? 'paired t-test on the per-seed deltas' : 'McNemar on the same test examples'}.` +
      (t.multiSeed ? ' ±: sample standard deviation (n − 1) over seeds.' : ''),
    ...(t.fewerPairs
      ? ['(n pairs): Δ and p over the n seeds both runs finished, where the run or its baseline has more.']
      : []),
    ...(t.paper
      ? [
          "paper: ImageNet, ResNet-50, ε = 4/255, PGD-200 (the paper's Table 1 / Figure 3): compare Δ with paper Δ, not the levels.",
        ]
      : []),
  ];
}

export function resultsTable(csvText: string, options: ResultsTableOptions): ResultsTable {
  const byRun = rowsByRun(csvText, 'experiment CSV');
  const rows = [...byRun.values()];
  const multiSeed = rows.some((r) => 'seeds' in r);
  const hasAa = rows.some((r) => r.robustness_aa);
  const pgd = pgdName(rows);
  const swept = Object.keys(rows[0] ?? {}).some((c) => c.startsWith('sweep_'));
  const test = multiSeed ? 'paired t' : 'McNemar';
  const header = [
    'run',
    'accuracy',
    pgd,
    'worst',
    ...(hasAa ? ['AutoAttack'] : []),
    `Δ ${pgd}`,
    `p (${test})`,
    ...(options.paper ? [`paper PGD-200`, 'paper Δ'] : []),
    ...(multiSeed ? ['seeds'] : []),
    'sanity',
    'status',
  ];
  const pairsOf = (row: Row) => fewerPairs(row, byRun.get(baselineForRunId(row.run, options.baseline)));
  const cells = (row: Row): string[] => {
    const isBaseline = row.run === baselineForRunId(row.run, options.baseline);
    const pairs = pairsOf(row);
    const delta =
      row.robustness === ''
        ? ''
        : isBaseline
          ? 'baseline'
          : [signed(row.robustness_delta), pairs === undefined ? '' : `(${pairsText(pairs)})`].join(' ').trim();
    const paper = paperDelta(byRun, row.run, 'robustness', options.baseline);
    return [
      row.run,
      withStd(row, 'accuracy'),
      withStd(row, 'robustness'),
      withStd(row, 'robustness_worst'),
      ...(hasAa ? [row.robustness_aa] : []),
      delta,
      isBaseline ? '' : (row.robustness_delta_p ?? ''),
      ...(options.paper
        ? [row.paper_robustness ?? '', paper === undefined || isBaseline ? '' : signedNumber(paper, 2)]
        : []),
      ...(multiSeed ? [row.seeds ?? ''] : []),
      row.sanity ?? '',
      row.status ?? '',
    ];
  };
  const legend = tableLegend({
    pgd,
    hasAa,
    multiSeed,
    swept,
    baseline: options.baseline,
    paper: options.paper,
    fewerPairs: rows.some((row) => row.robustness !== '' && pairsOf(row) !== undefined),
  });
  return {
    header,
    groups: sweepGroups(rows).map(({ heading, rows: list }) => ({ heading, rows: list.map(cells) })),
    legend,
  };
}

/** Rows by sweep point (the CSV's `sweep_*` cells), in the CSV's order. */
function sweepGroups(rows: readonly Row[]): Array<{ heading: string; rows: Row[] }> {
  const keys = Object.keys(rows[0] ?? {}).filter((c) => c.startsWith('sweep_'));
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const heading = keys.map((k) => `${k.slice('sweep_'.length)} = ${row[k]}`).join(', ');
    groups.set(heading, [...(groups.get(heading) ?? []), row]);
  }
  return [...groups].map(([heading, list]) => ({ heading, rows: list }));
}

/** The table for the terminal: every group in one table (swept run ids name their point), then the legend. */
export function formatResultsTable(table: ResultsTable): string {
  const text = [table.header.length - 2, table.header.length - 1]; // sanity, status
  return [
    formatTable(
      table.header,
      table.groups.flatMap((g) => g.rows),
      { text },
    ),
    ...table.legend,
  ].join('\n');
}

/** A plain-text table for the terminal: columns padded to their widest cell; the first and `text` ones left-aligned, numbers right. */
export function formatTable(
  header: readonly string[],
  rows: readonly string[][],
  options: { text?: readonly number[] } = {},
): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const left = (c: number) => c === 0 || (options.text ?? []).includes(c);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (left(c) ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
