import type { ExperimentConfig, ExperimentRun, SweepValue } from './records';

/** A swept value as CSV cells, run ids and headings print it: numbers and strings as they are, the rest as JSON. */
export function sweepValueText(value: SweepValue): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** The CSV column of a swept preset key: `sweep_` and its dot-path (`sweep_epsilon`, `sweep_train.schedule`). */
export function sweepColumn(key: string): string {
  return `sweep_${key}`;
}

/** `@epsilon=0.1@train.epochs=2`: appended to a run's id for its copy at one sweep point (its folder name too). */
export function pointSuffix(point: Readonly<Record<string, SweepValue>>): string {
  return Object.entries(point)
    .map(([key, value]) => `@${key}=${sweepValueText(value).replace(/[^A-Za-z0-9._=+-]/g, '_')}`)
    .join('');
}

/**
 * The line a swept row belongs to: its run id without this key's `@key=value` (`relu-relu@epsilon=0.1` → `relu-relu`).
 * Other swept keys keep theirs, so each of their values is a line of its own, never joined across.
 */
export function sweepSeries(run: string, key: string): string {
  return run
    .split('@')
    .filter((part, i) => i === 0 || !part.startsWith(`${key}=`))
    .join('@');
}

/** A run id without any sweep point's `@key=value`: the experiment's run (`relu-relu@epsilon=0.1` → `relu-relu`). */
export function unsweptRunId(run: string): string {
  return run.split('@')[0];
}

/** The run deltas of `run` are measured against: the baseline at the same sweep point. */
export function baselineIdFor(experiment: Pick<ExperimentConfig, 'baseline'>, run: ExperimentRun): string {
  return run.sweepPoint ? `${experiment.baseline}${pointSuffix(run.sweepPoint.values)}` : experiment.baseline;
}

/**
 * The baseline of a (maybe swept) run id: `psoftplus-relu@epsilon=0.1` → `relu-relu@epsilon=0.1`; the same as
 * baselineIdFor, for readers that have the CSV's run ids rather than the config's runs.
 */
export function baselineForRunId(runId: string, baseline: string): string {
  const at = runId.indexOf('@');
  return at < 0 ? baseline : `${baseline}${runId.slice(at)}`;
}

/** The sweep cells of a row, in the experiment's sweep-key order (empty without a sweep). */
export function sweepCells(experiment: Pick<ExperimentConfig, 'sweep'>, run: ExperimentRun): string[] {
  return Object.keys(experiment.sweep ?? {}).map((key) =>
    run.sweepPoint ? sweepValueText(run.sweepPoint.values[key]) : '',
  );
}
