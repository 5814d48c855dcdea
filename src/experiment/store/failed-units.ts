import * as path from 'node:path';
import { readFailure, seedDirectory, seedFolders } from './seed-folder';
import type { FailedUnit } from './seed-records';
import type { ExperimentConfig } from '../config/types';
import type { Unit } from '../config/units';

export type { FailedUnit } from './seed-records';

/** Every recorded failure of an experiment, by run id; with `hashOf`, only those made with the current config. */
export function collectFailed(
  outDir: string,
  presetName: string,
  experiment: ExperimentConfig,
  hashOf?: (unit: Unit) => string,
): Map<string, FailedUnit[]> {
  const failed = new Map<string, FailedUnit[]>();
  for (const run of experiment.runs) {
    const list = seedFolders(path.join(outDir, presetName, experiment.id, run.id))
      .map((seed) => ({ seed, failure: readFailure(seedDirectory(outDir, presetName, experiment.id, run.id, seed)) }))
      .filter(({ seed, failure }) => failure && (!hashOf || failure.configHash === hashOf({ run, seed })))
      .map(({ failure }) => failure!);
    if (list.length > 0) failed.set(run.id, list);
  }
  return failed;
}

// JSON stores NaN as null: a NaN loss at the first step has no finite loss before it.
const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
const pct = (fraction: number | null | undefined) => (finite(fraction) ? `${(100 * fraction).toFixed(1)}%` : 'none');
const loss = (x: number | null | undefined) => (finite(x) ? x.toFixed(4) : 'none');

/** One line with the numbers of the epoch it stopped in: the CSV's `status` cell, the report's and the terminal's. */
export function describeFailure(f: FailedUnit): string {
  const n = f.numbers;
  const where = `seed ${f.seed}, epoch ${n.epoch}${n.step !== undefined ? ` step ${n.step}` : ''}`;
  const numbers =
    f.code === 'nan-loss'
      ? `last finite loss ${loss(n.loss)}, adversarial accuracy ${pct(n.adversarialAccuracy)}`
      : `loss ${loss(n.loss)}, adversarial accuracy ${pct(n.adversarialAccuracy)}, second half ${pct(n.lateAccuracy)}, chance ${pct(n.chance)}`;
  return `${f.code} (${where}: ${numbers})`;
}

/**
 * `run` finished every unit it could, but some stopped for good: exit EXIT.unitsFailed (3) naming them, after the
 * CSV and reports were written.
 */
export class UnitsFailed extends Error {
  constructor(readonly failed: readonly FailedUnit[]) {
    super(
      `${failed.length} unit(s) did not finish training, recorded in the CSV and reports:\n` +
        failed.map((f) => `  - ${f.run} ${describeFailure(f)}`).join('\n') +
        '\n  (a rerun keeps these records; --retry-failed trains them again; a changed recipe, e.g. with --set, trains anew anyway)',
    );
    this.name = 'UnitsFailed';
  }
}
