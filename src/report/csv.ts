import { stringify } from 'csv-stringify/sync';
import type { RunMetrics } from '../experiment/run-store';
import type { ExperimentConfig } from '../experiment/types';

const percent = (fraction: number) => (100 * fraction).toFixed(2);
const signedDelta = (value: number, baseline: number | undefined) =>
  baseline === undefined ? '' : (100 * (value - baseline)).toFixed(2);

/** Rows of an experiment's CSV, in config order, from the finished runs (missing runs are left out). */
export function experimentCsv(experiment: ExperimentConfig, finished: ReadonlyMap<string, RunMetrics>): string {
  const baseline = finished.get(experiment.baseline);
  const runColumns = experiment.layout === 'backward-pair' ? ['attacker_backward', 'optimizer_backward'] : ['activation'];
  const header = [
    'run', ...runColumns, 'accuracy', 'robustness', 'accuracy_delta', 'robustness_delta', 'paper_accuracy', 'paper_robustness',
    'preset', 'dataset', 'model', 'epsilon', 'eval_steps', 'eval_examples', 'seed', 'backend',
  ];
  const rows = experiment.runs.flatMap((run) => {
    const m = finished.get(run.id);
    if (!m) return [];
    const runCells = experiment.layout === 'backward-pair' ? [run.backward.attack, run.backward.train] : [run.forward];
    return [[
      run.id, ...runCells, percent(m.accuracy), percent(m.robustness),
      signedDelta(m.accuracy, baseline?.accuracy), signedDelta(m.robustness, baseline?.robustness),
      run.paper.accuracy.toFixed(2), run.paper.robustness.toFixed(2),
      m.preset, m.dataset, m.model, m.epsilon.toFixed(6), m.evalSteps, m.evalExamples, m.seed, m.backend,
    ]];
  });
  return stringify([header, ...rows]);
}
