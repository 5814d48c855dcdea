import { pointSuffix } from '../../report/sweep-cells';
import { suggestName } from '../../util/errors';
import { settablePaths, writePath, type Json } from './dot-paths';
import { invalidConfig } from './format-issues';
import type { ExperimentConfig, ExperimentRun, Preset, SweepValue } from './types';
import { validatePreset } from './validate';

type Point = Record<string, SweepValue>;

/** Every combination of the swept values: keys in the order written, the last key varying fastest. */
export function sweepPoints(sweep: Readonly<Record<string, readonly SweepValue[]>>): Point[] {
  return Object.entries(sweep).reduce<Point[]>(
    (points, [key, values]) => points.flatMap((point) => values.map((value) => ({ ...point, [key]: value }))),
    [{}],
  );
}

/** One copy of every run per sweep point, grouped by point; an experiment without a sweep (or expanded) is returned as is. */
export function expandSweep(experiment: ExperimentConfig): ExperimentConfig {
  if (!experiment.sweep || experiment.runs.some((run) => run.sweepPoint)) return experiment;
  const runs = sweepPoints(experiment.sweep).flatMap((point) =>
    experiment.runs.map((run): ExperimentRun => ({
      ...run,
      id: `${run.id}${pointSuffix(point)}`,
      sweepPoint: { baseId: run.id, values: point },
    })),
  );
  return { ...experiment, runs };
}

/** The preset a run trains with: the command's preset with the run's swept values written in. */
export function presetForRun(preset: Preset, run: ExperimentRun): Preset {
  if (!run.sweepPoint) return preset;
  const copy = structuredClone(preset) as unknown as { [key: string]: Json };
  for (const [key, value] of Object.entries(run.sweepPoint.values)) writePath(copy, key, structuredClone(value));
  return copy as unknown as Preset;
}

/**
 * Checks the sweep against the preset it runs on: every key a preset key (not under `dataset`: one dataset is
 * loaded per command), and every point's preset valid. One UserError lists every problem.
 */
export function checkSweep(experiment: ExperimentConfig, preset: Preset, where: string): void {
  if (!experiment.sweep) return;
  const keys = settablePaths(preset as unknown as Json);
  const problems: string[] = [];
  for (const key of Object.keys(experiment.sweep)) {
    if (key === 'dataset' || key.startsWith('dataset.'))
      problems.push(
        `sweep.${key}: the dataset cannot be swept (one dataset is loaded per command); run the experiment once per preset instead`,
      );
    else if (!keys.includes(key))
      problems.push(
        `sweep.${key}: not a key of the preset; ${suggestName(
          key,
          keys.filter((k) => !k.startsWith('dataset')),
        )}`,
      );
  }
  if (problems.length > 0)
    throw invalidConfig(where, problems, 'sweep preset keys by their dot-path, e.g. sweep: { epsilon: [0.1, 0.2] }');
  for (const run of expandSweep(experiment).runs.filter((r) => r.sweepPoint?.baseId === experiment.runs[0].id)) {
    const at = `${where} at sweep point ${pointSuffix(run.sweepPoint!.values).slice(1)}`;
    validatePreset(presetForRun(preset, run), at, 'correct the swept values');
  }
}
