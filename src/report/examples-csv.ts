import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { ExamplesRecord } from '../eval/summary';
import { writeFileAtomic } from '../util/atomic-write';

/** The CSV text: index, label, clean_prediction, one 0/1 column per attack, then `worst` (any attack succeeded). */
export function examplesCsv(record: ExamplesRecord): string {
  const count = record.index.length;
  for (const [what, values] of [
    ['label', record.label],
    ['cleanPrediction', record.cleanPrediction],
    ...record.attacks.map((a) => [a.name, a.success] as const),
  ] as const) {
    if (values.length !== count)
      throw new RangeError(`examplesCsv: ${what} has ${values.length} entries, index has ${count}`);
  }
  const header = ['index', 'label', 'clean_prediction', ...record.attacks.map((a) => a.name), 'worst'];
  const rows: Array<Array<number | string>> = [header];
  for (let i = 0; i < count; i++) {
    const successes = record.attacks.map((a) => (a.success[i] ? 1 : 0));
    rows.push([
      record.index[i],
      record.label[i],
      record.cleanPrediction[i],
      ...successes,
      successes.some((s) => s === 1) ? 1 : 0,
    ]);
  }
  return stringify(rows);
}

/** Writes `<dir>/examples.csv` atomically (readers see the old file or the new one, never a torn one). */
export function writeExamplesCsv(dir: string, record: ExamplesRecord): void {
  writeFileAtomic(path.join(dir, 'examples.csv'), examplesCsv(record));
}
