import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { benchTable, peakJson, peakLine } from '../../src/bench/bench-table';
import type { Peak } from '../../src/bench/peak';
import { rateAgainstPeak } from '../../src/bench/share-of-peak';
import { ROW } from './fixtures';

const PEAK: Peak = {
  op: 'conv3x3 32×16×16×256→256',
  gflops: 150,
  ops: [
    { op: 'matmul 1024×1024×1024', gflops: 120.5, ms: 17.82, n: 5 },
    { op: 'conv3x3 32×16×16×256→256', gflops: 150, ms: 64.42, n: 5 },
  ],
};

test('the bench table has an "of peak" column after GFLOP/s, every line as wide as the header', () => {
  const table = benchTable([rateAgainstPeak(ROW, PEAK.gflops), rateAgainstPeak({ ...ROW, step: 'attack-step' }, 50)]);
  const lines = table.split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0], /\| +GFLOP\/s \| of peak \|/);
  // 62.91 / 150 = 0.419 → 42 %; 62.91 / 50 = 1.258 → 126 %.
  assert.match(lines[2], /\| W-mnist +\| train-step +\| +275\.9 \| +62\.91 \| +42 % \|/);
  assert.match(lines[3], /\| +126 % \|/);
  for (const line of lines) assert.equal(line.length, lines[0].length, line);
});

test('the peak line names the backend, the rate, the op that gave it and the other ops', () => {
  assert.equal(
    peakLine(PEAK, 'wasm+ort'),
    'peak on wasm+ort, measured now: 150.0 GFLOP/s by conv3x3 32×16×16×256→256 (median of 5 calls; matmul 1024×1024×1024 120.5)',
  );
});

test('the peak JSON line is told apart from rows by workload "peak" and keeps every op', () => {
  assert.deepEqual(JSON.parse(peakJson(PEAK, 'cpu+ort')), {
    workload: 'peak',
    op: PEAK.op,
    gflops: 150,
    backend: 'cpu+ort',
    ops: PEAK.ops,
  });
});
