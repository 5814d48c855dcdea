import { stringify } from 'csv-stringify/sync';
import type { ExamplesRecord } from '../eval/summary';

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
  const names = record.attacks.map((a) => a.name);
  const rows = Array.from({ length: count }, (_, i) => {
    const successes = record.attacks.map((a) => (a.success[i] ? 1 : 0));
    return {
      index: record.index[i],
      label: record.label[i],
      clean_prediction: record.cleanPrediction[i],
      ...Object.fromEntries(names.map((name, k) => [name, successes[k]])),
      worst: successes.some((s) => s === 1) ? 1 : 0,
    };
  });
  return stringify(rows, { header: true, columns: ['index', 'label', 'clean_prediction', ...names, 'worst'] });
}
