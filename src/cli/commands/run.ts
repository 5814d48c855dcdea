import type { Argv, CommandModule } from 'yargs';
import { EXPERIMENTS, PRESET_NAMES, presetByName, type ExperimentName } from '../../experiment/registry';
import { applyOverrides } from '../../experiment/overrides';
import { runExperiment } from '../../experiment/run-experiment';
import { UserError } from '../../util/errors';
import { terminalProgress } from '../progress';
import { BACKEND_CHOICES, prepareBackend, type BackendRequest } from '../setup';

interface RunArgs {
  experiment: ExperimentName;
  preset: string;
  out: string;
  seed: number;
  backend: BackendRequest;
  runs?: string;
  set: string[];
  'max-steps': number;
  'data-dir'?: string;
  force: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <experiment>',
  describe: 'train and evaluate every run of an experiment and write its CSV',
  builder: (y: Argv) =>
    y
      .positional('experiment', { type: 'string', choices: Object.keys(EXPERIMENTS), demandOption: true })
      .option('preset', { type: 'string', choices: PRESET_NAMES, default: 'quick', describe: 'scale: data, model, recipe' })
      .option('out', { type: 'string', default: 'results', describe: 'results folder' })
      .option('seed', { type: 'number', default: 0 })
      .option('backend', { type: 'string', choices: BACKEND_CHOICES, default: 'auto' })
      .option('runs', { type: 'string', describe: 'comma-separated run ids (default: all)' })
      .option('set', { type: 'string', array: true, default: [], describe: 'override a preset value, e.g. --set train.epochs=1' })
      .option('max-steps', { type: 'number', default: 0, describe: 'stop each training after N steps (tiny runs)' })
      .option('data-dir', { type: 'string', describe: "the dataset's folder (else $SAT_BENCH_DATA, else ~/.cache/sat-bench)" })
      .option('force', { type: 'boolean', default: false, describe: 'replace finished runs whose config changed' }) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    for (const [flag, value] of [['--seed', args.seed], ['--max-steps', args['max-steps']]] as const) {
      if (!Number.isInteger(value) || value < 0) {
        throw new UserError('bad-flag', `${flag}: expected an integer >= 0, got ${value}`, `e.g. ${flag} 0`);
      }
    }
    const preset = applyOverrides(presetByName(args.preset), args.set);
    const backend = await prepareBackend(args.backend);
    console.log(backend.reason);
    const outcome = await runExperiment(EXPERIMENTS[args.experiment], {
      outDir: args.out,
      presetName: args.preset,
      preset,
      seed: args.seed,
      backend: backend.provenance,
      runs: args.runs ? args.runs.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
      maxSteps: args['max-steps'],
      dataDir: args['data-dir'],
      force: args.force,
      progress: terminalProgress(),
    });
    console.log(`wrote ${outcome.csvPath} (${outcome.finished.length} of ${EXPERIMENTS[args.experiment].runs.length} runs finished)`);
  },
};
