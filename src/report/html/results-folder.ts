import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Manifest, RunMetrics } from '../records';
import type { EpochLog, SegmentLog } from '../../train/train-position';

/** One CSV row as written: column name → cell text. */
export type CsvRow = Record<string, string>;

/** What one `<experiment>/<run>/seed-<k>/` folder holds, each file read as plain JSON (absent or unreadable: undefined). */
export interface SeedRecord {
  run: string;
  seed: number;
  dir: string;
  metrics?: RunMetrics;
  manifest?: Manifest;
  trainLog?: EpochLog[];
  /** The within-epoch log (train-steps.json; absent in folders from before it existed). */
  trainSteps?: SegmentLog[];
}

/** What the registry knows of an experiment id; the report works without it (first row as baseline, id as title). */
export interface ExperimentInfo {
  title: string;
  baseline: string;
}

export interface ExperimentResults {
  id: string;
  title: string;
  baseline: string;
  columns: string[];
  rows: CsvRow[];
  seeds: SeedRecord[];
}

export interface ResultsFolder {
  presetDir: string;
  preset: string;
  experiments: ExperimentResults[];
}

function readJsonOrUndefined<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // the report shows what is there; a missing or half-copied file only leaves a gap
  }
}

/**
 * Every seed folder under `<presetDir>/<experiment>/`, named by the run and seed its manifest or metrics record
 * (so run ids need not be folder names), in folder order.
 */
function readSeeds(experimentDir: string): SeedRecord[] {
  if (!fs.existsSync(experimentDir)) return [];
  return fs
    .readdirSync(experimentDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((runDir) =>
      fs
        .readdirSync(path.join(experimentDir, runDir.name))
        .filter((name) => /^seed-\d+$/.test(name))
        .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
        .flatMap((seedName) => {
          const dir = path.join(experimentDir, runDir.name, seedName);
          const metrics = readJsonOrUndefined<RunMetrics>(path.join(dir, 'metrics.json'));
          const manifest = readJsonOrUndefined<Manifest>(path.join(dir, 'manifest.json'));
          const trainLog = readJsonOrUndefined<EpochLog[]>(path.join(dir, 'train-log.json'));
          const trainSteps = readJsonOrUndefined<SegmentLog[]>(path.join(dir, 'train-steps.json'));
          if (!metrics && !manifest && !trainLog) return [];
          const run = metrics?.run ?? manifest?.run ?? runDir.name;
          return [
            {
              run,
              seed: metrics?.seed ?? manifest?.seed ?? Number(seedName.slice(5)),
              dir,
              metrics,
              manifest,
              trainLog: Array.isArray(trainLog) ? trainLog : undefined,
              trainSteps: Array.isArray(trainSteps) ? trainSteps : undefined,
            },
          ];
        }),
    );
}

/**
 * The experiments of one preset folder: every `<id>.csv` beside an `<id>/` folder of runs, in `order` first (the
 * registry's order), then alphabetically. Rows and JSON are read as plain data, so columns added later show up.
 */
export function readResultsFolder(
  presetDir: string,
  known: (id: string) => ExperimentInfo | undefined,
  order: readonly string[] = [],
): ResultsFolder {
  const ids = fs.existsSync(presetDir)
    ? fs
        .readdirSync(presetDir)
        .filter((f) => f.endsWith('.csv'))
        .map((f) => f.slice(0, -4))
        .filter((id) => fs.existsSync(path.join(presetDir, id)))
    : [];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  ids.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const experiments = ids.flatMap((id) => {
    const text = fs.readFileSync(path.join(presetDir, `${id}.csv`), 'utf8');
    const rows = parse(text, { columns: true, skip_empty_lines: true }) as CsvRow[];
    if (rows.length === 0 || !('run' in rows[0])) return [];
    const info = known(id);
    const baseline = info && rows.some((r) => r.run === info.baseline) ? info.baseline : rows[0].run;
    return [
      {
        id,
        title: info?.title ?? id,
        baseline,
        columns: Object.keys(rows[0]),
        rows,
        seeds: readSeeds(path.join(presetDir, id)),
      },
    ];
  });
  return { presetDir, preset: path.basename(presetDir), experiments };
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
