import {
  activationProblems,
  bindActivation,
  normalizeSpec,
  specName,
  type ActivationRegistry,
  type ActivationSpec,
  type BoundActivation,
} from '../../nn/activation-spec';
import { ACTIVATIONS } from '../../nn/activations';
import type { ExperimentConfig, ExperimentRun } from './types';

/** The activations an experiment's runs may name: the built-ins plus the ones its file defines. */
export function registryOf(experiment: Pick<ExperimentConfig, 'activations'>): ActivationRegistry {
  return { ...ACTIVATIONS, ...(experiment.activations ?? {}) };
}

/** The three places a run names an activation, with their dot-paths under `runs[i]`. */
export function runActivationSpecs(run: ExperimentRun): Array<[string, ActivationSpec]> {
  return [
    ['forward', run.forward],
    ['backward.attack', run.backward.attack],
    ['backward.train', run.backward.train],
  ];
}

export interface BoundRun {
  forward: BoundActivation;
  attack: BoundActivation;
  train: BoundActivation;
}

export function bindRun(run: ExperimentRun, registry: ActivationRegistry): BoundRun {
  return {
    forward: bindActivation(run.forward, registry),
    attack: bindActivation(run.backward.attack, registry),
    train: bindActivation(run.backward.train, registry),
  };
}

/**
 * The run with each activation's default settings left out (a plain name when none differs), so `'psoftplus'` and
 * `{ name: 'psoftplus', sharpness: 10 }` hash, print and name folders alike.
 */
export function normalizeRun(run: ExperimentRun, registry: ActivationRegistry): ExperimentRun {
  const normal = (spec: ActivationSpec) => normalizeSpec(spec, registry);
  return {
    ...run,
    forward: normal(run.forward),
    backward: { attack: normal(run.backward.attack), train: normal(run.backward.train) },
  };
}

/**
 * The code of the experiment-defined activations a run uses (value, derivative and setting defaults as text), by
 * name: part of its config hash, so editing such a function invalidates the runs that used it. Built-ins: none.
 */
export function customActivationSource(
  run: ExperimentRun,
  experiment: Pick<ExperimentConfig, 'activations'>,
): Record<string, string> {
  const custom = experiment.activations ?? {};
  const names = [...new Set(runActivationSpecs(run).map(([, spec]) => specName(spec)))]
    .filter((name) => Object.prototype.hasOwnProperty.call(custom, name))
    .sort();
  return Object.fromEntries(
    names.map((name) => {
      const a = custom[name];
      return [
        name,
        `${String(a.value)}\n${String(a.derivative)}\n${JSON.stringify(a.settings ?? {})}\n${JSON.stringify(a.parameter ?? null)}`,
      ];
    }),
  );
}

/** Every problem with a run's activation names and settings, by dot-path. */
export function runActivationProblems(run: ExperimentRun, registry: ActivationRegistry, path: string): string[] {
  return runActivationSpecs(run).flatMap(([field, spec]) => activationProblems(spec, registry, `${path}.${field}`));
}
