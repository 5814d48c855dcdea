import * as tf from '@tensorflow/tfjs';
import { readAndDispose } from '../util/read-tensor';

/**
 * A large operation with an exact FLOP count. The fastest of these, run through the backend and kernels the
 * workloads use, is the peak `bench` rates every row against: what this engine reaches on this machine.
 */
export interface PeakOp {
  /** How the table and the JSON line name it. */
  name: string;
  /** FLOPs of one call, 2 per multiply-add (as the workloads count theirs). */
  flop: number;
  /** Makes the operands once; `run` makes the result of one call, which the caller disposes. */
  prepare(): { run: () => tf.Tensor; dispose: () => void };
}

/** Seeded uniform operands in [0, 1): no denormals to slow a kernel down. */
const operand = <R extends tf.Rank>(shape: tf.ShapeMap[R], seed: number) =>
  tf.randomUniform<R>(shape, 0, 1, 'float32', seed);

/** Square matmul, the shape BLAS libraries run fastest. */
function squareMatMul(n: number): PeakOp {
  return {
    name: `matmul ${n}×${n}×${n}`,
    flop: 2 * n ** 3,
    prepare: () => {
      const a = operand<tf.Rank.R2>([n, n], 1);
      const b = operand<tf.Rank.R2>([n, n], 2);
      return { run: () => tf.matMul(a, b), dispose: () => tf.dispose([a, b]) };
    },
  };
}

/** 3×3 'same' convolution over an NHWC batch, the op that dominates W-cifar. */
function conv3x3(batch: number, size: number, channelsIn: number, channelsOut: number): PeakOp {
  return {
    name: `conv3x3 ${batch}×${size}×${size}×${channelsIn}→${channelsOut}`,
    flop: 2 * batch * size * size * channelsOut * channelsIn * 9,
    prepare: () => {
      const x = operand<tf.Rank.R4>([batch, size, size, channelsIn], 3); // [N, H, W, C]
      const filter = operand<tf.Rank.R4>([3, 3, channelsIn, channelsOut], 4); // [kH, kW, C_in, C_out]
      return { run: () => tf.conv2d(x, filter, 1, 'same'), dispose: () => tf.dispose([x, filter]) };
    },
  };
}

/**
 * Large enough that per-call overheads (session lookup, copies in and out of the wasm heap) are a few per cent,
 * small enough that all three take about a second on 2 cores with the fast kernels: 2.1, 4.8 and 9.7 GFLOP.
 * The convolutions have W-cifar's channel counts (stages 2 and 3) at larger batches.
 */
export const PEAK_OPS = {
  matmul: squareMatMul(1024),
  'conv3x3-128': conv3x3(16, 32, 128, 128),
  'conv3x3-256': conv3x3(32, 16, 256, 256),
} satisfies Record<string, PeakOp>;

export interface PeakTiming {
  op: string;
  gflops: number;
  /** Median wall time of one call, including the read of one value that waits for it to finish. */
  ms: number;
  n: number;
}

export interface Peak {
  /** The op that reached the highest rate, and that rate. */
  op: string;
  gflops: number;
  /** Every op's own figure, the peak's among them. */
  ops: PeakTiming[];
}

export interface PeakOptions {
  warmup: number;
  /** Timed calls per op, the median reported... */
  repeats: number;
  /** ...unless an op's timed calls pass this many ms first (plain TF.js kernels are 100× slower); at least one. */
  budgetMs: number;
}

export const PEAK_DEFAULTS: PeakOptions = { warmup: 2, repeats: 5, budgetMs: 2000 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One call, finished: reading one value of the result waits for a GPU backend's queue as well. */
async function callOnce(run: () => tf.Tensor): Promise<number> {
  const started = process.hrtime.bigint();
  const first = tf.tidy(() => tf.slice(tf.reshape(run(), [-1]), 0, 1));
  await readAndDispose(first);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function timePeakOp(op: PeakOp, options: PeakOptions): Promise<PeakTiming> {
  const { run, dispose } = op.prepare();
  try {
    for (let i = 0; i < options.warmup; i++) await callOnce(run);
    const times: number[] = [];
    let spent = 0;
    while (times.length < options.repeats && (times.length === 0 || spent < options.budgetMs)) {
      times.push(await callOnce(run));
      spent += times[times.length - 1];
    }
    const ms = median(times);
    return { op: op.name, gflops: Number((op.flop / ms / 1e6).toFixed(2)), ms: Number(ms.toFixed(2)), n: times.length };
  } finally {
    dispose();
  }
}

/** Times each op on the active backend; the fastest is the peak. */
export async function measurePeak(
  ops: readonly PeakOp[] = Object.values(PEAK_OPS),
  options: PeakOptions = PEAK_DEFAULTS,
): Promise<Peak> {
  const timings: PeakTiming[] = [];
  for (const op of ops) timings.push(await timePeakOp(op, options));
  const best = timings.reduce((a, b) => (b.gflops > a.gflops ? b : a));
  return { op: best.op, gflops: best.gflops, ops: timings };
}
