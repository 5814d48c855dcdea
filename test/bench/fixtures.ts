import type { BenchRow } from '../../src/bench/run-bench';

/** W-mnist's train-step row as `bench --json` printed it on 2026-12-07 (AMD EPYC, 2 cores). */
export const ROW: BenchRow = {
  workload: 'W-mnist',
  step: 'train-step',
  images_per_s: 275.93,
  gflops: 62.91,
  ms_per_batch: 463.9,
  n: 10,
  peak_rss_mb: 511,
  rss_after_warmup_mb: 480,
  rss_end_mb: 511,
  tensors_after_warmup: 30,
  tensors_end: 30,
  cpu_percent: 150,
  minor_faults_per_step: 794,
  backend: 'wasm+ort',
};
