import { PRESETS } from '../../../configs/presets';
import { SCHEDULE_FIELDS } from '../../train/schedule';
import { suggestName, UserError } from '../../util/errors';

type Kind = 'object' | 'array' | 'number' | 'string' | 'boolean' | 'null' | 'other';
type Obj = Record<string, unknown>;

const kindOf = (v: unknown): Kind =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'object'
        ? 'object'
        : ['number', 'string', 'boolean'].includes(typeof v)
          ? (typeof v as Kind)
          : 'other';
const show = (v: unknown) => (v === undefined ? 'nothing' : typeof v === 'function' ? 'a function' : JSON.stringify(v));
const WORDS: Record<Kind, string> = {
  object: 'an object',
  array: 'an array',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  null: 'null',
  other: 'a value',
};

/** The object variants an example set holds, told apart by their `kind` (schedules) or `name` (datasets). */
const DISCRIMINATORS = ['kind', 'name'];

/**
 * Compares a value's structure with examples of the same place in the built-in presets: the same kinds of value,
 * no unknown keys, no missing ones. Object variants (schedules, datasets) are matched on their `kind` or `name`;
 * schedules also by SCHEDULE_FIELDS, so kinds no built-in uses (`constant`, `oneCycle` on a cosine preset) work.
 * Names no example has are left to validatePreset, which knows every registry.
 */
function check(value: unknown, examples: readonly unknown[], path: string, out: string[]): void {
  if (examples.length === 0) return;
  const kinds = [...new Set(examples.map(kindOf))];
  const kind = kindOf(value);
  if (!kinds.includes(kind)) {
    out.push(`${path}: expected ${kinds.map((k) => WORDS[k]).join(' or ')}, got ${show(value)}`);
    return;
  }
  if (kind === 'array')
    return check(
      (value as unknown[])[0],
      examples.flatMap((e) => (Array.isArray(e) ? e : [])),
      `${path}[0]`,
      out,
    );
  if (kind !== 'object') return;
  const obj = value as Obj;
  let variants = examples.filter((e): e is Obj => kindOf(e) === 'object');
  for (const key of DISCRIMINATORS) {
    if (typeof obj[key] !== 'string' || !variants.every((v) => typeof v[key] === 'string')) continue;
    if (path === 'train.schedule') return checkSchedule(obj, variants, out);
    variants = variants.filter((v) => v[key] === obj[key]);
    if (variants.length === 0) return; // a name no built-in preset uses: validatePreset names it
  }
  const known = [...new Set(variants.flatMap(Object.keys))];
  for (const key of Object.keys(obj))
    if (!known.includes(key)) out.push(`${path ? `${path}.` : ''}${key}: unknown key; ${suggestName(key, known)}`);
  for (const key of known) {
    const child = variants.filter((v) => key in v).map((v) => v[key]);
    if (!(key in obj)) {
      if (child.length === variants.length)
        out.push(`${path ? `${path}.` : ''}${key}: missing (expected ${WORDS[kindOf(child[0])]})`);
      continue;
    }
    check(obj[key], child, path ? `${path}.${key}` : key, out);
  }
}

function checkSchedule(obj: Obj, examples: Obj[], out: string[]): void {
  const kinds = Object.keys(SCHEDULE_FIELDS);
  const kind = obj.kind as string;
  if (!kinds.includes(kind)) {
    out.push(`train.schedule.kind: unknown schedule "${kind}"; ${suggestName(kind, kinds)}`);
    return;
  }
  const fields: readonly string[] = SCHEDULE_FIELDS[kind as keyof typeof SCHEDULE_FIELDS];
  for (const key of Object.keys(obj))
    if (key !== 'kind' && !fields.includes(key))
      out.push(`train.schedule.${key}: unknown key for a ${kind} schedule; ${suggestName(key, fields)}`);
  for (const key of fields) {
    if (!(key in obj)) out.push(`train.schedule.${key}: missing (a ${kind} schedule needs ${fields.join(', ')})`);
    else
      check(
        obj[key],
        examples
          .filter((e) => key in e)
          .map((e) => e[key])
          .concat(key === 'milestones' ? [[0]] : [0]),
        `train.schedule.${key}`,
        out,
      );
  }
}

/** Every structural problem of a preset (from a file, or after --set), by dot-path; empty when it has the right shape. */
export function presetShapeProblems(value: unknown): string[] {
  const out: string[] = [];
  check(value, Object.values(PRESETS), '', out);
  return out;
}

/** Throws one UserError listing every structural problem, prefixed by `where` (the file or the preset name). */
export function checkPresetShape(value: unknown, where: string, fix: string): void {
  const problems = presetShapeProblems(value);
  if (problems.length > 0)
    throw new UserError(
      'invalid-config',
      `${where}: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`,
      fix,
    );
}
