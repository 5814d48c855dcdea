import * as tf from '@tensorflow/tfjs';

/** Rows `keep` of `t` (along the first axis); disposes `t`. */
export function keepRows<T extends tf.Tensor>(t: T, keep: Int32Array): T {
  const kept = tf.tidy(() => tf.gather(t, tf.tensor1d(keep, 'int32'))) as T;
  t.dispose();
  return kept;
}

/** Positions i where test(values[i]). */
export function indicesWhere(values: ArrayLike<number>, test: (value: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (test(values[i])) out.push(i);
  return Int32Array.from(out);
}

/**
 * The rows of a batch an attack is still working on, and the points of those it has let go. A row leaves the moment
 * its flag is final (fooled, where the attack's flag is sticky), with every other row of its group (one example
 * under several targets: the example is fooled whichever target did it). Rows of a batch never see each other (the
 * oracle's loss is a sum of per-example losses; BN runs on its running statistics at evaluation), so letting rows
 * go changes no other row's trajectory and no row's flag: it only saves the work on rows whose outcome is known.
 */
export class WorkingRows {
  /** Original row of each row still worked on, in order. */
  open: Int32Array;
  /** Per original row: 1 when it was fooled before it left. */
  readonly fooled: Uint8Array;
  private readonly points: Float32Array;
  private readonly rowSize: number;

  constructor(
    count: number,
    private readonly rowShape: number[],
    /** Per original row, its group; rows leave with their group. Default: each row alone. */
    private readonly groups?: ArrayLike<number>,
  ) {
    this.open = Int32Array.from({ length: count }, (_, i) => i);
    this.fooled = new Uint8Array(count);
    this.rowSize = rowShape.reduce((a, b) => a * b, 1);
    this.points = new Float32Array(count * this.rowSize);
  }

  /**
   * Lets go the open rows fooled now (flags per open row) with their groups, each at its row of `points`
   * ([open rows, …]). Returns the positions (into the old `open`) of the rows that stay, or null when all stay.
   */
  async letGoFooled(fooledNow: ArrayLike<number>, points: tf.Tensor): Promise<Int32Array | null> {
    const leavingGroups = new Set<number>();
    for (let k = 0; k < this.open.length; k++) if (fooledNow[k] === 1) leavingGroups.add(this.groupOf(this.open[k]));
    if (leavingGroups.size === 0) return null;
    const leaving = indicesWhere(this.open, (row) => leavingGroups.has(this.groupOf(row)));
    await this.write(points, leaving);
    leaving.forEach((k) => (this.fooled[this.open[k]] = fooledNow[k] === 1 ? 1 : 0));
    const keep = indicesWhere(this.open, (row) => !leavingGroups.has(this.groupOf(row)));
    this.open = Int32Array.from(keep, (k) => this.open[k]);
    return keep;
  }

  /** The rows still open end at their rows of `points` ([open rows, …]), not fooled. */
  async finish(points: tf.Tensor): Promise<void> {
    await this.write(
      points,
      Int32Array.from(this.open, (_, k) => k),
    );
    this.open = new Int32Array(0);
  }

  /** Every row's point and flag (an AttackResult; the caller owns both). */
  result(): { adversarial: tf.Tensor4D; fooled: tf.Tensor1D } {
    const count = this.fooled.length;
    return {
      adversarial: tf.tensor4d(this.points, [count, ...this.rowShape] as [number, number, number, number]),
      fooled: tf.tensor1d(Float32Array.from(this.fooled)),
    };
  }

  private groupOf(row: number): number {
    return this.groups ? this.groups[row] : row;
  }

  private async write(points: tf.Tensor, positions: Int32Array): Promise<void> {
    if (positions.length === 0) return;
    const values = (await points.data()) as Float32Array;
    positions.forEach((k) =>
      this.points.set(values.subarray(k * this.rowSize, (k + 1) * this.rowSize), this.open[k] * this.rowSize),
    );
  }
}
