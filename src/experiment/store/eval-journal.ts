import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AttackBatch, AttackJournal } from '../../eval/attack-journal';
import { writeFilesAtomic } from '../../util/atomic-write';
import { NEVER_KILL, type KillPoints } from './kill-point';
export { evalJournalPath } from './seed-folder';

/**
 * Everything that decides the attacks' outcomes: the model (config hash, training steps or the weights' digest),
 * suite, examples or shard range, seed, ε, cascade or standalone, batch size, dataset and backend. Flat, so that a
 * mismatch can name its fields.
 */
export type EvalJournalKey = Record<string, string | number | boolean | null>;

interface JournalFile {
  format: 1;
  key: EvalJournalKey;
  /** Per "<section> <recipe>": how many batches it runs (what "N of M" counts). */
  batchesOf: Record<string, number>;
  /** Per "<section> <recipe> #<batch>": its examples and fooled flags ("0110"). */
  saved: Record<string, { examples: number[]; fooled: string }>;
}

/** The fields of `key` that differ from `old`'s, as "examples 256 (now 16)". */
function differences(old: EvalJournalKey, key: EvalJournalKey): string[] {
  const names = [...new Set([...Object.keys(old), ...Object.keys(key)])];
  return names
    .filter((name) => JSON.stringify(old[name]) !== JSON.stringify(key[name]))
    .map((name) => `${name} ${JSON.stringify(old[name] ?? null)} (now ${JSON.stringify(key[name] ?? null)})`);
}

/** The journal in `file` when it was written for `key`; otherwise why not (and undefined when there is none). */
function readJournal(file: string, key: EvalJournalKey): { journal?: JournalFile; stale?: string } {
  if (!fs.existsSync(file)) return {};
  let journal: JournalFile;
  try {
    journal = JSON.parse(fs.readFileSync(file, 'utf8')) as JournalFile;
  } catch (error) {
    return { stale: `unreadable (${(error as Error).message})` };
  }
  if (journal.format !== 1) return { stale: `format ${String(journal.format)}, not 1` };
  const changed = differences(journal.key ?? {}, key);
  return changed.length > 0 ? { stale: `left by another evaluation: ${changed.join(', ')}` } : { journal };
}

/**
 * The store's AttackJournal: one JSON file, rewritten atomically after every batch (it holds a few bytes per
 * attacked example and recipe). A journal left by an evaluation with another key is removed when opened, with a
 * line saying why, so a changed command never reuses another's outcomes.
 */
export class EvalJournal implements AttackJournal {
  private constructor(
    readonly file: string,
    private readonly state: JournalFile,
    private readonly kill: KillPoints,
  ) {}

  static open(
    file: string,
    key: EvalJournalKey,
    options: { log: (line: string) => void; kill?: KillPoints },
  ): EvalJournal {
    const { journal, stale } = readJournal(file, key);
    if (stale) {
      options.log(`${file}: ${stale}; starting this evaluation afresh`);
      fs.rmSync(file, { force: true });
    }
    const count = Object.keys(journal?.saved ?? {}).length;
    if (count > 0)
      options.log(`${file}: resuming an interrupted evaluation (${count} attack batches saved, not run again)`);
    return new EvalJournal(file, journal ?? { format: 1, key, batchesOf: {}, saved: {} }, options.kill ?? NEVER_KILL);
  }

  saved(batch: AttackBatch): Uint8Array | undefined {
    return this.section('').saved(batch);
  }

  save(batch: AttackBatch, fooled: Uint8Array): void {
    this.section('').save(batch, fooled);
  }

  /** The journal of one part of the evaluation (one ε of a curve): its recipes' batches are kept apart. */
  section(name: string): AttackJournal {
    const recipeKey = (batch: AttackBatch) => `${name} ${batch.recipe}`;
    const batchKey = (batch: AttackBatch) => `${recipeKey(batch)} #${batch.batch}`;
    return {
      saved: (batch) => {
        this.state.batchesOf[recipeKey(batch)] = batch.batches;
        const entry = this.state.saved[batchKey(batch)];
        if (!entry || entry.examples.join() !== batch.examples.join()) return undefined;
        return Uint8Array.from(entry.fooled, (flag) => (flag === '1' ? 1 : 0));
      },
      save: (batch, fooled) => {
        this.state.batchesOf[recipeKey(batch)] = batch.batches;
        this.state.saved[batchKey(batch)] = { examples: Array.from(batch.examples), fooled: fooled.join('') };
        writeFilesAtomic([[this.file, `${JSON.stringify(this.state)}\n`]], () => this.kill.reach('eval-journal-write'));
      },
    };
  }

  /** Attack batches whose outcome is saved. */
  savedBatches(): number {
    return Object.keys(this.state.saved).length;
  }

  /** "N of M attack batches saved in <file>", M counting the batches of the attacks begun so far. */
  describe(): string {
    const saved = this.savedBatches();
    const planned = Object.values(this.state.batchesOf).reduce((sum, n) => sum + n, 0);
    if (saved === 0) return 'no attack batch had finished, so nothing is saved';
    return `${saved} of ${planned} attack batches (of the attacks begun so far) saved in ${this.file}`;
  }

  /** Once the evaluation's results are written, the journal has done its job (with any temp copy a kill left). */
  remove(): void {
    fs.rmSync(this.file, { force: true });
    const dir = path.dirname(this.file);
    const temp = `.${path.basename(this.file)}.`;
    for (const name of fs.readdirSync(dir).filter((n) => n.startsWith(temp) && n.endsWith('.tmp')))
      fs.rmSync(path.join(dir, name), { force: true });
  }
}
