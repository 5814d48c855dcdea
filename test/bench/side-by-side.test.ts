import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  cpuFromLscpu,
  formatRate,
  parseJsonLines,
  sideBySideReport,
  sideBySideTable,
} from '../../src/bench/side-by-side';

const satRound = (trainImages: number, share: number) =>
  [
    '{"workload":"peak","op":"conv3x3 32×16×16×256→256","gflops":150,"backend":"wasm+ort","ops":[]}',
    `{"workload":"W-mnist","step":"train-step","images_per_s":${trainImages},"gflops":62.91,"backend":"wasm+ort","share_of_peak":${share}}`,
    '{"workload":"W-mnist","step":"attack-step","images_per_s":901.71,"gflops":102.79,"backend":"wasm+ort","share_of_peak":0.685}',
  ].join('\n');
const TORCH = [
  '# torch 1.13.0a0, threads=2, python 3.11.2, x86_64, mkldnn=True',
  '# batch 128, warm-up 3, median of N timed iterations',
  '{"workload": "W-mnist", "step": "train-step", "images_per_s": 257.62, "gflops": 58.74, "backend": "torch-1.13.0a0-cpu"}',
  '{"workload": "W-mnist", "step": "attack-step", "images_per_s": 596.64, "gflops": 68.02, "backend": "torch-1.13.0a0-cpu"}',
].join('\n');

test("JSON lines are read and torch_bench.py's comment lines skipped", () => {
  assert.deepEqual(
    parseJsonLines(TORCH).map((r) => r.step),
    ['train-step', 'attack-step'],
  );
});

test('rates are quoted with three significant figures, or whole images above 100', () => {
  assert.deepEqual([901.71, 275.93, 26.18, 10.47, 8.414].map(formatRate), ['902', '276', '26.2', '10.5', '8.41']);
});

test('each row has per round sat-bench images/s with GFLOP/s and share of peak, PyTorch images/s, and the ratio', () => {
  const table = sideBySideTable([
    { satBench: satRound(275.93, 0.419), torch: TORCH },
    { satBench: satRound(300, 0.456), torch: TORCH },
  ]);
  const lines = table.split('\n');
  assert.equal(
    lines[0],
    '| workload · step | sat-bench images/s (GFLOP/s, of peak), r1 / r2 | PyTorch images/s, r1 / r2 | ratio, r1 / r2 |',
  );
  // 275.93 / 257.62 = 1.0711 → 1.07×; 300 / 257.62 = 1.1645 → 1.16×; 901.71 / 596.64 = 1.5113 → 1.51×.
  assert.equal(
    lines[2],
    '| W-mnist train-step (wasm+ort) | 276 (62.9, 42 %) / 300 (62.9, 46 %) | 258 / 258 | 1.07× / 1.16× |',
  );
  assert.equal(
    lines[3],
    '| W-mnist attack-step (wasm+ort) | 902 (102.8, 69 %) / 902 (102.8, 69 %) | 597 / 597 | 1.51× / 1.51× |',
  );
  assert.match(table, /Peak per round: r1 150\.0 GFLOP\/s \(conv3x3 32×16×16×256→256, wasm\+ort\); r2 150\.0/);
});

test('a round without a row shows a dash in its place, not a shifted column', () => {
  const table = sideBySideTable([
    { satBench: satRound(275.93, 0.419), torch: TORCH },
    { satBench: satRound(300, 0.456), torch: '# torch failed to import' },
  ]);
  assert.match(
    table,
    /\| W-mnist train-step \(wasm\+ort\) \| 276 \(62\.9, 42 %\) \/ 300 \(62\.9, 46 %\) \| 258 \/ — \| 1\.07× \/ — \|/,
  );
});

const LSCPU = [
  'Architecture:                            x86_64',
  'CPU(s):                                  2',
  'Vendor ID:                               AuthenticAMD',
  'Model name:                              AMD EPYC',
  'CPU family:                              25',
  'Model:                                   17',
  'Flags:                                   fpu sse avx avx2 fma avx512f avx512dq',
].join('\n');

test("the CPU line gives lscpu's model name, family and model, CPU count and widest vector extension", () => {
  assert.equal(cpuFromLscpu(LSCPU), 'AMD EPYC (family 25 model 17), 2 CPUs, AVX-512');
  assert.equal(cpuFromLscpu(LSCPU.replace(' avx512f avx512dq', '')), 'AMD EPYC (family 25 model 17), 2 CPUs, AVX2');
  assert.equal(cpuFromLscpu(''), 'unknown CPU');
});

test("the report's header names the CPU, the cores, the start time and PyTorch's own description", () => {
  const report = sideBySideReport([{ satBench: satRound(275.93, 0.419), torch: TORCH }], {
    cpu: 'AMD EPYC (family 25 model 17), 2 CPUs, AVX-512',
    cores: '0,1',
    started: '2026-12-07T05:30:00Z',
  });
  assert.match(
    report.split('\n')[0],
    /^\*\*AMD EPYC \(family 25 model 17\), 2 CPUs, AVX-512\*\*, cores 0,1 \(taskset\), 2026-12-07T05:30:00Z; 1 round\(s\), .*\(torch 1\.13\.0a0, threads=2, python 3\.11\.2, x86_64, mkldnn=True\)\.$/,
  );
  assert.match(report, /\| W-mnist train-step \(wasm\+ort\) \|/);
});
