import { suggestName, UserError } from '../../util/errors';
import { configHash, type UnitConfig } from '../config/config-hash';
import { customActivationSource } from '../config/run-activations';
import { checkSweep, expandSweep, presetForRun } from '../config/sweep';
import type { ExperimentConfig, ExperimentRun, Preset } from '../config/types';
import { listUnits, shardUnits, type Shard, type Unit } from '../config/units';
import { validatePreset } from '../config/validate';

/** Which (run, seed) units of an experiment a command asks for. */
export interface UnitSelection {
  /** Run ids (default: all). */
  runs?: readonly string[];
  /** Each selected run is trained once per seed. */
  seeds: readonly number[];
  /** This machine's share of the units. */
  shard?: Shard;
  /** Enters each unit's config: a run stopped after fewer steps is a different result. */
  maxSteps: number;
}

/** The experiment with its sweeps expanded, the units selected, and what each unit computes. */
export interface ExperimentPlan {
  experiment: ExperimentConfig;
  /** Every selected unit, all shards together (the plan file lists them). */
  units: Unit[];
  /** This shard's units. */
  mine: Unit[];
  presetOf(unit: Unit): Preset;
  configOf(unit: Unit): UnitConfig;
  hashOf(unit: Unit): string;
}

function selectRuns(experiment: ExperimentConfig, ids: readonly string[] | undefined): ExperimentRun[] {
  if (!ids || ids.length === 0) return experiment.runs;
  // A swept run is selected by its own id or by the id it was expanded from (all its sweep points).
  const idsOf = (r: ExperimentRun) => [r.id, ...(r.sweepPoint ? [r.sweepPoint.baseId] : [])];
  const known = [...new Set(experiment.runs.flatMap(idsOf))];
  for (const id of ids) {
    if (!known.includes(id))
      throw new UserError('unknown-run', `--runs: ${experiment.id} has no run "${id}"`, suggestName(id, known));
  }
  return experiment.runs.filter((r) => idsOf(r).some((id) => ids.includes(id)));
}

/**
 * Checks the preset against a prepared experiment, expands its sweeps and lists the selected units with their config
 * hashes. Reads and writes nothing, so a bad --runs or sweep fails before the results folder is touched.
 */
export function planExperiment(
  prepared: ExperimentConfig,
  preset: { name: string; preset: Preset },
  selection: UnitSelection,
): ExperimentPlan {
  validatePreset(preset.preset, `preset ${preset.name}`);
  checkSweep(prepared, preset.preset, `experiment ${prepared.id}`);
  const experiment = expandSweep(prepared);
  const units = listUnits(selectRuns(experiment, selection.runs), selection.seeds);
  const presetOf = (unit: Unit) => presetForRun(preset.preset, unit.run);
  // What a (run, seed) computes: config/config-hash.ts leaves out prose (description, expectedWallTime) and the default
  // seed list (a unit trains the same whichever list it came from), so editing them keeps finished results valid.
  const configOf = (unit: Unit): UnitConfig => ({
    preset: presetOf(unit),
    run: unit.run,
    seed: unit.seed,
    maxSteps: selection.maxSteps,
  });
  const hashOf = (unit: Unit) => configHash(configOf(unit), customActivationSource(unit.run, experiment));
  return { experiment, units, mine: shardUnits(units, selection.shard), presetOf, configOf, hashOf };
}
