import { parse } from 'csv-parse/sync';

export interface CellDifference {
  run: string;
  column: string;
  expected: string;
  actual: string;
  /** |difference| for numeric cells. */
  gap?: number;
}

export interface CsvComparison {
  differences: CellDifference[];
  missingRuns: string[];
  extraRuns: string[];
  missingColumns: string[];
}

type Row = Record<string, string>;

export function rowsByRun(text: string, name: string): Map<string, Row> {
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Row[];
  if (rows.length > 0 && !('run' in rows[0])) throw new Error(`${name}: no "run" column`);
  return new Map(rows.map((row) => [row.run, row]));
}

/** Allowed |difference| of numeric cells in points: per column, else the default. */
export interface Tolerances {
  default: number;
  columns: Readonly<Record<string, number>>;
}

export const toleranceFor = (t: Tolerances | number, column: string) => (typeof t === 'number' ? t : t.columns[column] ?? t.default);

/**
 * Compares two experiment CSVs cell by cell, matching rows by `run`: numeric cells may differ by their column's
 * tolerance (in the CSV's unit, percentage points), text cells must be equal; `ignore` lists columns to skip.
 */
export function compareCsv(expectedText: string, actualText: string, options: { tolerance: Tolerances | number; ignore: readonly string[] }): CsvComparison {
  const expected = rowsByRun(expectedText, 'expected');
  const actual = rowsByRun(actualText, 'actual');
  const result: CsvComparison = { differences: [], missingRuns: [], extraRuns: [], missingColumns: [] };
  const firstExpected = expected.values().next().value as Row | undefined;
  const firstActual = actual.values().next().value as Row | undefined;
  const columns = Object.keys(firstExpected ?? {}).filter((c) => c !== 'run' && !options.ignore.includes(c));
  if (firstActual) result.missingColumns = columns.filter((c) => !(c in firstActual));
  for (const [run, row] of expected) {
    const other = actual.get(run);
    if (!other) {
      result.missingRuns.push(run);
      continue;
    }
    for (const column of columns) {
      if (!(column in other)) continue;
      const [a, b] = [row[column], other[column]];
      const [x, y] = [Number(a), Number(b)];
      const numeric = a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y);
      if (numeric ? Math.abs(x - y) > toleranceFor(options.tolerance, column) + 1e-9 : a !== b) {
        result.differences.push({ run, column, expected: a, actual: b, ...(numeric ? { gap: Math.abs(x - y) } : {}) });
      }
    }
  }
  result.extraRuns = [...actual.keys()].filter((run) => !expected.has(run));
  return result;
}

export function comparisonIsClean(c: CsvComparison): boolean {
  return c.differences.length + c.missingRuns.length + c.extraRuns.length + c.missingColumns.length === 0;
}

export function formatComparison(c: CsvComparison, names: { expected: string; actual: string }): string {
  const lines: string[] = [];
  for (const d of c.differences) {
    lines.push(`${d.run} ${d.column}: ${names.expected} ${d.expected}, ${names.actual} ${d.actual}${d.gap !== undefined ? ` (off by ${d.gap.toFixed(2)})` : ''}`);
  }
  for (const run of c.missingRuns) lines.push(`${run}: missing from ${names.actual}`);
  for (const run of c.extraRuns) lines.push(`${run}: not in ${names.expected}`);
  for (const column of c.missingColumns) lines.push(`column ${column}: missing from ${names.actual}`);
  return lines.join('\n');
}
