import { derivativeMismatch } from '../../nn/activation-check';
import { bindActivation, specName } from '../../nn/activation-spec';
import { ACTIVATIONS, type Activation } from '../../nn/activations';
import { suggestName, UserError } from '../../util/errors';
import { registryOf, runActivationProblems, runActivationSpecs } from './run-activations';
import type { ExperimentConfig } from './types';

const RUN_ID = /^[a-z0-9][a-z0-9-]*$/;
const ACTIVATION_NAME = /^[a-z][a-z0-9-]*$/;
const LAYOUTS = ['backward-pair', 'activation'];
const EXPERIMENT_KEYS = ['id', 'title', 'layout', 'baseline', 'runs', 'activations', 'sweep'];
const RUN_KEYS = ['id', 'label', 'forward', 'backward', 'paper'];
const ACTIVATION_KEYS = ['description', 'settings', 'parameter', 'value', 'derivative'];

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (typeof v === 'function' ? 'a function' : v === undefined ? 'nothing' : JSON.stringify(v));

/** Problems found in an experiment object, each with its dot-path. */
class ExperimentProblems {
  readonly list: string[] = [];

  add(path: string, text: string): void {
    this.list.push(`${path}: ${text}`);
  }

  string(obj: Obj, key: string, path: string, pattern?: RegExp, patternText?: string): string | undefined {
    const v = obj[key];
    if (typeof v !== 'string') return void this.add(path, `expected a string, got ${show(v)}`);
    if (pattern && !pattern.test(v)) return void this.add(path, `${patternText}, got "${v}"`);
    return v;
  }

  number(v: unknown, path: string): void {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.add(path, `expected a number, got ${show(v)}`);
  }

  unknownKeys(obj: Obj, known: readonly string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) this.add(path ? `${path}.${key}` : key, `unknown key; ${suggestName(key, known)}`);
    }
  }
}

function checkActivationDefinitions(value: unknown, p: ExperimentProblems): void {
  if (value === undefined) return;
  if (!isObject(value)) return p.add('activations', `expected an object of activations by name, got ${show(value)}`);
  for (const [name, def] of Object.entries(value)) {
    const path = `activations.${name}`;
    if (Object.prototype.hasOwnProperty.call(ACTIVATIONS, name)) {
      p.add(path, `"${name}" is a built-in activation; give yours another name`);
      continue;
    }
    if (!ACTIVATION_NAME.test(name))
      p.add(path, `names are lowercase letters, digits and '-', starting with a letter, got "${name}"`);
    if (!isObject(def)) {
      p.add(path, `expected { description, value(x, settings), derivative(x, settings) }, got ${show(def)}`);
      continue;
    }
    p.unknownKeys(def, ACTIVATION_KEYS, path);
    p.string(def, 'description', `${path}.description`);
    for (const fn of ['value', 'derivative'])
      if (typeof def[fn] !== 'function')
        p.add(`${path}.${fn}`, `expected a function of (x: tf.Tensor, settings), got ${show(def[fn])}`);
    if (def.settings !== undefined && !isObject(def.settings))
      p.add(`${path}.settings`, `expected { name: { default, description } }, got ${show(def.settings)}`);
    for (const [key, setting] of Object.entries(isObject(def.settings) ? def.settings : {})) {
      if (!isObject(setting)) {
        p.add(`${path}.settings.${key}`, `expected { default, description }, got ${show(setting)}`);
        continue;
      }
      p.number(setting.default, `${path}.settings.${key}.default`);
      if (setting.min !== undefined) p.number(setting.min, `${path}.settings.${key}.min`);
    }
  }
}

