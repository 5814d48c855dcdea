/** A JSON value as configs hold it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);
const isObject = (value: unknown): value is { [key: string]: Json } =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Dot-paths of every leaf (number, string, boolean, and arrays, which --set parses whole) of a config object. */
export function leafPaths(value: Json, prefix = ''): string[] {
  if (!isObject(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, join(prefix, key)));
}

/** Dot-paths of every object and array of a config object (`train.schedule`, `dataset`), replaced whole. */
export function objectPaths(value: Json, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const here = prefix ? [prefix] : [];
  if (Array.isArray(value)) return here;
  return [...here, ...Object.entries(value).flatMap(([key, child]) => objectPaths(child, join(prefix, key)))];
}

/** Every path `--set` and `sweep` may name in a config: its leaves, then its objects and arrays. */
export function settablePaths(value: Json): string[] {
  return [...leafPaths(value), ...objectPaths(value)];
}

/** The value at a dot-path of an existing key. */
export function readPath(target: { [key: string]: Json }, path: string): Json {
  return path.split('.').reduce<Json>((node, part) => (node as { [key: string]: Json })[part], target);
}

/** Writes a value at a dot-path whose parents exist (settablePaths' keys): the one writer --set and sweeps share. */
export function writePath(target: { [key: string]: Json }, path: string, value: Json): void {
  const parts = path.split('.');
  const parent = parts.slice(0, -1).reduce((node, part) => node[part] as { [key: string]: Json }, target);
  parent[parts[parts.length - 1]] = value;
}
