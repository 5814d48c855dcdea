import { z } from 'zod';
import { suggestName } from '../../util/errors';

/** How a message quotes the value it got: JSON, except where JSON would mislead (NaN, functions, nothing). */
export const show = (v: unknown): string =>
  typeof v === 'function'
    ? 'a function'
    : v === undefined
      ? 'nothing'
      : typeof v === 'number'
        ? String(v)
        : JSON.stringify(v);

export interface Range {
  min?: number;
  max?: number;
  integer?: boolean;
  /** `min` itself is out of range (a width or a learning rate of 0 means nothing). */
  exclusiveMin?: boolean;
}

/** `an integer >= 1`, `a number > 0 and <= 8`: what a range asks for, in the words the messages use. */
export function describeRange(range: Range): string {
  const low = range.min === undefined ? '' : ` ${range.exclusiveMin ? '>' : '>='} ${range.min}`;
  const high = range.max === undefined ? '' : ` and <= ${range.max}`;
  return `${range.integer ? 'an integer' : 'a number'}${low}${high}`;
}

const inRange = (v: number, range: Range) =>
  (!range.integer || Number.isInteger(v)) &&
  (range.min === undefined || (range.exclusiveMin ? v > range.min : v >= range.min)) &&
  (range.max === undefined || v <= range.max);

/**
 * A finite number in a range, refused with one message naming the whole range (not one issue per bound);
 * `notANumber` may word the refusal of anything else (a missing field) its own way.
 */
export const bounded = (range: Range, notANumber?: (issue: { input?: unknown }) => string | undefined) =>
  z.number({ error: notANumber }).refine((v) => inRange(v, range), {
    error: (issue) => `expected ${describeRange(range)}, got ${show(issue.input)}`,
  });

/**
 * One of a registry's names (datasets, models, suites, ...): an enum of its keys, so the schema has no second list,
 * and a misspelt name is answered with the closest one.
 */
export function registryName<K extends string>(registry: Readonly<Record<K, unknown>>, what: string) {
  const names = Object.keys(registry) as [K, ...K[]];
  return z.enum(names, { error: (issue) => unknownName(issue.input, names, what) });
}

function unknownName(got: unknown, names: readonly string[], what: string): string {
  return typeof got === 'string'
    ? `unknown ${what} "${got}"; ${suggestName(got, names)}`
    : `expected the name of a ${what}, got ${show(got)}; known: ${names.join(', ')}`;
}

/**
 * The error of a union told apart by a name field (`dataset.name`, `train.schedule.kind`): an unknown name gets the
 * registry's names with the closest one; anything else (not an object) falls through to the house message.
 */
export function variantError(field: string, names: readonly string[], what: string) {
  return (issue: { code: string; input?: unknown; note?: string }): string | undefined => {
    if (issue.code !== 'invalid_union' || issue.note !== 'No matching discriminator') return undefined;
    const input = issue.input;
    const got = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[field] : input;
    return unknownName(got, names, what);
  };
}

/** The error of an object, record or array given something else; its own issues (unknown keys) keep house text. */
export const notA =
  (what: string) =>
  (issue: { code: string; input?: unknown }): string | undefined =>
    issue.code === 'invalid_type' ? `expected ${what}, got ${show(issue.input)}` : undefined;

/** A list that must hold something: anything else, or an empty one, is answered with what it should be. */
export const nonEmptyList = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: notA(what) }).min(1, { error: (issue) => `expected ${what}, got ${show(issue.input)}` });

/** Each way round assignable: how a schema is held to the documented interface it checks. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
