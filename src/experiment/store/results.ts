import * as path from 'node:path';
import { experimentCsv } from '../../report/csv';
import type { RunMetrics } from '../../report/records';
import type { Progress } from '../../util/progress';
import { configChangedError } from './run-store';
import { readManifest, readMetrics, seedDirectory, seedFile, seedFolders } from './seed-folder';
import { withReevaluatedAutoAttack } from './reevaluated-autoattack';
import type { ExperimentConfig } from '../config/types';
import type { Unit } from '../config/units';

/** How `run` checks the store against the config it runs with; `report` and `merge` read it as it is. */
export interface StoreCheck {
  hashOf(unit: Unit): string;
  /** Leave out (with a warning) results of another config instead of refusing. */
  force: boolean;
  progress: Progress;
}

/**
 * Every finished (run, seed) of an experiment in the store, by run id in config order, seeds ascending. The CSV
 * and the reports are always rebuilt from these, never kept as running state.
 */
export function collectFinished(
  outDir: string,
  presetName: string,
  experiment: ExperimentConfig,
  check?: StoreCheck,
): Map<string, RunMetrics[]> {
  const finished = new Map<string, RunMetrics[]>();
  for (const run of experiment.runs) {
    const seeds: RunMetrics[] = [];
    for (const seed of seedFolders(path.join(outDir, presetName, experiment.id, run.id))) {
      const dir = seedDirectory(outDir, presetName, experiment.id, run.id, seed);
      const read = readMetrics(dir);
      if (!read) continue;
      // Metrics joined from eval shards (merge) do not carry the training cut; the unit's manifest does.
      const cut = read.trainingCut ?? readManifest(dir)?.trainingCut;
      // `eval <seed folder> --attack autoattack` on the run's own examples fills robustness_aa of a cheaper suite.
      const metrics = withReevaluatedAutoAttack(cut ? { ...read, trainingCut: cut } : read, dir);
      const hash = check?.hashOf({ run, seed });
      if (hash !== undefined && metrics.configHash !== hash) {
        if (!check!.force) throw configChangedError(seedFile(dir, 'metrics'), metrics.configHash, hash);
        check!.progress.log(`warning: ${dir}: made with another config, left out of the CSV (--force)`);
        continue;
      }
      seeds.push(metrics);
    }
    if (seeds.length > 0) finished.set(run.id, seeds);
  }
  return finished;
}

/** The experiment CSV (src/report/csv.ts): one row per run, seeds aggregated there. */
export function experimentCsvText(
  experiment: ExperimentConfig,
  finished: ReadonlyMap<string, RunMetrics[]>,
  failures?: ReadonlyMap<string, readonly string[]>,
): string {
  return experimentCsv(experiment, finished, failures);
}