function checkRuns(config: Obj, p: ExperimentProblems): string[] {
  const runs = config.runs;
  if (!Array.isArray(runs) || runs.length === 0) {
    p.add('runs', `expected a non-empty array of runs, got ${show(runs)}`);
    return [];
  }
  const ids: string[] = [];
  runs.forEach((run: unknown, i) => {
    const path = `runs[${i}]`;
    if (!isObject(run))
      return p.add(path, `expected { id, label, forward, backward: { attack, train } }, got ${show(run)}`);
    p.unknownKeys(run, RUN_KEYS, path);
    const id = p.string(run, 'id', `${path}.id`, RUN_ID, "ids are lowercase letters, digits and '-'");
    if (id !== undefined && ids.includes(id)) p.add(`${path}.id`, `"${id}" appears twice`);
    if (id !== undefined) ids.push(id);
    p.string(run, 'label', `${path}.label`);
    if (!isObject(run.backward)) p.add(`${path}.backward`, `expected { attack, train }, got ${show(run.backward)}`);
    else p.unknownKeys(run.backward, ['attack', 'train'], `${path}.backward`);
    if (run.paper !== undefined) {
      if (!isObject(run.paper))
        p.add(`${path}.paper`, `expected { accuracy, robustness } in percent, got ${show(run.paper)}`);
      else for (const key of ['accuracy', 'robustness']) p.number(run.paper[key], `${path}.paper.${key}`);
    }
  });
  return ids;
}

/** Runs' activation names and settings against the registry; the derivative of each experiment-defined one as used. */
async function checkRunActivations(config: ExperimentConfig, p: ExperimentProblems): Promise<void> {
  const registry = registryOf(config);
  const checked = new Set<string>();
  for (const [i, run] of config.runs.entries()) {
    if (!isObject(run) || !isObject(run.backward)) continue;
    const problems = runActivationProblems(run, registry, `runs[${i}]`);
    p.list.push(...problems);
    if (problems.length > 0) continue;
    for (const [field, spec] of runActivationSpecs(run)) {
      if (Object.prototype.hasOwnProperty.call(ACTIVATIONS, specName(spec))) continue;
      const bound = bindActivation(spec, registry);
      if (checked.has(bound.id)) continue;
      checked.add(bound.id);
      const mismatch = await derivativeMismatch(bound.activation as Activation, bound.settings);
      if (mismatch)
        p.add(`runs[${i}].${field}`, `${bound.id}: ${mismatch}; fix activations.${bound.name}.derivative (or value)`);
    }
  }
}

/**
 * Checks an experiment object (a built-in, or one loaded from a file, so nothing about it is trusted) and throws one
 * UserError listing every problem with its dot-path, prefixed by `where` (the file). Sweep values are checked
 * against the preset by sweep.ts.
 */
export async function checkExperiment(value: unknown, where: string): Promise<ExperimentConfig> {
  const p = new ExperimentProblems();
  if (!isObject(value)) {
    throw new UserError(
      'invalid-config',
      `${where}: expected an experiment object (export default defineExperiment({...})), got ${show(value)}`,
      'export the experiment as the default export',
    );
  }
  p.unknownKeys(value, EXPERIMENT_KEYS, '');
  p.string(value, 'id', 'id', RUN_ID, "ids are lowercase letters, digits and '-' (they name the results folder)");
  p.string(value, 'title', 'title');
  if (!LAYOUTS.includes(value.layout as string))
    p.add('layout', `expected one of ${LAYOUTS.join(', ')}, got ${show(value.layout)}`);
  checkActivationDefinitions(value.activations, p);
  const ids = checkRuns(value, p);
  const baseline = p.string(value, 'baseline', 'baseline');
  if (baseline !== undefined && ids.length > 0 && !ids.includes(baseline))
    p.add('baseline', `"${baseline}" is not one of the run ids; ${suggestName(baseline, ids)}`);
  if (value.sweep !== undefined && !isObject(value.sweep))
    p.add('sweep', `expected { 'dot.path': [values...] }, got ${show(value.sweep)}`);
  for (const [key, values] of Object.entries(isObject(value.sweep) ? value.sweep : {})) {
    if (!Array.isArray(values) || values.length === 0)
      p.add(`sweep.${key}`, `expected a non-empty array of values, got ${show(values)}`);
  }
  if (p.list.length === 0 && Array.isArray(value.runs))
    await checkRunActivations(value as unknown as ExperimentConfig, p);
  if (p.list.length > 0) {
    throw new UserError(
      'invalid-config',
      `${where}: ${p.list.length} problem(s):\n  - ${p.list.join('\n  - ')}`,
      'correct the listed values in the experiment',
    );
  }
  return value as unknown as ExperimentConfig;
}
