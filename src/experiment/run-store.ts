import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../util/atomic-write';
import { UserError } from '../util/errors';

/** Final numbers of one finished run: what the CSV is assembled from. Fractions in [0, 1]. */
export interface RunMetrics {
  experiment: string;
  run: string;
  preset: string;
  configHash: string;
  seed: number;
  backend: string;
  dataset: string;
  model: string;
  epsilon: number;
  evalSteps: number;
  evalExamples: number;
  accuracy: number;
  robustness: number;
  trainSteps: number;
  trainSeconds: number;
  trainImagesPerSecond: number;
  evalSeconds: number;
}

/** `<out>/<preset>/<experiment>/<run>/`: one folder per run. */
export function runDirectory(outDir: string, preset: string, experiment: string, run: string): string {
  return path.join(outDir, preset, experiment, run);
}

/** Hash of a JSON value with sorted keys, so key order never changes it. */
export function configHash(value: unknown): string {
  const stable = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => [k, stable(c)]))
      : Array.isArray(v) ? v.map(stable) : v;
  return createHash('sha256').update(JSON.stringify(stable(value))).digest('hex').slice(0, 16);
}

/**
 * The finished metrics of a run if they exist for this exact config; undefined if the run has not finished.
 * A finished run with another config is never silently reused or overwritten.
 */
export function readFinishedRun(dir: string, hash: string, options: { force: boolean }): RunMetrics | undefined {
  const file = path.join(dir, 'metrics.json');
  if (!fs.existsSync(file)) return undefined;
  let metrics: RunMetrics;
  try {
    metrics = JSON.parse(fs.readFileSync(file, 'utf8')) as RunMetrics;
  } catch (error) {
    throw new UserError('corrupt-metrics', `${file}: not valid JSON (${(error as Error).message})`, `delete ${dir} to rerun that run`);
  }
  if (metrics.configHash === hash) return metrics;
  if (options.force) return undefined;
  throw new UserError(
    'config-changed',
    `${file}: this run finished with another config (hash ${metrics.configHash}, now ${hash})`,
    `use another --out folder, or rerun with --force to replace it`,
  );
}

export function writeRunFiles(dir: string, files: { config: unknown; metrics: RunMetrics; log: unknown }): void {
  writeJsonAtomic(path.join(dir, 'config.json'), files.config);
  writeJsonAtomic(path.join(dir, 'train-log.json'), files.log);
  // Last: its presence marks the run finished.
  writeJsonAtomic(path.join(dir, 'metrics.json'), files.metrics);
}
