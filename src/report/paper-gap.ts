import { rowsByRun, toleranceFor, type Tolerances } from './compare';
import { signedNumber } from './signed-number';
import { baselineForRunId } from './sweep-cells';
import { formatTable, paperDelta } from './table';

/**
 * Our CSV against the paper. The paper's numbers are ImageNet's (ResNet-50, ε = 4/255, PGD-200), so levels do not
 * carry over to a toy preset; what can is each run's Δ against the baseline and the order of the runs by
 * robustness. Points throughout.
 */

type Row = Record<string, string>;

/** The CSV's delta columns compared with the paper's Δ; `--tolerance robustness_delta=…` sets one. */
export const DELTA_COLUMNS = ['robustness_delta', 'accuracy_delta'] as const;
export type DeltaColumn = (typeof DELTA_COLUMNS)[number];
const LEVEL_OF: Record<DeltaColumn, 'robustness' | 'accuracy'> = {
  robustness_delta: 'robustness',
  accuracy_delta: 'accuracy',
};

/** A run's Δ against the baseline, ours (the CSV's cell) beside the paper's. */
export interface DeltaGap {
  run: string;
  column: DeltaColumn;
  ours: number;
  paper: number;
  /** ours − paper. */
  difference: number;
  outside: boolean;
}

/** Two runs the paper orders one way and ours the other way by more than the tolerance. */
export interface OrderDisagreement {
  /** The run the paper puts higher, and by how much (its robustness − the other's). */
  paperHigher: string;
  paperLower: string;
  paperGap: number;
  /** How far below paperLower our paperHigher is (> the tolerance). */
  oursBelow: number;
}

export interface PaperComparison {
  baseline: string;
  deltas: DeltaGap[];
  /** Per sweep point (one without a sweep): both orders by robustness, highest first, and where they disagree. */
  orders: Array<{ point: string; ours: string[]; paper: string[]; disagreements: OrderDisagreement[] }>;
  /** Runs with no numbers of ours or of the paper's: not compared. */
  skipped: string[];
}

const hasNumbers = (row: Row) => row.robustness !== '' && row.robustness !== undefined && Boolean(row.paper_robustness);
const pointOf = (run: string) => (run.includes('@') ? run.slice(run.indexOf('@') + 1) : '');

export function compareWithPaper(
  csvText: string,
  options: { baseline: string; tolerance: Tolerances | number; name?: string },
): PaperComparison {
  const rows = rowsByRun(csvText, options.name ?? 'csv');
  const deltas: DeltaGap[] = [];
  for (const row of rows.values()) {
    if (!hasNumbers(row) || row.run === baselineForRunId(row.run, options.baseline)) continue;
    for (const column of DELTA_COLUMNS) {
      const paper = paperDelta(rows, row.run, LEVEL_OF[column], options.baseline);
      const ours = Number(row[column]);
      if (paper === undefined || row[column] === '' || !Number.isFinite(ours)) continue;
      const difference = ours - paper;
      deltas.push({
        run: row.run,
        column,
        ours,
        paper,
        difference,
        outside: Math.abs(difference) > toleranceFor(options.tolerance, column) + 1e-9,
      });
    }
  }
  const points = [...new Set([...rows.keys()].map(pointOf))];
  const orders = points.map((point) =>
    orderAt(
      point,
      [...rows.values()].filter((r) => pointOf(r.run) === point && hasNumbers(r)),
      toleranceFor(options.tolerance, 'robustness_delta'),
    ),
  );
  const skipped = [...rows.values()].filter((r) => !hasNumbers(r)).map((r) => r.run);
  return { baseline: options.baseline, deltas, orders, skipped };
}

/** Both orders by robustness, and every pair the paper orders one way and ours the other by more than `tolerance`. */
function orderAt(point: string, rows: readonly Row[], tolerance: number): PaperComparison['orders'][number] {
  const by = (column: string) => [...rows].sort((a, b) => Number(b[column]) - Number(a[column])).map((r) => r.run);
  const disagreements: OrderDisagreement[] = [];
  for (const a of rows) {
    for (const b of rows) {
      const paperGap = Number(a.paper_robustness) - Number(b.paper_robustness);
      const oursBelow = Number(b.robustness) - Number(a.robustness);
      if (paperGap > 0 && oursBelow > tolerance + 1e-9)
        disagreements.push({ paperHigher: a.run, paperLower: b.run, paperGap, oursBelow });
    }
  }
  return { point, ours: by('robustness'), paper: by('paper_robustness'), disagreements };
}

