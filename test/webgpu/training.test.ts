// WebGPU against plain TF.js cpu on whole models: the mixed forward/backward of every Table 1 row in every phase,
// one PGD-1 training step of SmallCNN-BN and of PreAct-ResNet-18 (the updates it makes), and a PGD-10 attack's
// adversarial examples. Each tolerance bounds max |webgpu − cpu| / max |cpu| per output (see assertParity); the
// measured value is printed as a test diagnostic.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import table1 from '../../configs/table1';
import { PRESETS } from '../../configs/presets';
import { pgd } from '../../src/attack/pgd';
import { buildRunNetwork, buildTrainState, phasePlanFor } from '../../src/experiment/orchestration/build-run';
import type { ExperimentRun, Preset } from '../../src/experiment/config/types';
import { toBound } from '../../src/nn/activation-spec';
import { forward } from '../../src/nn/forward';
import { allVariables, disposeNetwork, trainableParams } from '../../src/nn/network';
import { makeOracle } from '../../src/nn/oracle';
import type { Phase } from '../../src/nn/phase';
import { adversarialTrainStep, trainingLoss } from '../../src/train/train-step';
import { Rng } from '../../src/util/rng';
import {
  assertParity,
  onBoth,
  openWebgpuForTests,
  parityError,
  releaseWebgpuForTests,
  skipWithoutWebgpu,
  type WebgpuForTests,
} from '../helpers/webgpu';

const gpu: { state?: WebgpuForTests } = {};
before(async () => {
  gpu.state = await openWebgpuForTests();
});
after(releaseWebgpuForTests);

const SMOKE: Preset = PRESETS.smoke;
const GLYPH_SHAPE = { shape: { height: 28, width: 28, channels: 1 }, numClasses: 10 };

/** Seeded images in [0, 1] and labels, made in JS so both backends see the same numbers. */
function batch(count: number, shape: { height: number; width: number; channels: number }, seed: number) {
  const rng = new Rng(seed);
  const x = tf.tensor4d(rng.fillUniform(new Float32Array(count * shape.height * shape.width * shape.channels), 0, 1), [
    count,
    shape.height,
    shape.width,
    shape.channels,
  ]);
  const y = tf.tensor1d(
    Int32Array.from({ length: count }, () => rng.nextInt(10)),
    'int32',
  );
  return { x, y, ids: Int32Array.from({ length: count }, (_, i) => i) };
}

// Whole networks: logits and gradients pass through 6 (SmallCNN) to 18 (ResNet) layers of float32 sums of up to
// ~3000 terms, each rounding at ~1e-7 of its magnitude in another order on the GPU; those compound to ~1e-5, and a
// ReLU whose input lies within that noise of 0 can flip and move single gradient elements further. 1e-3 of the
// tensor's largest value still fails on any wrong kernel (a wrong backward, BN mode or index is off by O(1)).
const MODEL_TOLERANCE = 1e-3;

/** Logits and input gradient of a phase's oracle; in the train phase also the loss's gradients for every weight. */
function phaseOutputs(run: ExperimentRun, phase: Phase): tf.Tensor[] {
  const net = buildRunNetwork(run, SMOKE, 0, GLYPH_SHAPE);
  const plan = phasePlanFor(run, SMOKE);
  // Batch 4, as the step test below (its pipelines are reused): BN on batch statistics over 2 examples, in the dense
  // layers, is near-singular (x̂ = ±1) and amplified rounding to 3e-4 of the largest weight gradient.
  const { x, y } = batch(4, GLYPH_SHAPE.shape, 3);
  const outputs =
    phase === 'train'
      ? (() => {
          const logits = forward(net, x, 'train', plan).logits;
          const { grads } = tf.variableGrads(
            () => trainingLoss(forward(net, x, 'train', plan).logits, y, 0),
            trainableParams(net).map((p) => p.variable),
          );
          return [logits, ...Object.values(grads)];
        })()
      : (() => {
          const { gradient, loss, logits } = makeOracle(net, plan, phase)(x, y);
          return [logits, loss, gradient];
        })();
  disposeNetwork(net);
  return outputs;
}

// Table 1's rows share the ReLU forward and differ in the backward per phase: one check per distinct
// (phase, backward, BN mode), naming the rows it covers.
const PHASE_CASES = new Map<string, { run: ExperimentRun; phase: Phase; rows: string[] }>();
for (const run of table1.runs) {
  for (const phase of ['attack', 'train', 'eval'] as const) {
    const key = `${phase} phase, ${toBound(phasePlanFor(run, SMOKE).backward[phase]).id} backward`;
    const entry = PHASE_CASES.get(key) ?? { run, phase, rows: [] as string[] };
    entry.rows.push(run.id);
    PHASE_CASES.set(key, entry);
  }
}

for (const [key, { run, phase, rows }] of PHASE_CASES) {
  test(`Table 1, ${key} (rows ${rows.join(', ')}): SmallCNN-BN logits and gradients match cpu`, async (t) => {
    if (skipWithoutWebgpu(t, gpu.state)) return;
    const { cpu, gpu: webgpu } = await onBoth(() => phaseOutputs(run, phase));
    assertParity(t, webgpu, cpu, MODEL_TOLERANCE);
  });
}

