import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../../util/atomic-write';
import type { TrainPosition } from '../../train/train-position';
import { readJson } from './run-store';
import type { Shard } from '../config/units';

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

export function evalShardPath(seedDir: string, shard: Shard): string {
  return path.join(seedDir, `eval-shard-${shard.index}-of-${shard.count}.json`);
}

export function readEvalShard(seedDir: string, shard: Shard): EvalShardRecord | undefined {
  const file = evalShardPath(seedDir, shard);
  return fs.existsSync(file) ? readJson<EvalShardRecord>(file, 'eval shard file') : undefined;
}

export function writeEvalShard(seedDir: string, record: EvalShardRecord): void {
  writeJsonAtomic(evalShardPath(seedDir, record.shard), record);
}

type Typed = Uint8Array | Int32Array | Float32Array;
const TYPED = { Uint8Array, Int32Array, Float32Array } as const;

/** Typed arrays ↔ { typed, values }, recursively, so an EvalResult survives JSON. */
export function encodeTyped(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return { typed: value.constructor.name, values: Array.from(value as Typed) };
  if (Array.isArray(value)) return value.map(encodeTyped);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeTyped(v)]));
  return value;
}

export function decodeTyped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeTyped);
  if (value && typeof value === 'object') {
    const v = value as { typed?: keyof typeof TYPED; values?: number[] };
    if (v.typed && v.values && v.typed in TYPED) return TYPED[v.typed].from(v.values);
    return Object.fromEntries(Object.entries(value).map(([k, c]) => [k, decodeTyped(c)]));
  }
  return value;
}
