import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { SUITE_NAMES, type SuiteName } from '../../eval/suites';
import { reevaluateModel } from '../../eval/reevaluate';
import { loadCheckpoint } from '../../experiment/checkpoint';
import { loadPresetDataset } from '../../experiment/load-data';
import { disposeNetwork } from '../../nn/network';
import { UserError } from '../../util/errors';
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
}

/** Next to the checkpoint folder (never inside it, where the checkpoint reader looks), named after the suite. */
function defaultOut(checkpoint: string, suite: string): string {
  const isCheckpointFolder = fs.existsSync(path.join(checkpoint, 'index.json'));
  return path.join(isCheckpointFolder ? path.dirname(checkpoint) : checkpoint, `eval-${suite}`);
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
      .option('data-dir', { type: 'string', describe: "the dataset's folder (else $SAT_BENCH_DATA, else ~/.cache/sat-bench)" }) as unknown as Argv<EvalArgs>,
  handler: async (args) => {
    for (const [flag, value] of [['--examples', args.examples], ['--seed', args.seed]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < (flag === '--seed' ? 0 : 1))) {
        throw new UserError('bad-flag', `${flag}: expected an integer >= ${flag === '--seed' ? 0 : 1}, got ${value}`, `e.g. ${flag} ${flag === '--seed' ? 0 : 100}`);
      }
    }
    const backend = await prepareBackend(args.backend, args['fast-kernels']);
    console.log(backend.reason);
    const loaded = loadCheckpoint(args.checkpoint);
    try {
      const suite = args.attack ?? loaded.preset.eval.suite;
      const dataset = await loadPresetDataset(loaded.preset.dataset, { dataDir: args['data-dir'] });
      const outDir = args.out ?? defaultOut(args.checkpoint, suite);
      const { summary, files } = await reevaluateModel({ net: loaded.net, plan: loaded.plan, evalConfig: loaded.preset.eval }, dataset, {
        suite, examples: args.examples, seed: args.seed ?? loaded.seed, epsilon: loaded.preset.epsilon, outDir,
        runId: `${loaded.run.id}/seed-${loaded.seed}`, progress: terminalProgress(),
      });
      const pct = (f: number) => `${(100 * f).toFixed(2)}%`;
      console.log(`accuracy ${pct(summary.accuracy)}, ${summary.attacks[0].name} ${pct(summary.robustness)}, worst case over ${suite} ${pct(summary.robustnessWorst)}, sanity ${summary.sanity.cell}`);
      console.log(`wrote ${files.join(' and ')}`);
    } finally {
      disposeNetwork(loaded.net);
    }
  },
};
