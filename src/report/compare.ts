import { CsvError, parse } from 'csv-parse/sync';
import { UserError } from '../util/errors';

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

/** Rows keyed by their `run` cell; a CSV that does not parse is bad input naming the file (`name`) and line. */
export function rowsByRun(text: string, name: string): Map<string, Row> {
  let rows: Row[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true }) as Row[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    throw new UserError(
      'malformed-csv',
      `${name}${line !== undefined ? `:${line}` : ''}: not a valid CSV (${error.message})`,
      'repair or regenerate the file (sat-bench report rebuilds an experiment CSV from its finished runs)',
    );
  }
  if (rows.length > 0 && !('run' in rows[0]))
    throw new UserError(
      'malformed-csv',
      `${name}: no "run" column`,
      'compare experiment CSVs written by sat-bench run or report',
    );
  return new Map(rows.map((row) => [row.run, row]));
}

/** Allowed |difference| of numeric cells in points: per column, else the default. */
export interface Tolerances {
  default: number;
  columns: Readonly<Record<string, number>>;
}

export const toleranceFor = (t: Tolerances | number, column: string) =>
  typeof t === 'number' ? t : (t.columns[column] ?? t.default);

/**
 * Compares two experiment CSVs cell by cell, matching rows by `run`: numeric cells may differ by their column's
 * tolerance (in the CSV's unit, percentage points), text cells must be equal; `ignore` lists columns to skip.
 */
export function compareCsv(
  expectedText: string,
  actualText: string,
  options: { tolerance: Tolerances | number; ignore: readonly string[]; names?: { expected: string; actual: string } },
): CsvComparison {
  const expected = rowsByRun(expectedText, options.names?.expected ?? 'expected');
  const actual = rowsByRun(actualText, options.names?.actual ?? 'actual');
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
    lines.push(
      `${d.run} ${d.column}: ${names.expected} ${d.expected}, ${names.actual} ${d.actual}${d.gap !== undefined ? ` (off by ${d.gap.toFixed(2)})` : ''}`,
    );
  }
  for (const run of c.missingRuns) lines.push(`${run}: missing from ${names.actual}`);
  for (const run of c.extraRuns) lines.push(`${run}: not in ${names.expected}`);
  for (const column of c.missingColumns) lines.push(`column ${column}: missing from ${names.actual}`);
  return lines.join('\n');
}
