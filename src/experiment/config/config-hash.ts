import { createHash } from 'node:crypto';
import type { ExperimentRun, Preset } from './types';

/** What one (run, seed) was made with: written to config.json in full, hashed in part (see numbersOf). */
export interface UnitConfig {
  preset: Preset;
  run: ExperimentRun;
  seed: number;
  maxSteps: number;
}

/**
 * Preset keys that are prose: what `list` prints about a preset, never read by training or evaluation. Every other
 * key (present or added later) is hashed, so a new numeric field can never slip past the guard.
 */
const PRESET_PROSE_KEYS: ReadonlySet<string> = new Set(['description', 'expectedWallTime']);

/** Code-unit order (what `<` does on strings): the same on every machine, unlike localeCompare. */
const byCodeUnit = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/** A JSON value with every object's keys sorted by code unit, so key order in a config never changes its hash. */
export function canonicalJson(value: unknown): string {
  const stable = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .sort(byCodeUnit)
            .map(([k, c]) => [k, stable(c)]),
        )
      : Array.isArray(v)
        ? v.map(stable)
        : v;
  return JSON.stringify(stable(value));
}

/**
 * The part of a unit's config that changes its numbers: data, model, threat model, training recipe, evaluation
 * (the preset minus its prose), the run's activations (forward and each backward, with their settings), the seed
 * and the step limit. A run's id, label and paper numbers are left out: rewording them keeps finished results.
 * `activationSource` adds the code of activations defined in experiment files, so editing one invalidates its runs.
 */
export function numbersOf(config: UnitConfig, activationSource: Readonly<Record<string, string>> = {}): unknown {
  const preset = Object.fromEntries(Object.entries(config.preset).filter(([key]) => !PRESET_PROSE_KEYS.has(key)));
  const { forward, backward } = config.run;
  const custom = Object.keys(activationSource).length > 0 ? { customActivations: activationSource } : {};
  return { preset, activations: { forward, backward }, seed: config.seed, maxSteps: config.maxSteps, ...custom };
}

/** The guard's hash: 16 hex digits of SHA-256 over the canonical JSON of a unit's numbers. */
export function configHash(config: UnitConfig, activationSource?: Readonly<Record<string, string>>): string {
  return sha256Hex(canonicalJson(numbersOf(config, activationSource)));
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
