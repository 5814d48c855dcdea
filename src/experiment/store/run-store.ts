import { UserError } from '../../util/errors';
import type { RunMetrics } from '../../report/records';
import { readMetrics, seedFile } from './seed-folder';

/** The error for results (metrics or a checkpoint) made with another config: never silently reused or replaced. */
export function configChangedError(file: string, found: string, now: string): UserError {
  return new UserError(
    'config-changed',
    `${file}: this run was made with another config (hash ${found}, now ${now})`,
    'use another --out folder, or add --force to the same command to replace it',
  );
}

/**
 * The finished metrics of a (run, seed) if they exist for this exact config; undefined if it has not finished
 * (or finished with another config and `force` says to replace it).
 */
export function readFinishedRun(seedDir: string, hash: string, options: { force: boolean }): RunMetrics | undefined {
  const metrics = readMetrics(seedDir);
  if (!metrics || metrics.configHash === hash) return metrics;
  if (options.force) return undefined;
  throw configChangedError(seedFile(seedDir, 'metrics'), metrics.configHash, hash);
}
