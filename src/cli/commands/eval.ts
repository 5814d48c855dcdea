import type { Argv, CommandModule } from 'yargs';
import { SUITE_NAMES, type SuiteName } from '../../eval/suites';
import { evaluateCheckpoint } from '../../experiment/evaluate-checkpoint';
import { resolveExperiment } from '../../experiment/resolve';
import { UserError } from '../../util/errors';
import { JSON_OPTION, outputFor } from '../output';
import { terminalProgress } from '../progress';
import { BACKEND_CHOICES, FAST_KERNELS_OPTION, prepareBackend, type BackendRequest } from '../setup';

interface EvalArgs {
  checkpoint: string;
  attack?: SuiteName;
  examples?: number;
  seed?: number;
  out?: string;
  backend: BackendRequest;
  'fast-kernels': boolean;
  'data-dir'?: string;
  experiment?: string;
  json: boolean;
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval <checkpoint>',
  describe: 're-evaluate a saved model with an attack suite (no training); writes evaluation.json and examples.csv',
  builder: (y: Argv) =>
    y
      .positional('checkpoint', { type: 'string', demandOption: true, describe: 'a seed folder (<out>/<preset>/<experiment>/<run>/seed-<k>) or its checkpoint/ folder' })
      .option('attack', { type: 'string', choices: SUITE_NAMES, describe: "attack suite (default: the preset's eval.suite)" })
      .option('examples', { type: 'number', describe: "attacked test examples (default: the preset's eval.examples)" })
      .option('seed', { type: 'number', describe: "seed of the random starts (default: the run's seed)" })
      .option('out', { type: 'string', describe: 'output folder (default: eval-<suite> next to the checkpoint)' })
      .option('backend', { type: 'string', choices: BACKEND_CHOICES, default: 'auto' })
      .option('fast-kernels', FAST_KERNELS_OPTION)
      .option('data-dir', { type: 'string', describe: "the dataset's folder (else $SAT_BENCH_DATA, else ~/.cache/sat-bench)" })
      .option('json', JSON_OPTION)
      .option('experiment', { type: 'string', describe: 'the experiment file the run came from, when it uses activations defined there' }) as unknown as Argv<EvalArgs>,
  handler: async (args) => {
    for (const [flag, value] of [['--examples', args.examples], ['--seed', args.seed]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < (flag === '--seed' ? 0 : 1))) {
        throw new UserError('bad-flag', `${flag}: expected an integer >= ${flag === '--seed' ? 0 : 1}, got ${value}`, `e.g. ${flag} ${flag === '--seed' ? 0 : 100}`);
      }
    }
    const backend = await prepareBackend(args.backend, args['fast-kernels']);
    const out = outputFor(args.json);
    out.human(backend.reason);
    const experiment = args.experiment !== undefined ? await resolveExperiment(args.experiment) : undefined;
    const { summary, files, suite } = await evaluateCheckpoint(args.checkpoint, {
      suite: args.attack, examples: args.examples, seed: args.seed, outDir: args.out, dataDir: args['data-dir'], progress: terminalProgress(), experiment,
    });
    const pct = (f: number) => `${(100 * f).toFixed(2)}%`;
    out.human(`accuracy ${pct(summary.accuracy)}, ${summary.attacks[0].name} ${pct(summary.robustness)}, worst case over ${suite} ${pct(summary.robustnessWorst)}, sanity ${summary.sanity.cell}`);
    out.human(`wrote ${files.join(' and ')}`);
    out.result({ checkpoint: args.checkpoint, suite, accuracy: summary.accuracy, robustness: summary.robustness, robustnessWorst: summary.robustnessWorst, sanity: summary.sanity.cell, attacks: summary.attacks.map((a) => ({ name: a.name, robustness: a.robustness })), files });
  },
};
