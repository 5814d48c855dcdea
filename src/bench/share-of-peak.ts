import type { BenchRow } from './run-bench';

/** A bench row rated against the peak measured on its backend in the same invocation. */
export interface RatedBenchRow extends BenchRow {
  /** The row's GFLOP/s over the peak's, e.g. 0.42. Above 1 means the peak's own timing was disturbed. */
  share_of_peak: number;
}

/** GFLOP/s as a fraction of the peak, to 3 decimals (a tenth of a per cent). */
export function shareOfPeak(gflops: number, peakGflops: number): number {
  if (!(peakGflops > 0)) throw new Error(`shareOfPeak: the peak must be a positive rate, got ${peakGflops} GFLOP/s`);
  return Number((gflops / peakGflops).toFixed(3));
}

export function rateAgainstPeak(row: BenchRow, peakGflops: number): RatedBenchRow {
  return { ...row, share_of_peak: shareOfPeak(row.gflops, peakGflops) };
}

/** '42 % of peak' in a table cell: whole per cents, since the peak itself moves by more between runs. */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)} %`;
}
