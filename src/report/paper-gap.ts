import { rowsByRun, toleranceFor, type Tolerances } from './compare';
import { formatTable } from './table';

/** Ours minus the paper's, per run, in points (the CSV's accuracy / robustness beside paper_accuracy / paper_robustness). */
export interface PaperGap {
  run: string;
  column: 'accuracy' | 'robustness';
  ours: number;
  paper: number;
  gap: number;
  /** |gap| above the column's tolerance. */
  outside: boolean;
}

const COLUMNS = ['accuracy', 'robustness'] as const;

/** The gap of every run's accuracy and robustness to the paper's; rows without paper numbers are skipped. */
export function paperGaps(csvText: string, tolerance: Tolerances | number, name = 'csv'): PaperGap[] {
  return [...rowsByRun(csvText, name).values()].flatMap((row) =>
    COLUMNS.flatMap((column) => {
      const [ours, paper] = [Number(row[column]), Number(row[`paper_${column}`])];
      if (row[column] === undefined || row[`paper_${column}`] === undefined || !Number.isFinite(ours) || !Number.isFinite(paper)) return [];
      const gap = ours - paper;
      return [{ run: row.run, column, ours, paper, gap, outside: Math.abs(gap) > toleranceFor(tolerance, column) + 1e-9 }];
    }),
  );
}

/** A terminal table: run, then ours / paper / gap for each column. */
export function formatPaperGaps(gaps: readonly PaperGap[]): string {
  const runs = [...new Set(gaps.map((g) => g.run))];
  const cell = (run: string, column: string) => gaps.find((g) => g.run === run && g.column === column);
  const rows = runs.map((run) => [
    run,
    ...COLUMNS.flatMap((column) => {
      const g = cell(run, column);
      return g ? [g.ours.toFixed(2), g.paper.toFixed(2), `${g.gap >= 0 ? '+' : ''}${g.gap.toFixed(2)}${g.outside ? ' *' : ''}`] : ['', '', ''];
    }),
  ]);
  const header = ['run', 'accuracy', 'paper', 'gap', 'robustness', 'paper', 'gap'];
  return `${formatTable(header, rows)}\n(* = outside the tolerance)`;
}
