import type { Argv, CommandModule } from 'yargs';
import { SUITE_NAMES, type SuiteName } from '../../eval/suites';
import type { EvalSummary } from '../../eval/summary';
import { evaluateCheckpoint, type CheckpointEvaluation } from '../../experiment/orchestration/evaluate-checkpoint';
import { exitOnInterrupt } from '../../experiment/orchestration/interrupt';
import { resolveExperiment } from '../../experiment/config/resolve';
import type { EvalJournal } from '../../experiment/store/eval-journal';
import { KillSwitch } from '../../experiment/store/kill-point';
import { UserError } from '../../util/errors';
import { JSON_OPTION, outputFor } from '../output';
import { terminalProgress } from '../progress';
import { BACKEND_CHOICES, FAST_KERNELS_OPTION, prepareBackend, type BackendRequest } from '../setup';

interface EvalArgs {
  checkpoint: string;
  attack?: SuiteName;
  examples?: number;
  seed?: number;
  epsilon?: string;
  standalone: boolean;
  out?: string;
  backend: BackendRequest;
  'fast-kernels': boolean;
  'data-dir'?: string;
  experiment?: string;
  json: boolean;
}

/** "0.1,0.2" → [0.1, 0.2]; each in (0, 1]. */
function parseEpsilons(text: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0 || v > 1)) {
    throw new UserError(
      'bad-flag',
      `--epsilon: expected comma-separated numbers in (0, 1] (pixels in [0, 1]), got "${text}"`,
      'e.g. --epsilon 0.1,0.2,0.3 (write 8/255 as 0.0314)',
    );
  }
  return values;
}

const pct = (f: number) => `${(100 * f).toFixed(2)}%`;

/** The summary for the terminal: the three robustness columns, then what each attack of the cascade broke. */
function evaluationLines(summary: EvalSummary): string {
  const aa = summary.robustnessAa === undefined ? '' : `, AutoAttack (robustness_aa) ${pct(summary.robustnessAa)}`;
  const head =
    `ε ${summary.epsilon}: accuracy ${pct(summary.accuracy)}, ${summary.attacks[0].name} (robustness) ${pct(summary.robustness)}, ` +
    `worst case over ${summary.suite} (robustness_worst) ${pct(summary.robustnessWorst)}${aa}, sanity ${summary.sanity.cell}`;
  const rows = summary.attacks.map(
    (a) =>
      `  ${a.name.padEnd(20)} ran on ${String(a.attacked).padStart(5)}, broke ${String(a.broken).padStart(5)}, robust after it ${pct(a.robustnessAfter)}` +
      (a.robustness === undefined ? '' : `, alone ${pct(a.robustness)}`),
  );
  return [
    head,
    `  ${summary.cascade ? 'cascade' : 'standalone'}: each attack ${summary.cascade ? 'on the examples still standing' : 'on every example'}`,
    ...rows,
  ].join('\n');
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval <checkpoint>',
  describe: 're-evaluate a saved model with an attack suite (no training); writes evaluation.json and examples.csv',
  builder: (y: Argv) =>
    y
      .positional('checkpoint', {
        type: 'string',
        demandOption: true,
        describe: 'a seed folder (<out>/<preset>/<experiment>/<run>/seed-<k>) or its checkpoint/ folder',
      })
      .option('attack', {
        type: 'string',
        choices: SUITE_NAMES,
        describe: "attack suite (default: the preset's eval.suite)",
      })
      .option('examples', { type: 'number', describe: "attacked test examples (default: the preset's eval.examples)" })
      .option('seed', { type: 'number', describe: "seed of the random starts (default: the run's seed)" })
      .option('epsilon', {
        type: 'string',
        describe:
          "comma-separated ε values (pixels in [0, 1], e.g. 0.1,0.2,0.3): robustness against ε on the same examples and starts (default: the run's ε)",
      })
      .option('standalone', {
        type: 'boolean',
        default: false,
        describe: "run every attack on every example (each attack's own robustness) instead of the cascade",
      })
      .option('out', { type: 'string', describe: 'output folder (default: eval-<suite> next to the checkpoint)' })
      .option('backend', { type: 'string', choices: BACKEND_CHOICES, default: 'auto' })
      .option('fast-kernels', FAST_KERNELS_OPTION)
      .option('data-dir', {
        type: 'string',
        describe: "the dataset's folder (else $SAT_BENCH_DATA, else ~/.cache/sat-bench)",
      })
      .option('json', JSON_OPTION)
      .option('experiment', {
        type: 'string',
        describe: 'the experiment file the run came from, when it uses activations defined there',
      })
      .example(
        '$0 eval results/quick/fig3/silu/seed-0 --attack autoattack',
        "AutoAttack on the preset's examples: robustness_aa, in eval-autoattack/ beside the checkpoint",
      )
      .example(
        '$0 eval results/quick/table1/relu-relu/seed-0 --epsilon 0.1,0.2,0.3',
        'a robustness curve: the same examples and starts at each ε',
      )
      .example(
        '$0 eval results/quick/fig3/relu/seed-0 --attack light --examples 200 --standalone',
        "each attack's own robustness on 200 examples",
      ) as unknown as Argv<EvalArgs>,
  handler: async (args) => {
    let journal: EvalJournal | undefined;
    const interrupts = exitOnInterrupt('eval', () => savedByEval(journal));
    try {
      await evaluate(args, (opened) => (journal = opened));
    } finally {
      interrupts.dispose();
    }
  },
};

