import { runsAutoAttack, type SuiteName } from './suites';

/**
 * A cheaper suite is only trusted where it was measured against AutoAttack: each preset that evaluates with one
 * carries a calibration record (configs/calibration.ts) of its own trained models, attacked by the suite and by
 * AutoAttack's standard version on the same examples with the same seed. The record is prose for `list` and the
 * tests: it never enters a unit's config hash, so measuring a suite again keeps every finished result valid.
 */

/** One trained model, in percent of the attacked examples (robust accuracy). */
export interface CalibrationRow {
  /** The experiment run (e.g. relu-relu) and seed whose trained model was attacked. */
  run: string;
  seed: number;
  /** Accuracy under the preset's own PGD (eval.steps): the CSV's `robustness`. */
  pgd: number;
  /** Per-example worst case over the suite: the CSV's `robustness_worst`. */
  suiteWorst: number;
  /** Paper's PGD ∪ AutoAttack standard on the same examples and seed: `robustness_aa`. */
  autoAttack: number;
}

export interface SuiteCalibration {
  /** The suite measured; a preset that changes its eval.suite needs a new record. */
  suite: SuiteName;
  /** Attacked examples per row (the first N of the test split), the same for the suite and for AutoAttack. */
  examples: number;
  /** Where the models came from and how they were attacked, so the record can be reproduced. */
  experiment: string;
  commands: readonly string[];
  measured: string;
  machine: string;
  rows: readonly CalibrationRow[];
}

/**
 * The rule: a preset may evaluate with a suite that is not AutoAttack's standard version only where the suite's
 * worst case is at most this many points above AutoAttack on every measured row.
 */
export const CALIBRATION_TOLERANCE_POINTS = 2;

/** suite worst case − AutoAttack, in points, per row: how far the suite overstates robustness (negative: stronger). */
export function calibrationGaps(calibration: Pick<SuiteCalibration, 'rows'>): number[] {
  return calibration.rows.map((row) => round1(row.suiteWorst - row.autoAttack));
}

/** True when every measured row is within the tolerance (and at least one row was measured). */
export function passesCalibration(calibration: Pick<SuiteCalibration, 'rows'>): boolean {
  const gaps = calibrationGaps(calibration);
  return gaps.length > 0 && gaps.every((gap) => gap <= CALIBRATION_TOLERANCE_POINTS);
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const points = (value: number) => value.toFixed(1);

/**
 * What `list` prints about a preset's suite: contains AutoAttack, calibrated, failing or unmeasured
 * (`pending`: why a built-in preset's measurement is still missing).
 */
export function calibrationLine(suite: SuiteName, calibration: SuiteCalibration | undefined, pending?: string): string {
  if (runsAutoAttack(suite))
    return `suite ${suite}: contains AutoAttack standard, so its worst case is at most AutoAttack's by construction`;
  if (!calibration || calibration.suite !== suite)
    return `suite ${suite}: not calibrated against AutoAttack (${pending ?? 'measure with `sat-bench eval <seed folder> --attack autoattack`'})`;
  const gaps = calibrationGaps(calibration);
  const [low, high] = [points(Math.min(...gaps)), points(Math.max(...gaps))];
  const range = low === high ? `${high} points` : `${low}–${high} points`;
  const where = `on ${gaps.length} ${gaps.length === 1 ? 'row' : 'rows'}, ${calibration.examples} examples (measured ${calibration.measured})`;
  if (passesCalibration(calibration)) return `suite ${suite}: worst case within ${range} of AutoAttack ${where}`;
  return `suite ${suite}: FAILS calibration: worst case ${range} above AutoAttack ${where}, over the ${CALIBRATION_TOLERANCE_POINTS}-point rule`;
}
