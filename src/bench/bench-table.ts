import type { Peak } from './peak';
import { formatShare, type RatedBenchRow } from './share-of-peak';

/** `bench`'s terminal table: one line per workload and step. */
export function benchTable(rows: readonly RatedBenchRow[]): string {
  const header =
    '| workload   | step        |  images/s |  GFLOP/s | of peak |  ms/batch |   N | CPU % | faults/step | RSS warm→end MB | tensors warm→end |';
  const lines = rows.map(
    (r) =>
      `| ${r.workload.padEnd(10)} | ${r.step.padEnd(11)} | ${r.images_per_s.toFixed(1).padStart(9)} | ${r.gflops.toFixed(2).padStart(8)} | ${formatShare(r.share_of_peak).padStart(7)} | ${r.ms_per_batch.toFixed(1).padStart(9)} | ${String(r.n).padStart(3)} | ${String(r.cpu_percent).padStart(5)} | ${String(r.minor_faults_per_step).padStart(11)} | ${`${r.rss_after_warmup_mb}→${r.rss_end_mb}`.padStart(15)} | ${`${r.tensors_after_warmup}→${r.tensors_end}`.padStart(16)} |`,
  );
  const rule = `|${header
    .slice(1, -1)
    .split('|')
    .map((c) => '-'.repeat(c.length))
    .join('|')}|`;
  return [header, rule, ...lines].join('\n');
}

/** The line above the table: the peak, the op that gave it, and the other ops' figures. */
export function peakLine(peak: Peak, backend: string): string {
  const best = peak.ops.find((t) => t.op === peak.op);
  const others = peak.ops.filter((t) => t !== best).map((t) => `${t.op} ${t.gflops.toFixed(1)}`);
  const calls = best ? [`median of ${best.n} calls`] : [];
  return `peak on ${backend}, measured now: ${peak.gflops.toFixed(1)} GFLOP/s by ${peak.op} (${[...calls, ...others].join('; ')})`;
}

/** The `--json` line of a peak: its own object in the stream of rows, told apart by `workload: "peak"`. */
export function peakJson(peak: Peak, backend: string): string {
  return JSON.stringify({ workload: 'peak', op: peak.op, gflops: peak.gflops, backend, ops: peak.ops });
}
