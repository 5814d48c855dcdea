import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { kernelTimes, profileTable } from '../../src/bench/profile';
import { benchWorkload } from '../../src/bench/run-bench';
import { WORKLOADS } from '../../src/bench/workloads';
import { setupTestBackend } from '../helpers/backend';

let backend = '';
before(async () => {
  backend = await setupTestBackend();
});

// The keys torch_bench.py --json prints: the side-by-side comparison joins on them.
const TORCH_KEYS = ['workload', 'step', 'images_per_s', 'gflops', 'ms_per_batch', 'n', 'peak_rss_mb', 'backend'];

test('kernel times are summed by name, largest first, with shares of the total', () => {
  const times = kernelTimes([
    { name: 'Conv2D', ms: 3 },
    { name: 'Relu', ms: 1 },
    { name: 'Conv2D', ms: 4 },
    { name: 'Add', ms: 2 },
  ]);
  assert.deepEqual(
    times.map((t) => [t.kernel, t.ms, t.calls]),
    [
      ['Conv2D', 7, 2],
      ['Add', 2, 1],
      ['Relu', 1, 1],
    ],
  );
  assert.equal(times[0].share, 0.7);
  const table = profileTable('step', times, 1);
  assert.match(table, /^step: 10\.0 ms in kernels/);
  assert.match(table, /\(2 others\)\s+3\.0 ms\s+2 calls\s+30\.0 %/);
});

test('bench rows carry the torch_bench.py keys; the profile covers the forward and the gradient kernels', async () => {
  const before = tf.memory().numTensors;
  const result = await benchWorkload(WORKLOADS.mnist, { batchSize: 4, warmup: 1, steps: 2, backend, profile: true });
  assert.equal(tf.memory().numTensors, before, 'bench left tensors behind');
  assert.deepEqual(
    result.rows.map((r) => r.step),
    ['train-step', 'attack-step'],
  );
  for (const row of result.rows) {
    for (const key of TORCH_KEYS) assert.ok(key in row, `${row.step} lacks ${key}`);
    assert.equal(row.workload, 'W-mnist');
    assert.equal(row.n, 2);
    assert.ok(row.images_per_s > 0 && row.gflops > 0 && row.ms_per_batch > 0, JSON.stringify(row));
    // CPU time over wall time of this process: some work was done, and no more than every core could do.
    assert.ok(row.cpu_percent > 0 && row.cpu_percent <= 100 * os.availableParallelism() + 5, JSON.stringify(row));
    // The leak check's fields: a step that leaves tensors behind shows as a rising count.
    assert.equal(row.tensors_end, row.tensors_after_warmup, JSON.stringify(row));
    assert.ok(Number.isInteger(row.minor_faults_per_step) && row.minor_faults_per_step >= 0, JSON.stringify(row));
  }
  const train = result.profiles?.['train-step'].map((t) => t.kernel) ?? [];
  for (const kernel of ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPool']) {
    assert.ok(train.includes(kernel), `train-step profile lacks ${kernel}: ${train.join(', ')}`);
  }
  const attack = result.profiles?.['attack-step'].map((t) => t.kernel) ?? [];
  assert.ok(
    attack.includes('Conv2DBackpropInput') && !attack.includes('Conv2DBackpropFilter'),
    `attack-step profile: ${attack.join(', ')}`,
  );
});

test("W-mnist-bn benchmarks the presets' half-width SmallCNN with batch norm, leaving no tensors behind", async () => {
  assert.equal(WORKLOADS['mnist-bn'].model, 'smallcnn-bn');
  assert.equal(WORKLOADS['mnist-bn'].width, 0.5);
  const before = tf.memory().numTensors;
  const result = await benchWorkload(WORKLOADS['mnist-bn'], {
    batchSize: 4,
    warmup: 1,
    steps: 1,
    backend,
    profile: true,
  });
  assert.equal(tf.memory().numTensors, before, 'bench left tensors behind');
  assert.deepEqual(
    result.rows.map((r) => [r.workload, r.step]),
    [
      ['W-mnist-bn', 'train-step'],
      ['W-mnist-bn', 'attack-step'],
    ],
  );
  // The model really is the half-width one with BN: its first conv has 16 filters and its profile shows BN's moments.
  const train = result.profiles?.['train-step'].map((t) => t.kernel) ?? [];
  assert.ok(
    train.some((k) => /Mean|BatchNorm|Moments/i.test(k)),
    `train-step profile lacks batch-norm statistics: ${train.join(', ')}`,
  );
});
