/**
 * One attack batch of an evaluation: the `batch`-th of the `batches` batches recipe `recipe` runs, over test
 * examples `examples` (global indices, in order).
 */
export interface AttackBatch {
  recipe: string;
  batch: number;
  batches: number;
  examples: Int32Array;
}

/**
 * Where an evaluation keeps each attack batch's outcome once it is finished, so that an interrupted evaluation
 * resumes instead of starting over. Every random start is seeded by the example's index (run-attacks.ts), so a saved
 * outcome is exactly the one the batch would give again; the implementation (the experiment's store) must only
 * return outcomes saved by the same evaluation (same model, suite, examples, seed, ε, batch size, ...).
 */
export interface AttackJournal {
  /** The batch's fooled flags (one per example of `batch.examples`), when an earlier run saved them. */
  saved(batch: AttackBatch): Uint8Array | undefined;
  /** Keeps the finished batch's fooled flags; returns once they are on disk. */
  save(batch: AttackBatch, fooled: Uint8Array): void;
}

/** Library and test default: nothing is kept, every batch runs. */
export const NO_JOURNAL: AttackJournal = { saved: () => undefined, save: () => undefined };
