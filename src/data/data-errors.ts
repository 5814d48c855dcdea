import { UserError } from '../util/errors';

/**
 * The ways a data file can be wrong. One code per cause, so scripts and tests can tell a truncated copy from a
 * corrupt one without parsing the message.
 */
export type DataErrorCode =
  | 'data-missing-file'
  | 'data-truncated'
  | 'data-corrupt-gzip'
  | 'data-bad-magic'
  | 'data-bad-shape'
  | 'data-bad-label'
  | 'data-count-mismatch'
  | 'data-size-mismatch'
  | 'data-bad-image'
  | 'data-empty'
  | 'data-unknown-class'
  | 'data-not-found';

/** The fix for a damaged file: the same advice everywhere, so users learn it once. */
export const COPY_AGAIN =
  'the file is damaged or incomplete; copy it again (or run `sat-bench data fetch`), or set SAT_BENCH_DATA to a complete copy';

/** `<file>: <what is wrong>, got <value>.` with its fix, per the house template. */
export function dataError(code: DataErrorCode, file: string, what: string, got: string, fix = COPY_AGAIN): UserError {
  return new UserError(code, `${file}: ${what}, got ${got}.`, fix);
}

/** 47040016 → "47,040,016": byte counts are read by people. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A histogram of class labels, for checks and warnings. */
export function labelHistogram(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

/** Index and value of the first label outside [0, numClasses), or undefined when all are valid. */
export function findBadLabel(
  labels: ArrayLike<number>,
  numClasses: number,
): { index: number; value: number } | undefined {
  for (let i = 0; i < labels.length; i++) {
    if (!(labels[i] >= 0 && labels[i] < numClasses)) return { index: i, value: labels[i] };
  }
  return undefined;
}
