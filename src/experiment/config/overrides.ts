import { suggestName, UserError } from '../../util/errors';
import { readPath, settablePaths, writePath, type Json } from './dot-paths';
import type { Preset } from './types';

/** A whole object or array from JSON; its contents are checked with the rest of the preset afterwards. */
function parseJson(existing: Json, text: string, key: string): Json {
  try {
    const value = JSON.parse(text) as Json;
    if (Array.isArray(value) === Array.isArray(existing) && value !== null && typeof value === 'object') return value;
  } catch {
    // reported below with the expected form
  }
  const example = JSON.stringify(existing);
  throw new UserError(
    'bad-override',
    `--set ${key}=${text}: ${key} is ${Array.isArray(existing) ? 'an array' : 'an object'}, expected it as JSON, got "${text}"`,
    `quote it for the shell: --set '${key}=${example}'`,
  );
}

function parseLike(existing: Json, text: string, key: string): Json {
  if (typeof existing === 'number') {
    // Accept fractions such as 8/255, the unit configs use for ε.
    const fraction = /^\s*(-?[\d.e+-]+)\s*\/\s*([\d.e+-]+)\s*$/.exec(text);
    const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new UserError(
        'bad-override',
        `--set ${key}=${text}: expected a number, got "${text}"`,
        `give a number, e.g. --set ${key}=${existing}`,
      );
    }
    return value;
  }
  if (typeof existing === 'boolean') {
    if (text !== 'true' && text !== 'false') {
      throw new UserError(
        'bad-override',
        `--set ${key}=${text}: expected true or false, got "${text}"`,
        `use --set ${key}=true or --set ${key}=false`,
      );
    }
    return text === 'true';
  }
  return text;
}

/**
 * Applies `key=value` overrides to a copy of the preset: a leaf parsed like its current value, an object or array
 * replaced whole from JSON (`train.schedule={"kind":"oneCycle",...}`). Unknown keys and ill-typed values are
 * UserErrors; the result is then checked against the preset schema (resolve.ts).
 */
export function applyOverrides(preset: Preset, assignments: readonly string[]): Preset {
  const copy = structuredClone(preset) as unknown as { [key: string]: Json };
  const keys = settablePaths(copy);
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new UserError(
        'bad-override',
        `--set ${assignment}: expected key=value, got "${assignment}"`,
        'write it as --set train.epochs=1',
      );
    }
    const key = assignment.slice(0, eq).trim();
    if (!keys.includes(key)) {
      throw new UserError('unknown-override-key', `--set ${assignment}: unknown key "${key}"`, suggestName(key, keys));
    }
    const existing = readPath(copy, key);
    const text = assignment.slice(eq + 1);
    writePath(
      copy,
      key,
      existing !== null && typeof existing === 'object'
        ? parseJson(existing, text, key)
        : parseLike(existing, text, key),
    );
  }
  return copy as unknown as Preset;
}
