/** One run's line in a report: our mean over seeds beside the paper's number. Percent (0–100). */
export interface ReportRow {
  id: string;
  label: string;
  accuracy: number;
  robustness: number;
  /** Sample standard deviation over seeds (n − 1, src/eval/statistics.ts `describe`); 0 with one seed. */
  accuracySpread: number;
  robustnessSpread: number;
  seeds: number;
  /** Absent for runs the paper has not (experiment files): their paper cells stay empty. */
  paper?: { accuracy: number; robustness: number };
}

export const REPORT_COLUMNS = ['run', 'accuracy (ours)', 'accuracy (paper)', 'robustness (ours)', 'robustness (paper)', 'seeds'];

const withSpread = (value: number, spread: number, seeds: number) => (seeds > 1 ? `${value.toFixed(2)} ± ${spread.toFixed(2)}` : value.toFixed(2));

/** The cells of a report row, in REPORT_COLUMNS order. */
export function reportCells(row: ReportRow): string[] {
  return [
    row.id,
    withSpread(row.accuracy, row.accuracySpread, row.seeds),
    row.paper?.accuracy.toFixed(2) ?? '',
    withSpread(row.robustness, row.robustnessSpread, row.seeds),
    row.paper?.robustness.toFixed(2) ?? '',
    String(row.seeds),
  ];
}

/** A plain-text table for the terminal: columns padded to their widest cell, numbers right-aligned. */
export function formatTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
