import * as tf from '@tensorflow/tfjs';

/** Time spent in one kernel over a profiled step, summed over its calls. */
export interface KernelTime {
  kernel: string;
  ms: number;
  calls: number;
  /** Fraction of the step's total kernel time. */
  share: number;
}

/** Sums kernel times by name, largest first. Kernels whose timer failed count as calls with no time. */
export function kernelTimes(kernels: ReadonlyArray<{ name: string; ms: number }>): KernelTime[] {
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of kernels) {
    const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += k.ms;
    entry.calls += 1;
    byName.set(k.name, entry);
  }
  const total = [...byName.values()].reduce((sum, e) => sum + e.ms, 0);
  return [...byName.entries()]
    .map(([kernel, e]) => ({ kernel, ms: e.ms, calls: e.calls, share: total > 0 ? e.ms / total : 0 }))
    .sort((a, b) => b.ms - a.ms || a.kernel.localeCompare(b.kernel));
}

/**
 * One call of `step` under tf.profile, forward and backward kernels alike. Kernel times leave out the JS between
 * kernels and add the profiler's own bookkeeping, so the total is not the step time; the shares are what it is for.
 */
export async function profileStep(step: () => Promise<void>): Promise<KernelTime[]> {
  const info = await tf.profile(async () => {
    await step();
    return [];
  });
  const kernels = await Promise.all(
    info.kernels.map(async (k) => {
      const time = await k.kernelTimeMs;
      return { name: k.name, ms: typeof time === 'number' ? time : 0 };
    }),
  );
  return kernelTimes(kernels);
}

/** The top `limit` kernels as table lines, the rest summed into one. */
export function profileTable(title: string, times: readonly KernelTime[], limit: number): string {
  const total = times.reduce((sum, t) => sum + t.ms, 0);
  const line = (name: string, ms: number, calls: number) =>
    `  ${name.padEnd(26)} ${ms.toFixed(1).padStart(9)} ms ${String(calls).padStart(5)} calls ${((100 * ms) / (total || 1)).toFixed(1).padStart(5)} %`;
  const rest = times.slice(limit);
  return [
    `${title}: ${total.toFixed(1)} ms in kernels`,
    ...times.slice(0, limit).map((t) => line(t.kernel, t.ms, t.calls)),
    ...(rest.length
      ? [
          line(
            `(${rest.length} others)`,
            rest.reduce((s, t) => s + t.ms, 0),
            rest.reduce((s, t) => s + t.calls, 0),
          ),
        ]
      : []),
  ].join('\n');
}
