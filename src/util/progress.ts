/**
 * How long-running work reports progress. The CLI injects a cli-progress implementation; tests use NO_PROGRESS.
 */
export interface Progress {
  /** A phase with a known number of units (training batches of an epoch, evaluation examples). */
  begin(label: string, total: number): void;
  /** Units done so far in the current phase, with a short status (loss, accuracy). */
  update(done: number, status?: string): void;
  end(): void;
  /** A plain line (one per epoch, warnings). */
  log(line: string): void;
}

export const NO_PROGRESS: Progress = {
  begin: () => undefined,
  update: () => undefined,
  end: () => undefined,
  log: () => undefined,
};

/** Lets the event loop run (progress bars, Ctrl-C) between synchronous TF.js batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
