import type { Progress } from '../../util/progress';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Shell convention: 128 + the signal number. */
export const INTERRUPT_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const satisfies Record<StopSignal, number>;

/** Thrown once work stopped cleanly on a signal; the CLI maps it to exit 130 (SIGINT) or 143 (SIGTERM). */
export class Interrupted extends Error {
  constructor(
    readonly signal: StopSignal,
    where: string,
  ) {
    super(`${signal}: stopped ${where}; run the same command again to resume`);
    this.name = 'Interrupted';
  }

  get exitCode(): number {
    return INTERRUPT_EXIT_CODES[this.signal];
  }
}

export interface InterruptWatch {
  /** The first signal received, if any. */
  requested(): StopSignal | undefined;
  /** Throws Interrupted when a signal arrived. */
  check(where: string): void;
  dispose(): void;
}

/**
 * A second signal this soon after the first is the same request arriving by a second path, not "quit at once": a
 * scheduler that signals every process of a job (Slurm's scancel, time limit, preemption) reaches this process
 * directly and through its launcher (cli/launch.ts) or `--workers` parent, which forward what they receive.
 */
export const DUPLICATE_SIGNAL_MS = 1000;

/**
 * Turns SIGINT/SIGTERM into a request the training loop polls between batches (it then writes a checkpoint).
 * A second signal (after DUPLICATE_SIGNAL_MS) quits at once: the last checkpoint on disk is still intact, since
 * every write is atomic.
 */
export function watchInterrupts(progress: Progress, now: () => number = Date.now): InterruptWatch {
  let received: StopSignal | undefined;
  let receivedAt = 0;
  const onSignal = (signal: StopSignal) => {
    if (received) {
      if (now() - receivedAt < DUPLICATE_SIGNAL_MS) return;
      process.exit(INTERRUPT_EXIT_CODES[signal]);
    }
    received = signal;
    receivedAt = now();
    progress.log(`${signal}: finishing the current batch, then saving a checkpoint (send it again to quit at once)`);
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    requested: () => received,
    check(where) {
      if (received) throw new Interrupted(received, where);
    },
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/**
 * Stops evaluation after the current batch (its progress update) on a signal. The batches finished so far are in
 * the evaluation's journal, which the resumed run takes them from; `where` is asked at that moment, so it can say
 * how many.
 */
export function interruptibleProgress(
  progress: Progress,
  watch: InterruptWatch,
  where: string | (() => string),
  onUpdate?: () => void,
): Progress {
  return {
    ...progress,
    update(done, status) {
      progress.update(done, status);
      onUpdate?.();
      if (watch.requested()) watch.check(typeof where === 'string' ? where : where());
    },
  };
}

/**
 * For work whose every finished step is already on disk (eval's journal): on SIGINT/SIGTERM, say what is saved
 * (`saved()`) and exit at once with 130/143. Every write is synchronous and atomic, so no file is left torn.
 */
export function exitOnInterrupt(
  what: string,
  saved: () => string,
  options: { write?: (line: string) => void; exit?: (code: number) => void } = {},
): { dispose(): void } {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const onSignal = (signal: StopSignal) => {
    write(`sat-bench: ${signal}: ${what} stopped; ${saved()}`);
    exit(INTERRUPT_EXIT_CODES[signal]);
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
