import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { pgdLastIterate } from '../attack/pgd';
import { MODELS } from '../nn/models';
import { disposeNetwork, trainableParams, type Network } from '../nn/network';
import { makeOracle } from '../nn/oracle';
import type { PhasePlan } from '../nn/phase';
import { SgdOptimizer } from '../train/sgd';
import { adversarialTrainStep } from '../train/train-step';
import { readAndDispose } from '../util/read-tensor';
import { Rng } from '../util/rng';
import { profileStep, type KernelTime } from './profile';
import { STEP_FLOP_FACTOR, type BenchStep, type Workload } from './workloads';

export interface BenchRow {
  workload: string;
  step: BenchStep;
  images_per_s: number;
  gflops: number;
  ms_per_batch: number;
  n: number;
  peak_rss_mb: number;
  /** Resident memory after warm-up and at the end, each after a full GC, for the leak check of long runs. */
  rss_after_warmup_mb: number;
  rss_end_mb: number;
  /** Live TF.js tensors after warm-up and at the end: equal unless a step leaks. */
  tensors_after_warmup: number;
  tensors_end: number;
  /** Process CPU time (user + system, every thread) over wall time during the timed steps: 200 = two cores busy. */
  cpu_percent: number;
  /**
   * Minor page faults per timed step. Large tensors served by fresh mmaps fault in page by page (~400k per W-cifar
   * step on glibc's default malloc, 1–9k with the launcher's settings; see src/engine/allocator.ts).
   */
  minor_faults_per_step: number;
  backend: string;
}

export interface BenchOptions {
  batchSize: number;
  warmup: number;
  steps: number;
  backend: string;
  /** Also profile one step of each kind after timing (bench --profile). */
  profile?: boolean;
}

export interface BenchResult {
  rows: BenchRow[];
  /** Per-kernel time of one train step and one attack step, when options.profile. */
  profiles?: Record<BenchStep, KernelTime[]>;
}

// The ReLU model as the presets train it: BN in inference mode while crafting.
const PLAN: PhasePlan = {
  forward: 'relu',
  backward: { attack: 'relu', train: 'relu', eval: 'relu' },
  batchNormInAttack: 'running',
};
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

