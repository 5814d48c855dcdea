import { UserError } from '../../util/errors';
import type { ExperimentRun, Preset } from './types';

/** One unit of work: a run of the experiment trained with one seed. Shards split these. */
export interface Unit {
  run: ExperimentRun;
  seed: number;
}

/** `i/n`, 1-based: the i-th of n shards. */
export interface Shard {
  index: number;
  count: number;
}

export function unitName(unit: Unit): string {
  return `${unit.run.id} seed ${unit.seed}`;
}

export function shardName(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** Parses `--shard 2/3`; Slurm's 1-based `$SLURM_ARRAY_TASK_ID` fits as is, Kubernetes' 0-based index needs +1. */
export function parseShard(text: string, flag: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UserError(
      'bad-shard',
      `${flag}: expected i/n with 1 <= i <= n, got "${text}"`,
      `e.g. ${flag} 1/3 (with a Kubernetes indexed Job: ${flag} $((JOB_COMPLETION_INDEX + 1))/3)`,
    );
  }
  return { index, count };
}

/** Parses `--seeds 0,1,2` into distinct integers >= 0, in the given order. */
export function parseSeeds(text: string, flag: string): number[] {
  const seeds = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const bad = seeds.find((s) => !Number.isInteger(s) || s < 0);
  if (seeds.length === 0 || bad !== undefined || new Set(seeds).size !== seeds.length) {
    throw new UserError(
      'bad-seeds',
      `${flag}: expected distinct integers >= 0 separated by commas, got "${text}"`,
      `e.g. ${flag} 0,1,2`,
    );
  }
  return seeds;
}

/** The seeds to train: --seeds, else --seed, else the preset's default list, else seed 0. */
export function chooseSeeds(flags: { seed?: number; seeds?: string }, preset: Preset): number[] {
  if (flags.seeds !== undefined) return parseSeeds(flags.seeds, '--seeds');
  if (flags.seed !== undefined) return [flags.seed];
  return [...(preset.seeds ?? [0])];
}

/** Every (run, seed) in a fixed order (runs in config order, then seeds): the order shards are cut from. */
export function listUnits(runs: readonly ExperimentRun[], seeds: readonly number[]): Unit[] {
  return runs.flatMap((run) => seeds.map((seed) => ({ run, seed })));
}

/** Round-robin: unit k goes to shard (k mod n) + 1, so shards get near-equal shares of every run. */
export function shardUnits(units: readonly Unit[], shard: Shard | undefined): Unit[] {
  return shard ? units.filter((_, k) => k % shard.count === shard.index - 1) : [...units];
}

/** The evaluation examples [start, end) of an eval shard: contiguous, near-equal slices. */
export function evalShardRange(examples: number, shard: Shard): [number, number] {
  const cut = (i: number) => Math.floor((i * examples) / shard.count);
  return [cut(shard.index - 1), cut(shard.index)];
}
