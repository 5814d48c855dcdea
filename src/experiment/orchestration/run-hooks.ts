import { NO_PROGRESS, type Progress } from '../../util/progress';
import { NEVER_KILL, type KillPoints } from '../store/kill-point';
import type { InterruptWatch } from './interrupt';

/** Processes started by `startWorkers`. */
export interface WorkerPool {
  count: number;
  /** Resolves once all have exited, with a line for each that did not finish cleanly. */
  settled(): Promise<string[]>;
}

/**
 * How a run deals with the process around it. None of these changes a number, a file name or a config hash: the
 * CLI fills them (cli-progress, Ctrl-C handling, the SAT_BENCH_TEST_KILL_AT test hook, --workers); a library caller
 * or a test leaves out what it does not need.
 */
export interface RunHooks {
  progress: Progress;
  /** Ctrl-C handling: a signal stops training at a batch boundary with a checkpoint. */
  watch: InterruptWatch;
  /** Test hook (crash safety): where the process may be killed. */
  kill: KillPoints;
  /**
   * Called once the units left are known (after the estimate) to start other processes that share them through the
   * unit locks (the CLI's --workers). The run waits for them before it writes the CSV, then runs whatever they left
   * (a helper that stopped early).
   */
  startWorkers(unitsLeft: number): WorkerPool | undefined;
  /** This process is a helper of `--workers`: units the others hold are theirs, and the summary is theirs to print. */
  helperOfWorkers: boolean;
}

export const NEVER_INTERRUPTED: InterruptWatch = {
  requested: () => undefined,
  check: () => undefined,
  dispose: () => undefined,
};

/** The hooks given, and for the rest: no output, never interrupted, never killed, no other workers. */
export function completeHooks(hooks: Partial<RunHooks>): RunHooks {
  return {
    progress: hooks.progress ?? NO_PROGRESS,
    watch: hooks.watch ?? NEVER_INTERRUPTED,
    kill: hooks.kill ?? NEVER_KILL,
    startWorkers: hooks.startWorkers ?? (() => undefined),
    helperOfWorkers: hooks.helperOfWorkers ?? false,
  };
}
