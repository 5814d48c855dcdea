import { stringify } from 'csv-stringify/sync';

/** One point of a robustness-against-ε curve; fractions in [0, 1], robustnessAa absent when AutoAttack did not run. */
export interface EpsilonPoint {
  epsilon: number;
  accuracy: number;
  robustness: number;
  robustnessWorst: number;
  robustnessAa?: number;
}

const percent = (fraction: number | undefined) => (fraction === undefined ? '' : (100 * fraction).toFixed(2));

const COLUMNS = ['epsilon', 'epsilon_255', 'accuracy', 'robustness', 'robustness_worst', 'robustness_aa'];

/** The CSV text: one row per ε (also on the 0–255 scale), in percent like the experiment CSVs. */
export function epsilonCurveCsv(points: readonly EpsilonPoint[]): string {
  const rows = points.map((p) => ({
    epsilon: p.epsilon.toFixed(6),
    epsilon_255: (255 * p.epsilon).toFixed(2),
    accuracy: percent(p.accuracy),
    robustness: percent(p.robustness),
    robustness_worst: percent(p.robustnessWorst),
    robustness_aa: percent(p.robustnessAa),
  }));
  return stringify(rows, { header: true, columns: COLUMNS });
}
