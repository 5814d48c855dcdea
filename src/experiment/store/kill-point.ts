/**
 * A test hook for crash safety: `SAT_BENCH_TEST_KILL_AT=<point>[:<n>]` makes the process SIGKILL itself the n-th
 * time (default: the first) it reaches <point>, so a test can kill it at an exact instant instead of racing a timer.
 * The CLI's `run` and `eval` read the variable (KillSwitch.fromEnv) into what they run; everything else, and the
 * library, reaches the points through NEVER_KILL.
 */
export const KILL_POINTS = {
  'train-step': 'after a training step (mid-epoch)',
  'checkpoint-write': 'inside a checkpoint write: weights written, index not yet',
  'checkpoint-swap': 'between moving the old checkpoint aside and moving the new one in',
  'eval-batch': 'after an evaluation batch',
  'eval-journal-write': 'inside an evaluation journal write: the new journal in its temp file, not yet renamed',
  'metrics-write': "after a run's evaluation, before its metrics.json",
  'report-write': 'between writing the reports (CSV, markdown, SVG) to temp files and renaming them',
} as const;

export type KillPoint = keyof typeof KILL_POINTS;

/** Where the store's writes and the unit's loops may be killed by a test. */
export interface KillPoints {
  reach(point: KillPoint): void;
}

/** The default everywhere: reaching a point does nothing. */
export const NEVER_KILL: KillPoints = { reach: () => undefined };

export class KillSwitch implements KillPoints {
  private readonly counts = new Map<string, number>();

  constructor(private readonly target?: { point: string; nth: number }) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): KillSwitch {
    const spec = env.SAT_BENCH_TEST_KILL_AT;
    if (!spec) return new KillSwitch();
    const [point, nth] = spec.split(':');
    if (!(point in KILL_POINTS))
      throw new Error(
        `SAT_BENCH_TEST_KILL_AT: unknown point "${point}" (known: ${Object.keys(KILL_POINTS).join(', ')})`,
      );
    return new KillSwitch({ point, nth: nth ? Number(nth) : 1 });
  }

  reach(point: KillPoint): void {
    if (this.target?.point !== point) return;
    const count = (this.counts.get(point) ?? 0) + 1;
    this.counts.set(point, count);
    if (count !== this.target.nth) return;
    process.kill(process.pid, 'SIGKILL');
    // The signal may land a moment later: block here so nothing after the point runs.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  }
}
