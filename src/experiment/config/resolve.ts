import * as path from 'node:path';
import { suggestName, UserError } from '../../util/errors';
import { isConfigPath, loadConfigFile } from './config-file';
import { applyOverrides } from './overrides';
import { prepareExperiment } from './prepare';
import { EXPERIMENTS, PRESET_NAMES, presetByName } from './registry';
import type { ExperimentConfig, Preset } from './types';
import { validatePreset } from './validate';

export interface ResolvedPreset {
  /** The results folder's name: the built-in's name, or the file's name without its extension. */
  name: string;
  preset: Preset;
  /** The preset as named, before --set: what a run that --set shortens is measured against. */
  base: Preset;
  /** `preset smoke` or the file as given: how errors name it. */
  where: string;
}

/** A built-in experiment by name, or an experiment file (TS/JS) checked like the built-ins, every problem named. */
export async function resolveExperiment(arg: string): Promise<ExperimentConfig> {
  if (Object.prototype.hasOwnProperty.call(EXPERIMENTS, arg))
    return prepareExperiment(EXPERIMENTS[arg as keyof typeof EXPERIMENTS], `experiment ${arg}`);
  if (!isConfigPath(arg)) {
    throw new UserError(
      'unknown-experiment',
      `unknown experiment "${arg}"`,
      `${suggestName(arg, Object.keys(EXPERIMENTS))} Or give the path of an experiment file, e.g. ./my-ablation.ts`,
    );
  }
  return prepareExperiment(await loadConfigFile(arg, 'experiment'), arg);
}

/**
 * A built-in preset by name or a preset file, checked against the preset schema, then with the --set overrides
 * applied and checked again (every problem by dot-path).
 */
export async function resolvePreset(arg: string, assignments: readonly string[]): Promise<ResolvedPreset> {
  const isBuiltin = PRESET_NAMES.includes(arg);
  if (!isBuiltin && !isConfigPath(arg)) {
    throw new UserError(
      'unknown-preset',
      `--preset: unknown preset "${arg}"`,
      `${suggestName(arg, PRESET_NAMES)} Or give the path of a preset file, e.g. ./my-preset.ts`,
    );
  }
  const loaded = isBuiltin ? presetByName(arg) : await loadConfigFile(arg, 'preset');
  const where = isBuiltin ? `preset ${arg}` : arg;
  const fix = `correct the listed values (in ${isBuiltin ? 'configs/presets.ts' : arg}${assignments.length ? ' or your --set overrides' : ''})`;
  const base = validatePreset(loaded, where, fix);
  const preset =
    assignments.length > 0 ? validatePreset(applyOverrides(base, assignments), `${where} with --set`, fix) : base;
  return { name: presetFolderName(arg), preset, base, where };
}

/** The results folder of a preset: its name, or a preset file's name without folder and extension. */
export function presetFolderName(arg: string): string {
  return isConfigPath(arg) ? path.basename(arg).replace(/\.[^.]+$/, '') : arg;
}