export function paperComparisonIsClean(c: PaperComparison): boolean {
  return c.deltas.every((d) => !d.outside) && c.orders.every((o) => o.disagreements.length === 0);
}

const signed = (value: number) => signedNumber(value, 2);

/** The terminal's account: the Δ table, each point's two orders, and every difference in words. */
export function formatPaperComparison(c: PaperComparison, toleranceText: string): string {
  const runs = [...new Set(c.deltas.map((d) => d.run))];
  const cells = (run: string, column: DeltaColumn) => {
    const d = c.deltas.find((g) => g.run === run && g.column === column);
    return d ? [signed(d.ours), signed(d.paper), `${signed(d.difference)}${d.outside ? ' *' : '  '}`] : ['', '', ''];
  };
  const header = ['run', 'Δ robustness', 'paper', 'difference', 'Δ accuracy', 'paper', 'difference'];
  const lines = [
    `Δ against ${c.baseline}, ours beside the paper's (points; tolerance ${toleranceText}; * = outside it):`,
    '',
    formatTable(
      header,
      runs.map((run) => [run, ...cells(run, 'robustness_delta'), ...cells(run, 'accuracy_delta')]),
    ),
  ];
  for (const order of c.orders) {
    lines.push(
      '',
      `order by robustness${order.point ? ` at ${order.point}` : ''}:`,
      `  ours:  ${order.ours.join(' > ')}`,
      `  paper: ${order.paper.join(' > ')}`,
    );
    for (const d of order.disagreements) {
      lines.push(
        `  out of order: the paper puts ${d.paperHigher} ${d.paperGap.toFixed(2)} above ${d.paperLower}; ours is ${d.oursBelow.toFixed(2)} below it`,
      );
    }
  }
  if (c.skipped.length > 0)
    lines.push('', `not compared (no numbers of ours or of the paper's): ${c.skipped.join(', ')}`);
  const outside = c.deltas.filter((d) => d.outside).length;
  const disorders = c.orders.reduce((n, o) => n + o.disagreements.length, 0);
  lines.push(
    '',
    paperComparisonIsClean(c)
      ? 'same as the paper within the tolerance: every Δ and the order by robustness'
      : `differs from the paper: ${outside} Δ outside the tolerance, ${disorders} pair(s) out of order`,
  );
  return lines.join('\n');
}

/** Ours minus the paper's level, per run (`compare --paper --levels`): informational, the scales differ. */
export interface PaperGap {
  run: string;
  column: 'accuracy' | 'robustness';
  ours: number;
  paper: number;
  gap: number;
  /** |gap| above the column's tolerance. */
  outside: boolean;
}

const LEVELS = ['accuracy', 'robustness'] as const;

/** The gap of every run's accuracy and robustness to the paper's; rows without paper numbers are skipped. */
export function paperGaps(csvText: string, tolerance: Tolerances | number, name = 'csv'): PaperGap[] {
  return [...rowsByRun(csvText, name).values()].flatMap((row) =>
    LEVELS.flatMap((column) => {
      const [ours, paper] = [Number(row[column]), Number(row[`paper_${column}`])];
      if (!row[column] || !row[`paper_${column}`] || !Number.isFinite(ours) || !Number.isFinite(paper)) return [];
      const gap = ours - paper;
      return [
        { run: row.run, column, ours, paper, gap, outside: Math.abs(gap) > toleranceFor(tolerance, column) + 1e-9 },
      ];
    }),
  );
}

/** A terminal table: run, then ours / paper / gap for each level. */
export function formatPaperGaps(gaps: readonly PaperGap[]): string {
  const runs = [...new Set(gaps.map((g) => g.run))];
  const cell = (run: string, column: string) => gaps.find((g) => g.run === run && g.column === column);
  const rows = runs.map((run) => [
    run,
    ...LEVELS.flatMap((column) => {
      const g = cell(run, column);
      return g ? [g.ours.toFixed(2), g.paper.toFixed(2), `${signed(g.gap)}${g.outside ? ' *' : '  '}`] : ['', '', ''];
    }),
  ]);
  const header = ['run', 'accuracy', 'paper', 'gap', 'robustness', 'paper', 'gap'];
  return `levels, ours beside the paper's ImageNet numbers (informational: another dataset and model):\n\n${formatTable(header, rows)}\n(* = outside the tolerance)`;
}
