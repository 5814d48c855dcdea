import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write';
import { BEST_CHECKPOINT, CHECKPOINT, type CheckpointIndex } from './checkpoint';
import { readCheckpointFiles, removeCheckpointFiles, writeCheckpointFiles } from './checkpoint-files';
import { configChangedError } from './run-store';
import {
  clearFailure,
  COPIED_WITH_TWIN,
  readManifest,
  readMetrics,
  readMetricsIfIntact,
  seedFile,
  seedFolderName,
  writeManifest,
  writeMetrics,
  writeUnitConfig,
} from './seed-folder';
import type { ExperimentRun } from '../config/types';

/**
 * Units with equal config hashes compute the same numbers: the hash covers everything that changes them, and every
 * random draw derives from the seed, never from a run's or an experiment's name. So Figure 3's `relu` is Table 1's
 * `relu-relu`, and a sweep point at the preset's own value is the unswept run. A unit about to train first looks for
 * such a twin, finished in the same preset folder, and copies it instead (`run --no-reuse` trains it anyway).
 */

/** Folder names in `dir`, sorted (readdir's order depends on the filesystem; the first twin found must not). */
function folders(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** `<presetDir>/<experiment>/<run>/seed-<seed>/` finished with config `hash`, other than `self`; the first by name. */
export function findFinishedTwin(presetDir: string, seed: number, hash: string, self: string): string | undefined {
  for (const experiment of folders(presetDir)) {
    for (const run of folders(path.join(presetDir, experiment))) {
      const dir = path.join(presetDir, experiment, run, seedFolderName(seed));
      // Unreadable metrics there are another unit's damage, not this run's error: not a twin.
      if (path.resolve(dir) !== path.resolve(self) && readMetricsIfIntact(dir)?.configHash === hash) return dir;
    }
  }
  return undefined;
}

export interface TwinTarget {
  experiment: string;
  run: ExperimentRun;
  configHash: string;
  /** The unit's config.json, as `run` writes it for the units it trains. */
  config: unknown;
  /** Replace a checkpoint of another config in the target folder (else that is the usual config-changed error). */
  force: boolean;
}

/**
 * Makes `to` a finished copy of `from` under the target's experiment and run names: checkpoints (so `eval` works on
 * it), training log, per-example results, a manifest that names the source (`copiedFrom`), and metrics.json last,
 * whose presence marks the unit finished. Every file is written atomically, so a crash leaves it unfinished, never torn.
 */
export function copyFinishedTwin(from: string, to: string, target: TwinTarget): void {
  // The project's reader: the twin's metrics are this unit's result, so damage there is the usual corrupt-results error.
  const metrics = readMetrics(from);
  if (!metrics) throw new Error(`${from}: its metrics.json disappeared while being copied`);
  const stale = readCheckpointFiles<CheckpointIndex>(to, CHECKPOINT)?.index.configHash;
  if (stale !== undefined && stale !== target.configHash && !target.force)
    throw configChangedError(path.join(to, CHECKPOINT), stale, target.configHash);
  fs.mkdirSync(to, { recursive: true });
  clearFailure(to);
  writeUnitConfig(to, target.config);
  for (const name of [CHECKPOINT, BEST_CHECKPOINT]) {
    const files = readCheckpointFiles<CheckpointIndex>(from, name);
    if (files)
      writeCheckpointFiles(to, name, {
        index: { ...files.index, experiment: target.experiment, run: target.run },
        values: files.values,
      });
    else removeCheckpointFiles(to, name);
  }
  for (const file of COPIED_WITH_TWIN) {
    if (fs.existsSync(seedFile(from, file))) writeFileAtomic(seedFile(to, file), fs.readFileSync(seedFile(from, file)));
  }
  const manifest = readManifest(from);
  if (manifest)
    writeManifest(to, {
      ...manifest,
      experiment: target.experiment,
      run: target.run.id,
      copiedFrom: path.relative(to, from),
    });
  writeMetrics(to, { ...metrics, experiment: target.experiment, run: target.run.id });
}
