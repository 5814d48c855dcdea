import { parse } from 'csv-parse/sync';
import { baselineForRunId } from '../sweep-cells';
import type { CsvRow, ExperimentFiles, ExperimentInfo, ExperimentResults, SeedRecord } from '../records';

export type { CsvRow, ExperimentInfo, ExperimentResults, ResultsFolder, SeedRecord } from '../records';

/**
 * An experiment as the report shows it, from its CSV text and seed records (experiment/store/results-folder.ts
 * reads them): rows as plain cells, so columns added later show up; undefined when the CSV has no run rows.
 */
export function experimentResults(
  files: ExperimentFiles,
  known: (id: string) => ExperimentInfo | undefined,
): ExperimentResults | undefined {
  const rows = parse(files.csvText, { columns: true, skip_empty_lines: true }) as CsvRow[];
  if (rows.length === 0 || !('run' in rows[0])) return undefined;
  const info = known(files.id);
  // The baseline's name without a sweep point: each row's own is baselineForRunId(row.run, baseline).
  const named = (baseline: string) => rows.some((r) => r.run === baselineForRunId(r.run, baseline));
  const baseline = info && named(info.baseline) ? info.baseline : rows[0].run.split('@')[0];
  return {
    id: files.id,
    title: info?.title ?? files.id,
    baseline,
    columns: Object.keys(rows[0]),
    rows,
    seeds: files.seeds,
  };
}

/** The seed records of one run, seeds ascending. */
export function seedsOf(experiment: ExperimentResults, run: string): SeedRecord[] {
  return experiment.seeds.filter((s) => s.run === run).sort((a, b) => a.seed - b.seed);
}

/** The epoch (1-based) a run's seed collapsed at, as recorded by the overfitting guard; undefined if it did not. */
export function collapseEpoch(seed: SeedRecord): number | undefined {
  return seed.metrics?.overfit?.collapsedAtEpoch;
}

/** A CSV number, or undefined for an empty or non-numeric cell. */
export function cellNumber(row: CsvRow, column: string): number | undefined {
  const text = row[column];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
