import type { Argv, CommandModule } from 'yargs';
import { benchTable, peakJson, peakLine } from '../../bench/bench-table';
import { measurePeak, type Peak } from '../../bench/peak';
import { profileTable } from '../../bench/profile';
import { benchWorkload } from '../../bench/run-bench';
import { rateAgainstPeak, type RatedBenchRow } from '../../bench/share-of-peak';
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

const PEAK_EPILOG =
  'The peak is measured, not a datasheet figure: before the first workload on each backend, bench times a ' +
  '1024×1024 matmul and two large 3×3 convolutions through the same backend and fast kernels the workloads use ' +
  '(warm-up, then the median of up to 5 calls; a few seconds with the fast kernels) and takes the fastest. A ' +
  'faster engine kernel raises it too, so "of peak" says how much of what this engine reaches on this machine a ' +
  "step gets. A datasheet peak (cores × GHz × FLOP per cycle) is not printed: lscpu's flags do not say how many " +
  'FMA units a core has or how wide they are (an avx512f core may run 512-bit FMAs at half rate).';

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe:
    'time the PGD-1 train step and a PGD attack step on W-mnist, W-mnist-bn and W-cifar (batch 128), as torch_bench.py ' +
    "does, each with its share of this machine's measured peak",
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
      })
      .example('$0 bench --only mnist', 'one workload: W-mnist')
      .example('$0 bench --json', 'one JSON object per line: a "peak" line per backend, then the rows')
      .epilog(PEAK_EPILOG) as unknown as Argv<BenchArgs>,
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
    const rows: RatedBenchRow[] = [];
    // One peak per backend: W-cifar at batch 128 runs on cpu, the MNIST workloads on wasm.
    const peaks = new Map<string, Peak>();
    let reason = '';
    for (const name of names) {
      // Per workload: W-cifar at batch 128 does not fit the wasm heap, so auto moves it to cpu + fast kernels.
      const backend = await prepareBackendFor(
        args.backend,
        { model: WORKLOADS[name].model, batchSize: args['batch-size'] },
        args['fast-kernels'],
      );
      if (!args.json && backend.reason !== reason) console.log((reason = backend.reason));
      let peak = peaks.get(backend.provenance);
      if (!peak) {
        peak = await measurePeak();
        peaks.set(backend.provenance, peak);
        console.log((args.json ? peakJson : peakLine)(peak, backend.provenance));
      }
      const peakGflops = peak.gflops;
      const result = await benchWorkload(WORKLOADS[name], {
        batchSize: args['batch-size'],
        warmup: args.warmup,
        steps: args.steps,
        backend: backend.provenance,
        profile: args.profile,
      });
      const rated = result.rows.map((r) => rateAgainstPeak(r, peakGflops));
      rows.push(...rated);
      if (args.json) for (const r of rated) console.log(JSON.stringify(r));
      for (const [step, times] of Object.entries(result.profiles ?? {})) {
        // With --json the profile goes to stderr, so stdout stays one JSON object per line.
        (args.json ? console.error : console.log)(
          profileTable(`${WORKLOADS[name].name} ${step} (${backend.provenance})`, times, 12),
        );
      }
    }
    if (!args.json) console.log(benchTable(rows));
  },
};
