import { derivativeMismatch } from '../../nn/activation-check';
import { bindActivation, specName } from '../../nn/activation-spec';
import { ACTIVATIONS, type Activation } from '../../nn/activations';
import { experimentSchema } from './experiment-schema';
import { invalidConfig, schemaProblems } from './format-issues';
import { registryOf, runActivationSpecs } from './run-activations';
import type { ExperimentConfig } from './types';

/** Each experiment-defined activation, as the runs use it: its derivative against finite differences of its value. */
async function derivativeProblems(config: ExperimentConfig): Promise<string[]> {
  const registry = registryOf(config);
  const checked = new Set<string>();
  const problems: string[] = [];
  for (const [i, run] of config.runs.entries()) {
    for (const [field, spec] of runActivationSpecs(run)) {
      if (Object.prototype.hasOwnProperty.call(ACTIVATIONS, specName(spec))) continue;
      const bound = bindActivation(spec, registry);
      if (checked.has(bound.id)) continue;
      checked.add(bound.id);
      const mismatch = await derivativeMismatch(bound.activation as Activation, bound.settings);
      if (mismatch)
        problems.push(
          `runs[${i}].${field}: ${bound.id}: ${mismatch}; fix activations.${bound.name}.derivative (or value)`,
        );
    }
  }
  return problems;
}

/**
 * Checks an experiment object (a built-in, or one loaded from a file, so nothing about it is trusted) against the
 * schema, then the derivatives of the activations it defines; throws one UserError listing every problem with its
 * dot-path, prefixed by `where` (the file). Sweep values are checked against the preset by sweep.ts.
 */
export async function checkExperiment(value: unknown, where: string): Promise<ExperimentConfig> {
  const shapeProblems = schemaProblems(experimentSchema, value);
  const problems = shapeProblems.length > 0 ? shapeProblems : await derivativeProblems(value as ExperimentConfig);
  if (problems.length > 0) throw invalidConfig(where, problems, 'correct the listed values in the experiment');
  return value as ExperimentConfig;
}
