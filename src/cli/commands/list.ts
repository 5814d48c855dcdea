import type { Argv, CommandModule } from 'yargs';
import { DATASETS } from '../../data/registry';
import { formatSpec } from '../../nn/activation-spec';
import { type Activation } from '../../nn/activations';
import { MODELS } from '../../nn/models';
import { isConfigPath, loadConfigFile } from '../../experiment/config/config-file';
import { EXPERIMENTS, PRESETS } from '../../experiment/config/registry';
import { EVAL_SUITES, type SuiteSpec } from '../../eval/suites';
import { calibrationLine, type SuiteCalibration } from '../../eval/calibration';
import { PRESET_CALIBRATIONS, UNCALIBRATED_PRESETS } from '../../../configs/calibration';
import { resolveExperiment, resolvePreset } from '../../experiment/config/resolve';
import { registryOf } from '../../experiment/config/run-activations';
import type { ExperimentConfig, Preset } from '../../experiment/config/types';
import { UserError } from '../../util/errors';
import { JSON_OPTION, outputFor } from '../output';

/** The built-in record measured on this preset's own models; presets from files have none. */
const calibrationOf = (name: string): SuiteCalibration | undefined =>
  (PRESET_CALIBRATIONS as Readonly<Record<string, SuiteCalibration>>)[name];

function describePreset(name: string, p: Preset): string {
  return [
    `  ${name}: ${p.description}`,
    `      ${p.dataset.name}, ${p.model.name} (width ${p.model.width}), ε ${p.epsilon.toFixed(4)} (${(p.epsilon * 255).toFixed(1)}/255), ` +
      `train PGD-${p.train.attack.steps} × ${p.train.epochs} epochs, eval PGD-${p.eval.steps} with step ${+p.eval.stepSizeFactor.toPrecision(4)}ε = ${(p.eval.stepSizeFactor * p.epsilon).toPrecision(3)} on ${p.eval.examples} examples, ` +
      `seeds ${(p.seeds ?? [0]).join(',')}`,
    `      expected wall time: ${p.expectedWallTime}`,
    `      attack ${calibrationLine(p.eval.suite, calibrationOf(name), (UNCALIBRATED_PRESETS as Readonly<Record<string, string>>)[name])}`,
  ].join('\n');
}

function describeActivation(name: string, a: Activation): string {
  const settings = Object.entries(a.settings ?? {}).map(
    ([key, s]) => `${key} (default ${s.default}): ${s.description}`,
  );
  return `  ${name.padEnd(11)} ${a.description}${settings.length ? `\n${' '.repeat(14)}settings: ${settings.join('; ')}` : ''}`;
}

function describeExperiment(e: ExperimentConfig): string[] {
  const lines = [`  ${e.id}: ${e.title}`];
  if (e.sweep)
    lines.push(
      `      sweep: ${Object.entries(e.sweep)
        .map(([key, values]) => `${key} ∈ {${values.map((v) => JSON.stringify(v)).join(', ')}}`)
        .join(' × ')}`,
    );
  for (const run of e.runs) {
    const [forward, attack, train] = [run.forward, run.backward.attack, run.backward.train].map(formatSpec);
    const backward =
      attack === forward && train === forward ? forward : `forward ${forward}, attacker ${attack}, optimizer ${train}`;
    lines.push(
      `      ${run.id.padEnd(20)} ${backward.padEnd(50)}${run.paper ? ` paper ${run.paper.accuracy} / ${run.paper.robustness}` : ''}`,
    );
  }
  return lines;
}

/** Everything a user can name: experiments and their runs, presets, activations (with their settings), models. */
export function listText(experiments: readonly ExperimentConfig[], presets: Readonly<Record<string, Preset>>): string {
  const lines = ['experiments:', ...experiments.flatMap(describeExperiment), 'presets:'];
  for (const [name, preset] of Object.entries(presets)) lines.push(describePreset(name, preset));
  lines.push('attack suites (eval.suite; `sat-bench eval <run> --attack <suite>`):');
  for (const [name, suite] of Object.entries(EVAL_SUITES) as Array<[string, SuiteSpec]>) {
    const using = Object.entries(presets)
      .filter(([, p]) => p.eval.suite === name)
      .map(([n]) => n);
    lines.push(`  ${name}${using.length ? ` (${using.join(', ')})` : ''}: ${suite.description}`);
    lines.push(`      trades away: ${suite.tradeoff}`);
  }
  lines.push('datasets:');
  for (const [name, d] of Object.entries(DATASETS)) lines.push(`  ${name.padEnd(11)} ${d.description}`);
  lines.push('activations:');
  const activations = Object.assign({}, ...experiments.map(registryOf)) as Record<string, Activation>;
  for (const [name, a] of Object.entries(activations)) lines.push(describeActivation(name, a));
  lines.push('models:');
  for (const [name, m] of Object.entries(MODELS)) lines.push(`  ${name.padEnd(15)} ${m.description}`);
  return lines.join('\n');
}

/** `list --json`: the same content as data (functions left out). */
function listDocument(experiments: readonly ExperimentConfig[], presets: Readonly<Record<string, Preset>>): unknown {
  const activations = Object.assign({}, ...experiments.map(registryOf)) as Record<string, Activation>;
  return {
    experiments: experiments.map(({ activations: _custom, ...e }) => e),
    presets,
    calibrations: PRESET_CALIBRATIONS,
    activations: Object.fromEntries(
      Object.entries(activations).map(([name, a]) => [
        name,
        { description: a.description, settings: a.settings ?? {}, learnableParameter: a.parameter ?? null },
      ]),
    ),
    models: Object.fromEntries(Object.entries(MODELS).map(([name, m]) => [name, { description: m.description }])),
  };
}

interface ListArgs {
  files: string[];
  json: boolean;
}

/** A file is an experiment when it has runs, else a preset; either is checked as `run` would. */
async function loadFile(file: string): Promise<{ experiment?: ExperimentConfig; preset?: [string, Preset] }> {
  if (!isConfigPath(file))
    throw new UserError(
      'usage',
      `list: "${file}" is not a file path`,
      'give experiment or preset files, e.g. sat-bench list ./my-ablation.ts',
    );
  const raw = await loadConfigFile(file, 'experiment');
  if (raw && typeof raw === 'object' && 'runs' in raw) return { experiment: await resolveExperiment(file) };
  const resolved = await resolvePreset(file, []);
  return { preset: [resolved.name, resolved.preset] };
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list [files..]',
  describe:
    'list experiments and their runs, presets, activations and models (and those of experiment or preset files given)',
  builder: (y: Argv) =>
    y
      .positional('files', {
        type: 'string',
        array: true,
        default: [],
        describe: 'experiment or preset files (.ts/.js)',
      })
      .option('json', JSON_OPTION) as unknown as Argv<ListArgs>,
  handler: async (args) => {
    const experiments: ExperimentConfig[] = Object.values(EXPERIMENTS);
    const presets: Record<string, Preset> = { ...PRESETS };
    for (const file of args.files) {
      const loaded = await loadFile(file);
      if (loaded.experiment) experiments.push(loaded.experiment);
      if (loaded.preset) presets[loaded.preset[0]] = loaded.preset[1];
    }
    const out = outputFor(args.json);
    if (args.json) out.result(listDocument(experiments, presets));
    else out.human(listText(experiments, presets));
  },
};