/** Every variable's change over one PGD-1 step (weights, BN running statistics), on one backend. */
async function stepUpdates(
  backend: 'cpu' | 'webgpu',
  preset: Preset,
  data: typeof GLYPH_SHAPE,
  count: number,
): Promise<Float32Array[]> {
  assert.ok(await tf.setBackend(backend));
  const run = table1.runs[0];
  const state = buildTrainState(run, preset, 0, data);
  const { x, y, ids } = batch(count, data.shape, 5);
  try {
    const before = await Promise.all(
      allVariables(state.net).map(async ({ variable }) => Float32Array.from(await variable.data())),
    );
    const attack = { epsilon: preset.epsilon, stepSize: 1.25 * preset.epsilon, steps: 1, randomStart: true };
    await adversarialTrainStep(state, x, y, {
      learningRate: 0.1,
      attack,
      startSeeds: { seed: 7, exampleIds: ids },
      labelSmoothing: 0,
    });
    const afterStep = await Promise.all(allVariables(state.net).map(({ variable }) => variable.data()));
    return before.map((values, k) => values.map((v, i) => (afterStep[k] as Float32Array)[i] - v));
  } finally {
    tf.dispose([x, y]);
    state.optimizer.dispose();
    disposeNetwork(state.net);
  }
}

// A PGD-1 step: one signed-gradient attack step (a sign can flip only where the input gradient is within rounding
// noise of 0, moving that pixel by 2·step), then SGD. The updates (weights after minus before, which are the same on
// both backends) are compared, not the weights, whose size would hide an update error; same 1e-3 as the models.
test('one PGD-1 training step of SmallCNN-BN (smoke width, batch 4): the weight and BN-statistic updates match cpu', async (t) => {
  if (skipWithoutWebgpu(t, gpu.state)) return;
  const cpu = await stepUpdates('cpu', SMOKE, GLYPH_SHAPE, 4);
  const webgpu = await stepUpdates('webgpu', SMOKE, GLYPH_SHAPE, 4);
  assertParity(t, webgpu, cpu, MODEL_TOLERANCE);
});

test('one PGD-1 training step of PreAct-ResNet-18 (width 1/8, 16×16, batch 2): the weight and BN-statistic updates match cpu', async (t) => {
  if (skipWithoutWebgpu(t, gpu.state)) return;
  // Every block, stride and projection shortcut of the cifar10 model, at an eighth of its channels and a quarter of
  // its pixels, so that SwiftShader (the GPU emulated on the CPU) runs it in seconds.
  const preset: Preset = { ...PRESETS.cifar10, model: { ...PRESETS.cifar10.model, width: 0.125 } };
  const data = { shape: { height: 16, width: 16, channels: 3 }, numClasses: 10 };
  const cpu = await stepUpdates('cpu', preset, data, 2);
  const webgpu = await stepUpdates('webgpu', preset, data, 2);
  assertParity(t, webgpu, cpu, MODEL_TOLERANCE);
});

test('a PGD-10 attack on SmallCNN-BN gives the same adversarial examples and success flags as cpu', async (t) => {
  if (skipWithoutWebgpu(t, gpu.state)) return;
  const epsilon = SMOKE.epsilon;
  const { cpu, gpu: webgpu } = await onBoth(() => {
    const net = buildRunNetwork(table1.runs[0], SMOKE, 0, GLYPH_SHAPE);
    const { x, y, ids } = batch(4, GLYPH_SHAPE.shape, 9);
    const result = pgd(
      makeOracle(net, phasePlanFor(table1.runs[0], SMOKE), 'eval'),
      x,
      y,
      { epsilon, stepSize: (2.5 * epsilon) / 10, steps: 10, randomStart: true },
      { seed: 11, exampleIds: ids },
    );
    disposeNetwork(net);
    return [result.adversarial, result.fooled];
  });
  // Each step moves a pixel by ±step, so a sign that flips (an input gradient within rounding noise of 0) moves it by
  // 2·step and can change later steps. Such flips must stay rare: at most 1 % of pixels may differ by more than
  // float noise (1e-5), and every success flag must agree.
  const [adversarialCpu, adversarialGpu] = [cpu[0], webgpu[0]];
  const differing = adversarialCpu.filter((v, i) => Math.abs(v - adversarialGpu[i]) > 1e-5).length;
  const { maxAbs } = parityError([adversarialGpu], [adversarialCpu]);
  t.diagnostic(
    `parity: ${differing} of ${adversarialCpu.length} pixels differ by > 1e-5 (max |webgpu - cpu| = ${maxAbs.toExponential(2)}, ε = ${epsilon})`,
  );
  assert.ok(differing <= 0.01 * adversarialCpu.length, `${differing} pixels differ`);
  assert.deepEqual(Array.from(webgpu[1]), Array.from(cpu[1]));
});
