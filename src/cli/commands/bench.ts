import type { Argv, CommandModule } from 'yargs';
import { profileTable } from '../../bench/profile';
import { benchWorkload, type BenchRow } from '../../bench/run-bench';
import { WORKLOADS, type WorkloadName } from '../../bench/workloads';
import { UserError } from '../../util/errors';
import { BACKEND_CHOICES, FAST_KERNELS_OPTION, prepareBackendFor, type BackendRequest } from '../setup';

interface BenchArgs {
  only?: WorkloadName;
  backend: BackendRequest;
  steps: number;
  warmup: number;
  'batch-size': number;
  json: boolean;
  profile: boolean;
  'fast-kernels': boolean;
}

function table(rows: BenchRow[]): string {
  const header =
    '| workload   | step        |  images/s |  GFLOP/s |  ms/batch |   N | CPU % | faults/step | RSS warm→end MB | tensors warm→end |';
  const lines = rows.map(
    (r) =>
      `| ${r.workload.padEnd(10)} | ${r.step.padEnd(11)} | ${r.images_per_s.toFixed(1).padStart(9)} | ${r.gflops.toFixed(2).padStart(8)} | ${r.ms_per_batch.toFixed(1).padStart(9)} | ${String(r.n).padStart(3)} | ${String(r.cpu_percent).padStart(5)} | ${String(r.minor_faults_per_step).padStart(11)} | ${`${r.rss_after_warmup_mb}→${r.rss_end_mb}`.padStart(15)} | ${`${r.tensors_after_warmup}→${r.tensors_end}`.padStart(16)} |`,
  );
  return [
    header,
    `|${header
      .slice(1, -1)
      .split('|')
      .map((c) => '-'.repeat(c.length))
      .join('|')}|`,
    ...lines,
  ].join('\n');
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe:
    'time the PGD-1 train step and a PGD attack step on W-mnist, W-mnist-bn and W-cifar (batch 128), as torch_bench.py does',
  builder: (y: Argv) =>
    y
      .option('only', { type: 'string', choices: Object.keys(WORKLOADS), describe: 'one workload' })
      .option('backend', { type: 'string', choices: BACKEND_CHOICES, default: 'auto' })
      .option('fast-kernels', FAST_KERNELS_OPTION)
      .option('steps', {
        type: 'number',
        default: 10,
        describe: 'timed steps (median reported); 500 for the memory check',
      })
      .option('warmup', { type: 'number', default: 3 })
      .option('batch-size', { type: 'number', default: 128 })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'one JSON object per line (torch_bench.py --json keys)',
      })
      .option('profile', {
        type: 'boolean',
        default: false,
        describe: 'then profile one step of each kind: time per TF.js kernel',
      }) as unknown as Argv<BenchArgs>,
  handler: async (args) => {
    for (const [flag, value, min] of [
      ['--steps', args.steps, 1],
      ['--warmup', args.warmup, 0],
      ['--batch-size', args['batch-size'], 1],
    ] as const) {
      if (!Number.isInteger(value) || value < min)
        throw new UserError('bad-flag', `${flag}: expected an integer >= ${min}, got ${value}`, `e.g. ${flag} 10`);
    }
    const names = args.only ? [args.only] : (Object.keys(WORKLOADS) as WorkloadName[]);
    const rows: BenchRow[] = [];
    let reason = '';
    for (const name of names) {
      // Per workload: W-cifar at batch 128 does not fit the wasm heap, so auto moves it to cpu + fast kernels.
      const backend = await prepareBackendFor(
        args.backend,
        { model: WORKLOADS[name].model, batchSize: args['batch-size'] },
        args['fast-kernels'],
      );
      if (!args.json && backend.reason !== reason) console.log((reason = backend.reason));
      const result = await benchWorkload(WORKLOADS[name], {
        batchSize: args['batch-size'],
        warmup: args.warmup,
        steps: args.steps,
        backend: backend.provenance,
        profile: args.profile,
      });
      rows.push(...result.rows);
      if (args.json) for (const r of result.rows) console.log(JSON.stringify(r));
      for (const [step, times] of Object.entries(result.profiles ?? {})) {
        // With --json the profile goes to stderr, so stdout stays one JSON object per line.
        (args.json ? console.error : console.log)(
          profileTable(`${WORKLOADS[name].name} ${step} (${backend.provenance})`, times, 12),
        );
      }
    }
    if (!args.json) console.log(table(rows));
  },
};
