import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { measurePeak, PEAK_OPS, timePeakOp, type PeakOp } from '../../src/bench/peak';
import { setupTestBackend } from '../helpers/backend';

before(async () => {
  await setupTestBackend();
});

/** A small matmul, so the timing tests take milliseconds. */
function smallMatMul(n: number): PeakOp {
  return {
    name: `small ${n}`,
    flop: 2 * n ** 3,
    prepare: () => {
      const a = tf.ones([n, n]);
      return { run: () => tf.matMul(a, a), dispose: () => a.dispose() };
    },
  };
}

test('the peak ops count 2 FLOPs per multiply-add of their shapes', () => {
  // matmul: 2·1024³; conv: 2·N·H·W·C_out·C_in·9.
  assert.equal(PEAK_OPS.matmul.flop, 2_147_483_648);
  assert.equal(PEAK_OPS['conv3x3-128'].flop, 2 * 16 * 32 * 32 * 128 * 128 * 9); // 4.83 GFLOP
  assert.equal(PEAK_OPS['conv3x3-256'].flop, 2 * 32 * 16 * 16 * 256 * 256 * 9); // 9.66 GFLOP
  assert.equal(PEAK_OPS['conv3x3-256'].name, 'conv3x3 32×16×16×256→256');
});

test('an op is timed after its warm-up, its rate is FLOPs over the median time, and nothing is left behind', async () => {
  const before = tf.memory().numTensors;
  const timing = await timePeakOp(smallMatMul(64), { warmup: 1, repeats: 3, budgetMs: 60_000 });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(timing.n, 3);
  assert.equal(timing.op, 'small 64');
  // 2·64³ = 524288 FLOP in timing.ms ms: GFLOP/s = 524288 / ms / 1e6, with ms and GFLOP/s each rounded to 0.01.
  const [fastest, slowest] = [timing.ms - 0.005, timing.ms + 0.005];
  assert.ok(timing.gflops >= 524288 / slowest / 1e6 - 0.005, JSON.stringify(timing));
  if (fastest > 0) assert.ok(timing.gflops <= 524288 / fastest / 1e6 + 0.005, JSON.stringify(timing));
});

test('an op slower than the time budget is timed once instead of the full count', async () => {
  const timing = await timePeakOp(smallMatMul(32), { warmup: 0, repeats: 5, budgetMs: 0 });
  assert.equal(timing.n, 1);
});

test('the peak is the fastest op, and every op keeps its own figure', async () => {
  const ops = [smallMatMul(16), smallMatMul(128)];
  const peak = await measurePeak(ops, { warmup: 1, repeats: 3, budgetMs: 60_000 });
  assert.deepEqual(
    peak.ops.map((t) => t.op),
    ['small 16', 'small 128'],
  );
  const best = Math.max(...peak.ops.map((t) => t.gflops));
  assert.equal(peak.gflops, best);
  assert.equal(peak.op, peak.ops.find((t) => t.gflops === best)?.op);
});
