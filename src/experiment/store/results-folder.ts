import * as fs from 'node:fs';
import * as path from 'node:path';
import { experimentResults } from '../../report/html/results-folder';
import type { ExperimentInfo, ResultsFolder, SeedRecord } from '../../report/records';
import { experimentCsvPath } from './preset-folder';
import { readManifest, readMetricsIfIntact, readTrainLogs, seedFolders, seedFolderName } from './seed-folder';

/** Folder names in `dir`, sorted by name. */
function subfolders(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b));
}

/**
 * Every seed folder under `<presetDir>/<experiment>/` as a plain record, named by the run and seed its metrics or
 * manifest record (so run ids need not be folder names), in folder order. The report shows what is there: a
 * missing or half-copied file only leaves a gap.
 */
export function readSeedRecords(experimentDir: string): SeedRecord[] {
  if (!fs.existsSync(experimentDir)) return [];
  return subfolders(experimentDir).flatMap((runFolder) =>
    seedFolders(path.join(experimentDir, runFolder)).flatMap((folderSeed): SeedRecord[] => {
      const dir = path.join(experimentDir, runFolder, seedFolderName(folderSeed));
      const metrics = readMetricsIfIntact(dir);
      const manifest = readManifest(dir);
      const logs = readTrainLogs(dir);
      if (!metrics && !manifest && !logs.epochs) return [];
      return [
        {
          run: metrics?.run ?? manifest?.run ?? runFolder,
          seed: metrics?.seed ?? manifest?.seed ?? folderSeed,
          dir,
          metrics,
          manifest,
          trainLog: logs.epochs,
          trainSteps: logs.segments,
        },
      ];
    }),
  );
}

/**
 * The experiments of one preset folder, for the HTML report: every `<id>.csv` beside an `<id>/` folder of runs, in
 * `order` first (the registry's order), then alphabetically.
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
        .map((f) => f.slice(0, -'.csv'.length))
        .filter((id) => fs.existsSync(path.join(presetDir, id)))
    : [];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  ids.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const experiments = ids.flatMap((id) => {
    const csvText = fs.readFileSync(experimentCsvPath(presetDir, id), 'utf8');
    const results = experimentResults({ id, csvText, seeds: readSeedRecords(path.join(presetDir, id)) }, known);
    return results ? [results] : [];
  });
  return { presetDir, preset: path.basename(presetDir), experiments };
}
