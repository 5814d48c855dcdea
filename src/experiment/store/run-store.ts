import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunMetrics } from '../../report/records';
import { writeJsonAtomic } from '../../util/atomic-write';
import { UserError } from '../../util/errors';

/**
 * `<out>/<preset>/<experiment>/<run>/seed-<k>/`: one folder per (run, seed), holding config.json, manifest.json,
 * train-log.json, checkpoint/ (latest state), metrics.json (present = finished) and eval-shard files.
 */
export function seedDirectory(outDir: string, preset: string, experiment: string, run: string, seed: number): string {
  return path.join(outDir, preset, experiment, run, `seed-${seed}`);
}

/** The seeds with a folder under `<run dir>`, ascending. */
export function seedFolders(runDir: string): number[] {
  if (!fs.existsSync(runDir)) return [];
  return fs
    .readdirSync(runDir)
    .map((name) => /^seed-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new UserError(
      'corrupt-results',
      `${file}: not a valid ${what} (${(error as Error).message})`,
      `delete ${path.dirname(file)} to rerun it`,
    );
  }
}

export function readMetrics(seedDir: string): RunMetrics | undefined {
  const file = path.join(seedDir, 'metrics.json');
  return fs.existsSync(file) ? readJson<RunMetrics>(file, 'metrics file') : undefined;
}

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
  throw configChangedError(path.join(seedDir, 'metrics.json'), metrics.configHash, hash);
}

/** Last: the presence of metrics.json marks the (run, seed) finished. */
export function writeMetrics(seedDir: string, metrics: RunMetrics): void {
  writeJsonAtomic(path.join(seedDir, 'metrics.json'), metrics);
}
