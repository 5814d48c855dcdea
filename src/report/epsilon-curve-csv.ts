import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../util/atomic-write';

/** One point of a robustness-against-ε curve; fractions in [0, 1], robustnessAa absent when AutoAttack did not run. */
export interface EpsilonPoint {
  epsilon: number;
  accuracy: number;
  robustness: number;
  robustnessWorst: number;
  robustnessAa?: number;
}

const percent = (fraction: number | undefined) => (fraction === undefined ? '' : (100 * fraction).toFixed(2));

/** The CSV text: one row per ε (also on the 0–255 scale), in percent like the experiment CSVs. */
export function epsilonCurveCsv(points: readonly EpsilonPoint[]): string {
  const header = ['epsilon', 'epsilon_255', 'accuracy', 'robustness', 'robustness_worst', 'robustness_aa'];
  const rows = points.map((p) => [
    p.epsilon.toFixed(6),
    (255 * p.epsilon).toFixed(2),
    percent(p.accuracy),
    percent(p.robustness),
    percent(p.robustnessWorst),
    percent(p.robustnessAa),
  ]);
  return stringify([header, ...rows]);
}

/** Writes `<dir>/robustness-vs-epsilon.csv` atomically and returns its path. */
export function writeEpsilonCurveCsv(dir: string, points: readonly EpsilonPoint[]): string {
  const file = path.join(dir, 'robustness-vs-epsilon.csv');
  writeFileAtomic(file, epsilonCurveCsv(points));
  return file;
}
