/** Uniform values in [low, high) from mulberry32, so every test input is fixed by its seed (no app dependency). */
export function seededUniform(size: number, seed: number, low: number, high: number): Float32Array {
  let state = (seed ^ 0x9e3779b9) >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = low + (high - low) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}
