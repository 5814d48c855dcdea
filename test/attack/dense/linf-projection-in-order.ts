// FAB's host projection as it was before the bracketed sums (sat-bench 227f27c): 26 bisection passes over every
// coordinate, each reach summed in index order. A reference for differential tests.
/** Bisection halvings of the L∞ radius: 2^-26 is below float32's resolution on [0, 1]. */
const BISECTION_STEPS = 26;

/**
 * The smallest-L∞ step d that takes point p onto the hyperplane w·z = b while p + d stays in [0, 1] (FAB's
 * projection, Croce & Hein 2020), for one row of length D. With ŵ = w flipped so that ŵ·p ≥ b̂, each coordinate
 * can lower ŵ·z by |ŵ_j| per unit up to its room to the box (p_j when ŵ_j > 0, else 1 − p_j); at radius t the total
 * decrease is Σ |ŵ_j| min(t, room_j), increasing in t, so the smallest sufficient t is found by bisection. When even
 * the box corner cannot reach the plane, every coordinate moves by the same t = (ŵ·p − b̂) / Σ|ŵ_j| (ignoring the
 * box, as FAB does; the caller clips). Coordinates with w_j = 0 never move.
 * On the host: FAB's rows are few and short, and the bisection's 26 passes as tensor ops cost as much as the
 * model's gradient (measured). Writes d into `out` (length D).
 */
export function projectOntoHyperplaneLinf(
  point: ArrayLike<number>,
  w: ArrayLike<number>,
  b: number,
  out: Float32Array,
): Float32Array {
  const dims = out.length;
  let gap = -b; // w·p − b
  for (let j = 0; j < dims; j++) gap += w[j] * point[j];
  const sign = gap >= 0 ? 1 : -1;
  const need = gap * sign; // ≥ 0
  const room = new Float64Array(dims);
  const weight = new Float64Array(dims);
  let totalWeight = 0;
  for (let j = 0; j < dims; j++) {
    const flipped = w[j] * sign;
    weight[j] = Math.abs(flipped);
    room[j] = flipped > 0 ? point[j] : 1 - point[j];
    totalWeight += weight[j];
  }
  const reach = (t: number) => {
    let sum = 0;
    for (let j = 0; j < dims; j++) sum += weight[j] * Math.min(t, room[j]);
    return sum;
  };
  const feasible = reach(1) >= need;
  let [low, high] = [0, 1];
  if (feasible) {
    for (let i = 0; i < BISECTION_STEPS; i++) {
      const middle = (low + high) / 2;
      if (reach(middle) >= need) high = middle;
      else low = middle;
    }
  }
  const uniform = totalWeight > 0 ? need / totalWeight : 0;
  for (let j = 0; j < dims; j++) {
    const direction = -Math.sign(w[j] * sign);
    out[j] = direction * (feasible ? Math.min(high, room[j]) : uniform);
  }
  return out;
}
