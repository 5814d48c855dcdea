import { checkExperiment } from './check-experiment';
import { normalizeRun, registryOf } from './run-activations';
import type { ExperimentConfig } from './types';

/**
 * An experiment as the runner uses it: checked (every problem with its dot-path, prefixed by `where`), each
 * activation written in its normal form (default settings left out), so cells, ids and hashes do not depend on
 * how a config spelt the same function.
 */
export async function prepareExperiment(value: unknown, where: string): Promise<ExperimentConfig> {
  const experiment = await checkExperiment(value, where);
  const registry = registryOf(experiment);
  return { ...experiment, runs: experiment.runs.map((run) => normalizeRun(run, registry)) };
}
