export type { EvalShardRecord } from './seed-records';

type Typed = Uint8Array | Int32Array | Float32Array;
const TYPED = { Uint8Array, Int32Array, Float32Array } as const;

/** Typed arrays ↔ { typed, values }, recursively, so an EvalResult survives JSON. */
export function encodeTyped(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return { typed: value.constructor.name, values: Array.from(value as Typed) };
  if (Array.isArray(value)) return value.map(encodeTyped);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeTyped(v)]));
  return value;
}

export function decodeTyped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeTyped);
  if (value && typeof value === 'object') {
    const v = value as { typed?: keyof typeof TYPED; values?: number[] };
    if (v.typed && v.values && v.typed in TYPED) return TYPED[v.typed].from(v.values);
    return Object.fromEntries(Object.entries(value).map(([k, c]) => [k, decodeTyped(c)]));
  }
  return value;
}