// The leak check compares RSS after a full GC: V8's heap alone swings by ~25 MB between collections on W-mnist,
// 5 % of the process, which would otherwise decide the check.
let collectGarbage: (() => void) | undefined;
const settledRssMb = () => {
  if (!collectGarbage) {
    v8.setFlagsFromString('--expose-gc');
    collectGarbage = vm.runInNewContext('gc') as () => void;
  }
  collectGarbage();
  return rssMb();
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Warm-up, then the median wall time of `steps` calls; samples RSS for the leak check. */
async function timeSteps(run: (i: number) => Promise<void>, options: BenchOptions) {
  for (let i = 0; i < options.warmup; i++) await run(i);
  const afterWarmup = settledRssMb();
  const tensorsAfterWarmup = tf.memory().numTensors;
  let peak = afterWarmup;
  const times: number[] = [];
  const faultsBefore = process.resourceUsage().minorPageFault;
  const cpuBefore = process.cpuUsage();
  let wallMs = 0;
  for (let i = 0; i < options.steps; i++) {
    const started = process.hrtime.bigint();
    await run(options.warmup + i);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    wallMs += times[times.length - 1];
    peak = Math.max(peak, rssMb());
  }
  const cpu = process.cpuUsage(cpuBefore);
  const faultsPerStep = (process.resourceUsage().minorPageFault - faultsBefore) / options.steps;
  const cpuPercent = (100 * (cpu.user + cpu.system)) / 1000 / wallMs;
  const tensors = { afterWarmup: tensorsAfterWarmup, end: tf.memory().numTensors };
  return { ms: median(times), afterWarmup, end: settledRssMb(), peak, cpuPercent, faultsPerStep, tensors };
}

function randomBatch(workload: Workload, batchSize: number) {
  const { height, width, channels } = workload.inputShape;
  const rng = new Rng(0);
  const x = tf.tensor4d(rng.fillUniform(new Float32Array(batchSize * height * width * channels), 0, 1), [
    batchSize,
    height,
    width,
    channels,
  ]);
  const y = tf.tensor1d(
    Int32Array.from({ length: batchSize }, () => rng.nextInt(10)),
    'int32',
  );
  return { x, y, ids: Int32Array.from({ length: batchSize }, (_, i) => i) };
}

function row(
  workload: Workload,
  step: BenchStep,
  timing: Awaited<ReturnType<typeof timeSteps>>,
  options: BenchOptions,
): BenchRow {
  const imagesPerSecond = (options.batchSize * 1000) / timing.ms;
  return {
    workload: workload.name,
    step,
    images_per_s: Number(imagesPerSecond.toFixed(2)),
    gflops: Number(((imagesPerSecond * STEP_FLOP_FACTOR[step] * workload.forwardMflop) / 1000).toFixed(2)),
    ms_per_batch: Number(timing.ms.toFixed(1)),
    n: options.steps,
    peak_rss_mb: Math.round(timing.peak),
    rss_after_warmup_mb: Math.round(timing.afterWarmup),
    rss_end_mb: Math.round(timing.end),
    tensors_after_warmup: timing.tensors.afterWarmup,
    tensors_end: timing.tensors.end,
    cpu_percent: Math.round(timing.cpuPercent),
    minor_faults_per_step: Math.round(timing.faultsPerStep),
    backend: options.backend,
  };
}

/** The workload's model: ReLU, He-normal weights from seed 0, 10 classes. */
function benchNetwork(workload: Workload): Network {
  return MODELS[workload.model].build({
    inputShape: workload.inputShape,
    numClasses: 10,
    width: workload.width,
    init: 'heNormal',
    activation: 'relu',
    seed: 0,
  });
}

/** The timed steps on one batch: the trainer's PGD-1 training step, and one evaluation PGD iteration. */
function benchSteps(
  {
    net,
    optimizer,
    x,
    y,
    ids,
  }: { net: Network; optimizer: SgdOptimizer; x: tf.Tensor4D; y: tf.Tensor1D; ids: Int32Array },
  epsilon: number,
): Record<BenchStep, (i: number) => Promise<void>> {
  const oracle = makeOracle(net, PLAN, 'eval');
  // Each step ends with a read (the train step reads its loss), so a GPU backend's queued work is inside the time.
  return {
    'train-step': async (i) => {
      await adversarialTrainStep({ net, plan: PLAN, optimizer }, x, y, {
        learningRate: 0.01,
        attack: { epsilon, stepSize: 1.25 * epsilon, steps: 1, randomStart: true },
        startSeeds: { seed: i, exampleIds: ids },
        labelSmoothing: 0,
      });
    },
    'attack-step': async () => {
      await readAndDispose(
        pgdLastIterate(
          oracle,
          x,
          y,
          { epsilon, stepSize: epsilon / 4, steps: 1, randomStart: false },
          { seed: 0, exampleIds: ids },
        ),
      );
    },
  };
}

/**
 * Times the trainer's own PGD-1 step (`adversarialTrainStep`) and one evaluation PGD iteration, on random data
 * at the workload's shape, exactly as torch_bench.py times its peers.
 */
export async function benchWorkload(workload: Workload, options: BenchOptions): Promise<BenchResult> {
  const net = benchNetwork(workload);
  const optimizer = new SgdOptimizer(trainableParams(net), { momentum: 0.9, nesterov: false, weightDecay: 0 });
  const { x, y, ids } = randomBatch(workload, options.batchSize);
  const steps = benchSteps({ net, optimizer, x, y, ids }, workload.epsilon);
  try {
    const rows: BenchRow[] = [];
    for (const step of ['train-step', 'attack-step'] as const)
      rows.push(row(workload, step, await timeSteps(steps[step], options), options));
    if (!options.profile) return { rows };
    return {
      rows,
      profiles: {
        'train-step': await profileStep(() => steps['train-step'](0)),
        'attack-step': await profileStep(() => steps['attack-step'](0)),
      },
    };
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    disposeNetwork(net);
  }
}
