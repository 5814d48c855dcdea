import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { forward } from '../../src/nn/forward';
import { ParamFactory } from '../../src/nn/init';
import {
  allVariables,
  countTrainableParameters,
  disposeNetwork,
  trainableParams,
  type BatchNormLayer,
  type Network,
} from '../../src/nn/network';
import type { Phase, PhasePlan } from '../../src/nn/phase';
import { assertClose } from '../helpers/assert-close';
import { setupTestBackend } from '../helpers/backend';

before(setupTestBackend);

// x: [N=2, H=2, W=2, C=2], channel-last; each channel gets 8 values written out by hand.
const CHANNEL0 = [1, 2, 3, 4, 5, 6, 7, 8]; // mean 4.5, population variance 5.25
const CHANNEL1 = [-2, 0, 2, 4, 10, -6, 1, 3]; // mean 1.5, population variance 152 / 8 = 19
const X = CHANNEL0.flatMap((v, i) => [v, CHANNEL1[i]]);
const EPSILON = 1e-5;

/** One BN layer (plus a dense kernel, to count) whose body returns the BN output as [N·H·W, C]. */
function bnNetwork(): { net: Network; bn: BatchNormLayer } {
  const make = new ParamFactory(0, 'heNormal');
  const bn = make.batchNorm('network-test/bn', 2);
  make.denseKernel('network-test/kernel', 3, 4);
  const net: Network = {
    model: 'bn-only',
    forwardActivation: 'relu',
    params: make.params,
    batchNorms: make.batchNorms,
    activationParams: [],
    body: (x, ctx) => tf.reshape(ctx.batchNorm(bn, x), [-1, 2]),
  };
  return { net, bn };
}

/** Variables are registered by name, so each test disposes its network even when it fails. */
function withBnNetwork(use: (net: Network, bn: BatchNormLayer) => void): void {
  const { net, bn } = bnNetwork();
  try {
    use(net, bn);
  } finally {
    disposeNetwork(net);
  }
}

function planWith(batchNormInAttack: PhasePlan['batchNormInAttack']): PhasePlan {
  return { forward: 'relu', backward: { attack: 'relu', train: 'relu', eval: 'relu' }, batchNormInAttack };
}

/** BN output per channel, the reported batch statistics, and the moving averages after the forward. */
function runForward(net: Network, bn: BatchNormLayer, phase: Phase, plan: PhasePlan) {
  return tf.tidy(() => {
    const result = forward(net, tf.tensor4d(X, [2, 2, 2, 2]), phase, plan);
    const out = result.logits.arraySync();
    return {
      channels: [out.map((row) => row[0]), out.map((row) => row[1])],
      stats: result.batchStats.map((s) => ({
        layer: s.layer.name,
        mean: Array.from(s.mean.dataSync()),
        variance: Array.from(s.variance.dataSync()),
      })),
      moving: [Array.from(bn.movingMean.dataSync()), Array.from(bn.movingVariance.dataSync())],
    };
  });
}

const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const varianceOf = (v: number[]) => meanOf(v.map((x) => (x - meanOf(v)) ** 2));

test('phase train normalises each channel over the batch to zero mean and unit variance', () => {
  withBnNetwork((net, bn) => {
    const { channels } = runForward(net, bn, 'train', planWith('running'));
    for (const channel of channels) {
      assert.ok(Math.abs(meanOf(channel)) < 1e-5, `mean ${meanOf(channel)}`);
      // variance / (variance + ε) is 1 − 2e-6 at worst here
      assert.ok(Math.abs(varianceOf(channel) - 1) < 1e-4, `variance ${varianceOf(channel)}`);
    }
  });
});

test('phase train reports the batch statistics and leaves the moving averages alone', () => {
  withBnNetwork((net, bn) => {
    const { stats, moving } = runForward(net, bn, 'train', planWith('running'));
    assert.equal(stats.length, 1);
    assert.equal(stats[0].layer, 'network-test/bn');
    assertClose(stats[0].mean, [4.5, 1.5]);
    assertClose(stats[0].variance, [5.25, 19]);
    assert.deepEqual(moving, [
      [0, 0],
      [1, 1],
    ]);
  });
});

/** Sets known running statistics and affine parameters; returns the hand-computed 'running' output. */
function setKnownStatistics(bn: BatchNormLayer): number[][] {
  const [mean, variance, gamma, beta] = [
    [1, -2],
    [4, 0.25],
    [2, 3],
    [0.5, -1],
  ];
  tf.tidy(() => {
    bn.movingMean.assign(tf.tensor1d(mean));
    bn.movingVariance.assign(tf.tensor1d(variance));
    bn.gamma.variable.assign(tf.tensor1d(gamma));
    bn.beta.variable.assign(tf.tensor1d(beta));
  });
  // e.g. channel 0, x = 1: 2 · (1 − 1) / √(4 + 1e-5) + 0.5 = 0.5; channel 1, x = 0: 3 · 2 / √0.25001 − 1 ≈ 11.0
  return [CHANNEL0, CHANNEL1].map((values, c) =>
    values.map((x) => (gamma[c] * (x - mean[c])) / Math.sqrt(variance[c] + EPSILON) + beta[c]),
  );
}

test('phase eval uses the moving averages: y = γ (x − mean) / √(var + ε) + β, and reports no statistics', () => {
  withBnNetwork((net, bn) => {
    const expected = setKnownStatistics(bn);
    const { channels, stats } = runForward(net, bn, 'eval', planWith('batch'));
    assertClose(channels.flat(), expected.flat(), 1e-5, 1e-5);
    assert.equal(stats.length, 0);
  });
});

test("phase attack follows plan.batchNormInAttack: running statistics or this batch's", () => {
  withBnNetwork((net, bn) => {
    const expected = setKnownStatistics(bn);
    const running = runForward(net, bn, 'attack', planWith('running'));
    assertClose(running.channels.flat(), expected.flat(), 1e-5, 1e-5);
    assert.equal(running.stats.length, 0);
    const batch = runForward(net, bn, 'attack', planWith('batch'));
    const train = runForward(net, bn, 'train', planWith('batch'));
    assertClose(batch.channels.flat(), train.channels.flat());
    assertClose(batch.stats[0].mean, [4.5, 1.5]);
    assert.deepEqual(batch.moving, running.moving);
  });
});

test('trainable parameters are kernels, γ and β; moving averages are variables but not trainable', () => {
  const { net } = bnNetwork();
  assert.deepEqual(
    trainableParams(net).map((p) => p.name),
    ['network-test/kernel', 'network-test/bn/gamma', 'network-test/bn/beta'],
  );
  // kernel 3·4 = 12, γ 2, β 2
  assert.equal(countTrainableParameters(net), 16);
  assert.deepEqual(
    allVariables(net)
      .slice(3)
      .map((v) => v.name),
    ['network-test/bn/moving_mean', 'network-test/bn/moving_variance'],
  );
  const before = tf.memory().numTensors;
  disposeNetwork(net);
  assert.equal(tf.memory().numTensors, before - 5);
});
