import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';

// The keys torch_bench.py --json prints: scripts join on them, so the peak must add keys, never rename them.
const TORCH_KEYS = ['workload', 'step', 'images_per_s', 'gflops', 'ms_per_batch', 'n', 'peak_rss_mb', 'backend'];

test('bench --json prints the peak first, then rows that each carry their share of it', () => {
  const result = runCli([
    'bench',
    '--only',
    'mnist-bn',
    '--steps',
    '1',
    '--warmup',
    '0',
    '--batch-size',
    '4',
    '--json',
  ]);
  assert.equal(result.status, 0, result.stderr);
  const [peak, ...rows] = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(peak.workload, 'peak');
  assert.match(String(peak.op), /^(matmul|conv3x3) /);
  assert.ok(typeof peak.gflops === 'number' && peak.gflops > 0, JSON.stringify(peak));
  assert.equal(peak.backend, rows[0].backend);
  const ops = peak.ops as Array<{ op: string; gflops: number }>;
  assert.equal(ops.length, 3);
  assert.equal(peak.gflops, Math.max(...ops.map((o) => o.gflops)));
  assert.deepEqual(
    rows.map((r) => [r.workload, r.step]),
    [
      ['W-mnist-bn', 'train-step'],
      ['W-mnist-bn', 'attack-step'],
    ],
  );
  for (const row of rows) {
    for (const key of TORCH_KEYS) assert.ok(key in row, `${String(row.step)} lacks ${key}`);
    // share = GFLOP/s over the peak's, to 3 decimals.
    assert.equal(row.share_of_peak, Number(((row.gflops as number) / peak.gflops).toFixed(3)), JSON.stringify(row));
  }
});

test('bench without --json prints the peak line and an "of peak" column', () => {
  const result = runCli(['bench', '--only', 'mnist-bn', '--steps', '1', '--warmup', '0', '--batch-size', '4']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^peak on \S+, measured now: [\d.]+ GFLOP\/s by (matmul|conv3x3) /m);
  assert.match(result.stdout, /\| +GFLOP\/s \| of peak \|/);
  assert.match(result.stdout, /\| W-mnist-bn \| train-step +\|.*\| +\d+ % \|/);
});
