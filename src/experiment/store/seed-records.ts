import type { FailureCode, FailureNumbers } from '../../train/epoch-checks';
import type { TrainPosition } from '../../train/train-position';
import type { Shard } from '../config/units';

// The records only the store reads back (the report's records are in src/report/records.ts). Kept apart from
// seed-folder.ts, which reads and writes them, so the modules that build them need not import each other.

/**
 * A (run, seed) whose training stopped for good (a collapse to chance, a NaN loss): a result, recorded in
 * `<seed dir>/failed.json` (seed-folder.ts) so that the CSV and the reports say so and a rerun does not train it again unless
 * `--retry-failed`.
 */
export interface FailedUnit {
  experiment: string;
  run: string;
  seed: number;
  configHash: string;
  code: FailureCode;
  message: string;
  numbers: FailureNumbers;
}

/**
 * One eval shard's result: the evaluation of examples [range) of a (run, seed), with the training it came from.
 * `merge` joins the shards back into the unsharded evaluation (random starts are seeded per example), field by field
 * as merge-eval-results.ts names them.
 */
export interface EvalShardRecord {
  configHash: string;
  run: string;
  seed: number;
  shard: Shard;
  range: [number, number];
  backend: string;
  dataset: string;
  position: TrainPosition;
  trainImagesPerSecond: number;
  evalSeconds: number;
  /** The EvalResult with typed arrays as { typed, values } (JSON has no typed arrays). */
  result: unknown;
}
