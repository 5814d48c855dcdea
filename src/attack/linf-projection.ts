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
  const feasible = reachInOrder(weight, room, 1) >= need;
  let [low, high] = [0, 1];
  if (feasible) {
    const reach = new BracketedReach(weight, room);
    for (let i = 0; i < BISECTION_STEPS; i++) {
      const middle = (low + high) / 2;
      if (reach.atLeast(middle, need, low, high)) high = middle;
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

/** reach(t) = Σ_j weight_j · min(t, room_j), summed in index order: the definition the bisection's answers follow. */
function reachInOrder(weight: Float64Array, room: Float64Array, t: number): number {
  let sum = 0;
  for (let j = 0; j < weight.length; j++) sum += weight[j] * Math.min(t, room[j]);
  return sum;
}

/** float64's unit roundoff: a sum or product is exact to within this relative error. */
const UNIT_ROUNDOFF = 2 ** -53;

/**
 * Answers reach(t) ≥ need for the bisection as reachInOrder would, without summing every coordinate at every
 * halving: a coordinate whose room is at most the bracket's low end adds weight·room at every later t, one whose room
 * is at least its high end adds weight·t, so both kinds go into running totals and only the rooms inside the bracket
 * (a share that halves with it) are summed. Summed in this other order the total can differ from the index-order
 * sum by rounding, at most 2(D + 3)·2^-53 of it (D nonnegative terms); when `need` lies within twice that of the
 * estimate, reachInOrder decides, so every answer is the index-order sum's.
 */
class BracketedReach {
  private readonly inside: Int32Array;
  private insideCount: number;
  /** Σ weight·room over the rooms at or below the bracket. */
  private below = 0;
  /** Σ weight over the rooms at or above the bracket. */
  private aboveWeight = 0;

  constructor(
    private readonly weight: Float64Array,
    private readonly room: Float64Array,
  ) {
    // A loop, not Int32Array.from with a callback: FAB projects twice per row and step, and that call cost more than
    // the whole bisection.
    this.inside = new Int32Array(weight.length);
    for (let j = 0; j < weight.length; j++) this.inside[j] = j;
    this.insideCount = weight.length;
  }

  /** reach(t) ≥ need, for t inside [low, high], a bracket inside every earlier call's. */
  atLeast(t: number, need: number, low: number, high: number): boolean {
    const { weight, room, inside } = this;
    let kept = 0;
    let sum = 0;
    let below = this.below;
    let aboveWeight = this.aboveWeight;
    for (let k = 0; k < this.insideCount; k++) {
      const j = inside[k];
      if (room[j] <= low) below += weight[j] * room[j];
      else if (room[j] >= high) aboveWeight += weight[j];
      else {
        sum += weight[j] * Math.min(t, room[j]);
        inside[kept++] = j;
      }
    }
    this.below = below;
    this.aboveWeight = aboveWeight;
    this.insideCount = kept;
    const estimate = this.below + t * this.aboveWeight + sum;
    // The absolute part covers products that underflow, whose error is not relative.
    const slack = 4 * (weight.length + 4) * UNIT_ROUNDOFF * estimate + 1e-300;
    // NaN or infinite weights fail both tests and fall through to the definition.
    if (estimate - need > slack) return true;
    if (need - estimate > slack) return false;
    return reachInOrder(weight, room, t) >= need;
  }
}
