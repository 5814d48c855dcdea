#!/usr/bin/env node
// Times the trainer's W-mnist PGD-1 train step and an evaluation attack step (batch 128), as `sat-bench bench`
// does, with or without the fast kernels, and lists time per TF.js kernel (--profile) or per kernel and input
// shapes (--shapes). For engine development; `sat-bench bench` is the user-facing measurement.
//
//   node scripts/profile-fast-kernels.js --backend wasm --fast on --steps 10 [--profile] [--activation relu]
'use strict';
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist', 'src');
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');

function parseArgs(argv) {
  const args = {
    backend: 'wasm',
    fast: 'on',
    steps: 10,
    batch: 128,
    activation: 'relu',
    profile: false,
    shapes: false,
    warmup: 2,
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'profile' || key === 'shapes') args[key] = true;
    else args[key] = typeof args[key] === 'number' ? Number(argv[++i]) : argv[++i];
  }
  return args;
}

/** Wraps every kernel of the backend to sum wall time per kernel name (exclusive of nested kernel calls). */
function instrumentKernels(backendName, byShape) {
  const totals = new Map();
  const stack = [];
  for (const config of tf.getKernelsForBackend(backendName)) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const start = process.hrtime.bigint();
        stack.push(0n);
        const out = inner(args);
        const nested = stack.pop();
        const elapsed = process.hrtime.bigint() - start;
        if (stack.length) stack[stack.length - 1] += elapsed;
        const key = byShape
          ? `${config.kernelName} ${Object.values(args.inputs)
              .map((t) => `${t.dtype.slice(0, 1)}[${t.shape}]`)
              .join(' ')}`
          : config.kernelName;
        const entry = totals.get(key) ?? { ms: 0, calls: 0 };
        entry.ms += Number(elapsed - nested) / 1e6;
        entry.calls++;
        totals.set(key, entry);
        return out;
      },
    });
  }
  return totals;
}

/** The trainer's own PGD-1 step and an evaluation PGD iteration, as `sat-bench bench` times them. */
function buildStep(args) {
  const { MODELS } = require(path.join(dist, 'nn/models/index.js'));
  const { makeOracle } = require(path.join(dist, 'nn/oracle.js'));
  const { pgdLastIterate } = require(path.join(dist, 'attack/pgd.js'));
  const { trainableParams } = require(path.join(dist, 'nn/network.js'));
  const { SgdOptimizer } = require(path.join(dist, 'train/sgd.js'));
  const { adversarialTrainStep } = require(path.join(dist, 'train/train-step.js'));
  const net = MODELS.smallcnn.build({
    inputShape: { height: 28, width: 28, channels: 1 },
    numClasses: 10,
    width: 1,
    init: 'heNormal',
    activation: args.activation,
    seed: 0,
  });
  const a = args.activation;
  const plan = { forward: a, backward: { attack: a, train: a, eval: a }, batchNormInAttack: 'running' };
  const x = tf.randomUniform([args.batch, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.tensor1d(
    Array.from({ length: args.batch }, (_, i) => i % 10),
    'float32',
  );
  const seeds = { seed: 0, exampleIds: Array.from({ length: args.batch }, (_, i) => i) };
  const epsilon = 0.3;
  const optimizer = new SgdOptimizer(trainableParams(net), { momentum: 0.9, nesterov: false, weightDecay: 0 });
  const trainStep = () =>
    adversarialTrainStep({ net, plan, optimizer }, x, y, {
      learningRate: 0.01,
      attack: { epsilon, stepSize: 1.25 * epsilon, steps: 1, randomStart: true },
      startSeeds: seeds,
      labelSmoothing: 0,
    });
  const oracle = makeOracle(net, plan, 'eval');
  const attackStep = () =>
    pgdLastIterate(oracle, x, y, { epsilon, stepSize: epsilon / 4, steps: 1, randomStart: false }, seeds).dispose();
  return { trainStep, attackStep };
}

function time(label, fn, args, totals) {
  for (let i = 0; i < args.warmup; i++) fn();
  totals?.clear();
  const start = performance.now();
  for (let i = 0; i < args.steps; i++) fn();
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `${label}: ${((args.steps * args.batch) / seconds).toFixed(1)} img/s (${((seconds / args.steps) * 1000).toFixed(1)} ms/step)`,
  );
  if (totals) {
    const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, args.shapes ? 40 : 25);
    for (const [name, { ms, calls }] of rows)
      console.log(
        `  ${name.padEnd(args.shapes ? 60 : 24)} ${(ms / args.steps).toFixed(2).padStart(8)} ms/step  ${calls / args.steps} calls`,
      );
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  await tf.setBackend(args.backend);
  await tf.ready();
  if (args.fast === 'on') {
    const { installFastKernels } = require('@sat-bench/tfjs-fast-kernels');
    const report = installFastKernels(args.backend);
    console.log(
      `fast kernels: ${report.available ? `ORT ${report.ortVersion}` : report.reason}; ${report.kernels.length} kernels`,
    );
  }
  const totals = args.profile || args.shapes ? instrumentKernels(args.backend, args.shapes) : undefined;
  const { trainStep, attackStep } = buildStep(args);
  console.log(
    `backend ${args.backend}, fast ${args.fast}, activation ${args.activation}, batch ${args.batch}, load ${require('node:os').loadavg()[0].toFixed(2)}`,
  );
  time('train-step', trainStep, args, totals);
  time('attack-step', attackStep, args, totals);
  console.log(`tensors alive: ${tf.memory().numTensors}, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
