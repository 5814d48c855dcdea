import { suggestName, UserError } from '../util/errors';
import type { Preset } from './types';
import { RENAMED_KEYS } from './validate';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Dot-paths of every leaf (number, string, boolean) of a preset: the keys --set accepts. */
export function overridableKeys(value: Json, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([key, child]) => overridableKeys(child, prefix ? `${prefix}.${key}` : key));
}

function parseLike(existing: Json, text: string, key: string): Json {
  if (typeof existing === 'number') {
    // Accept fractions such as 8/255, the unit configs use for ε.
    const fraction = /^\s*(-?[\d.e+-]+)\s*\/\s*([\d.e+-]+)\s*$/.exec(text);
    const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new UserError('bad-override', `--set ${key}=${text}: expected a number, got "${text}"`, `give a number, e.g. --set ${key}=${existing}`);
    }
    return value;
  }
  if (typeof existing === 'boolean') {
    if (text !== 'true' && text !== 'false') {
      throw new UserError('bad-override', `--set ${key}=${text}: expected true or false, got "${text}"`, `use --set ${key}=true or --set ${key}=false`);
    }
    return text === 'true';
  }
  return text;
}

/** Applies `key=value` overrides to a copy of the preset; unknown keys and ill-typed values are UserErrors. */
export function applyOverrides(preset: Preset, assignments: readonly string[]): Preset {
  const copy = structuredClone(preset) as unknown as { [key: string]: Json };
  const keys = overridableKeys(copy);
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new UserError('bad-override', `--set ${assignment}: expected key=value, got "${assignment}"`, 'write it as --set train.epochs=1');
    }
    const key = assignment.slice(0, eq).trim();
    if (!keys.includes(key) && RENAMED_KEYS[key]) {
      throw new UserError('renamed-override-key', `--set ${assignment}: "${key}" was renamed to ${RENAMED_KEYS[key].split(',')[0]}`, `use ${RENAMED_KEYS[key]}`);
    }
    if (!keys.includes(key)) {
      throw new UserError('unknown-override-key', `--set ${assignment}: unknown key "${key}"`, suggestName(key, keys));
    }
    const path = key.split('.');
    let node = copy;
    for (const part of path.slice(0, -1)) node = node[part] as { [key: string]: Json };
    const leaf = path[path.length - 1];
    node[leaf] = parseLike(node[leaf], assignment.slice(eq + 1), key);
  }
  return copy as unknown as Preset;
}