/**
 * What an interrupted eval leaves: its journal of finished attack batches (every write is synchronous and atomic, so
 * exiting at once loses only the batch in flight), from which the same command resumes.
 */
export function savedByEval(journal: Pick<EvalJournal, 'describe' | 'savedBatches'> | undefined): string {
  if (!journal || journal.savedBatches() === 0)
    return 'no attack batch had finished, so nothing is saved: the same command starts over';
  return `${journal.describe()}; the same command resumes`;
}

/** --examples (≥ 1) and --seed (≥ 0) must be integers when given. */
function checkIntegerFlags(args: Pick<EvalArgs, 'examples' | 'seed'>): void {
  for (const [flag, value] of [
    ['--examples', args.examples],
    ['--seed', args.seed],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < (flag === '--seed' ? 0 : 1))) {
      throw new UserError(
        'bad-flag',
        `${flag}: expected an integer >= ${flag === '--seed' ? 0 : 1}, got ${value}`,
        `e.g. ${flag} ${flag === '--seed' ? 0 : 100}`,
      );
    }
  }
}

/** Checks the flags, evaluates the checkpoint, prints each ε's summary and where the files went (or the JSON). */
async function evaluate(args: EvalArgs, onJournal: (journal: EvalJournal) => void): Promise<void> {
  checkIntegerFlags(args);
  const epsilons = args.epsilon === undefined ? undefined : parseEpsilons(args.epsilon);
  const backend = await prepareBackend(args.backend, args['fast-kernels']);
  const out = outputFor(args.json);
  out.human(backend.reason);
  const experiment = args.experiment !== undefined ? await resolveExperiment(args.experiment) : undefined;
  const evaluation = await evaluateCheckpoint(args.checkpoint, {
    suite: args.attack,
    examples: args.examples,
    seed: args.seed,
    epsilons,
    standalone: args.standalone,
    outDir: args.out,
    dataDir: args['data-dir'],
    progress: terminalProgress(),
    experiment,
    backend: backend.provenance,
    onJournal,
    kill: KillSwitch.fromEnv(),
  });
  for (const summary of evaluation.summaries) out.human(evaluationLines(summary));
  out.human(`wrote ${evaluation.files.join(' and ')}`);
  out.result(evaluationJson(args.checkpoint, evaluation));
}

/** The `--json` result: per ε, the robustness columns and what each attack broke (absent values as null). */
function evaluationJson(
  checkpoint: string,
  { summaries, files, suite }: Pick<CheckpointEvaluation, 'summaries' | 'files' | 'suite'>,
) {
  return {
    checkpoint,
    suite,
    files,
    evaluations: summaries.map((s) => ({
      epsilon: s.epsilon,
      accuracy: s.accuracy,
      robustness: s.robustness,
      robustnessWorst: s.robustnessWorst,
      robustnessAa: s.robustnessAa ?? null,
      sanity: s.sanity.cell,
      attacks: s.attacks.map((a) => ({
        name: a.name,
        attacked: a.attacked,
        broken: a.broken,
        robustnessAfter: a.robustnessAfter,
        robustness: a.robustness ?? null,
      })),
    })),
  };
}
