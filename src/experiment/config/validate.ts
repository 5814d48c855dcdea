import { invalidConfig, schemaProblems } from './format-issues';
import { presetSchema } from './preset-schema';
import type { Preset } from './types';

/** Every problem of a preset (built-in, from a file, after --set, or at a sweep point) by dot-path; empty when valid. */
export function presetProblems(value: unknown): string[] {
  return schemaProblems(presetSchema, value);
}

/**
 * Checks a preset against the schema and throws one UserError listing every problem, prefixed by `where` (the
 * preset's name or file). Returns the value itself: nothing is added or reordered, so its config hash is its own.
 */
export function validatePreset(
  value: unknown,
  where: string,
  fix = 'correct the listed values (in configs/presets.ts or your --set overrides)',
): Preset {
  const problems = presetProblems(value);
  if (problems.length > 0) throw invalidConfig(where, problems, fix);
  return value as Preset;
}
