import type { DnnlBinding } from '../dnnl-binding';

/** One matrix product: out [m, n] = op(a) · op(b), a [m, k] (or [k, m] transposed), b [k, n] (or [n, k]). */
export interface ProductShape {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

/** Writes `out` from `a` and `b` as the kernel being replaced does (ORT's Gemm). */
export type ProductReference = (a: Float32Array, b: Float32Array, out: Float32Array) => void;

/**
 * BatchMatMul's single products on the addon's own loop (denseProduct), for shapes where it sums exactly as ORT's Gemm
 * does. MLAS packs B on every call, which is most of the time for the few rows Square scores per query: a [5, 3136]
 * by [3136, 200] head takes 0.10 ms here against 0.23–0.32 ms on ORT, a [2, 200] by [200, 200] one 4–7 µs against
 * 50–90 µs (one core, warm caches). The loop's order is MLAS's as measured, so each shape is checked once, on seeded
 * random values against ORT itself, and stays on ORT unless every bit agrees.
 */
export class OwnDenseProduct {
  /** Per shape: whether the own loop agreed with ORT. */
  private readonly verdicts = new Map<string, boolean>();

  /** `threads`: ORT's intra-op threads for these products (MLAS's block length depends on its column split). */
  constructor(
    private readonly native: DnnlBinding,
    private readonly threads: number,
  ) {}

  /** Computes `out` on the own loop and returns true, or returns false (nothing written) for the caller to run ORT. */
  run(shape: ProductShape, a: Float32Array, b: Float32Array, out: Float32Array, reference: ProductReference): boolean {
    // A one-row product goes to MLAS's matrix-vector kernel, which sums in another order; empty sums are ORT's too.
    if (shape.m < 2 || shape.k < 1) return false;
    // With one thread MLAS's order does not depend on the row count (rows only split the work among threads), so
    // one check serves every batch size (an AutoAttack evaluation of 100 MNIST images meets over 200 product shapes).
    const rows = this.threads === 1 ? 'any' : shape.m;
    const key = `${rows},${shape.k},${shape.n},${shape.transA},${shape.transB}`;
    let agrees = this.verdicts.get(key);
    if (agrees === undefined) {
      const verdict = this.check(shape, reference);
      // null: the addon declined (own kernels off, or no AVX-512): nothing learned about this shape.
      if (verdict === null) return false;
      this.verdicts.set(key, verdict);
      agrees = verdict;
    }
    return agrees && this.native.denseProduct(this.geometry(shape), a, b, out);
  }

  private geometry({ m, k, n, transA, transB }: ProductShape): number[] {
    return [m, k, n, Number(transA), Number(transB), this.threads];
  }

  /** Both kernels on the same random values (sums of mixed signs and magnitudes, where the order shows). */
  private check(shape: ProductShape, reference: ProductReference): boolean | null {
    const a = seededValues(shape.m * shape.k, 1);
    const b = seededValues(shape.k * shape.n, 2);
    const own = new Float32Array(shape.m * shape.n);
    if (!this.native.denseProduct(this.geometry(shape), a, b, own)) return null;
    const expected = new Float32Array(shape.m * shape.n);
    reference(a, b, expected);
    const [ownBits, expectedBits] = [new Uint32Array(own.buffer), new Uint32Array(expected.buffer)];
    for (let i = 0; i < ownBits.length; i++) if (ownBits[i] !== expectedBits[i]) return false;
    return true;
  }
}

/** Uniform values in [-1, 1) from a 32-bit linear congruential generator, per seed (a check's inputs). */
function seededValues(length: number, seed: number): Float32Array {
  // The sequence does not depend on the length, so one buffer per seed serves every shape (up to 627 200 values for
  // SmallCNN's first dense layer).
  let values = seededBuffers.get(seed);
  if (!values || values.length < length) {
    values = new Float32Array(Math.max(length, 2 * (values?.length ?? 0)));
    let state = seed >>> 0;
    for (let i = 0; i < values.length; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      values[i] = state / 2 ** 31 - 1;
    }
    seededBuffers.set(seed, values);
  }
  return values.subarray(0, length);
}

const seededBuffers = new Map<number, Float32Array>();
