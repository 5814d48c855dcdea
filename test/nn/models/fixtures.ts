import * as tf from '@tensorflow/tfjs';
import type { ActivationRef } from '../../../src/nn/activation-spec';
import { forward } from '../../../src/nn/forward';
import { disposeNetwork, trainableParams, type Network } from '../../../src/nn/network';
import type { ModelOptions } from '../../../src/nn/models/options';
import type { Phase, PhasePlan } from '../../../src/nn/phase';
import { Rng } from '../../../src/util/rng';

/** Small enough to run every model's forward and backward in well under a second on one CPU core. */
export function tinyOptions(overrides: Partial<ModelOptions> = {}): ModelOptions {
  return {
    inputShape: { height: 32, width: 32, channels: 3 },
    numClasses: 10,
    width: 0.125,
    init: 'heNormal',
    activation: 'relu',
    seed: 0,
    ...overrides,
  };
}

/** Ordinary autodiff of one activation in every phase; BN on running statistics while attacking. */
export function planFor(activation: ActivationRef): PhasePlan {
  return {
    forward: activation,
    backward: { attack: activation, train: activation, eval: activation },
    batchNormInAttack: 'running',
  };
}

/** Seeded inputs in [0, 1], [N, H, W, C]. */
export function randomImages(count: number, options: ModelOptions, seed = 1): tf.Tensor4D {
  const { height, width, channels } = options.inputShape;
  const values = new Rng(seed).fillUniform(new Float32Array(count * height * width * channels), 0, 1);
  return tf.tensor4d(values, [count, height, width, channels]);
}

/** The logits' shape and values for a batch; leaves no tensors behind. */
export function logitsOf(net: Network, x: tf.Tensor4D, phase: Phase): { shape: number[]; values: Float32Array } {
  return tf.tidy(() => {
    const logits = forward(net, x, phase, planFor(net.forwardActivation)).logits;
    return { shape: logits.shape, values: logits.dataSync() as Float32Array };
  });
}

/**
 * max |d loss / d v| for every trainable variable after one train-phase forward. The loss weights each logit by a
 * fixed random number: a plain sum would be blind to anything a train-mode BN normalises away.
 */
export function trainGradientMagnitudes(net: Network, x: tf.Tensor4D): Map<string, number> {
  const params = trainableParams(net);
  const magnitudes = tf.tidy(() => {
    const plan = planFor(net.forwardActivation);
    const { grads } = tf.variableGrads(
      () => {
        const logits = forward(net, x, 'train', plan).logits;
        const weights = new Rng(2).fillUniform(new Float32Array(logits.size), -1, 1);
        return tf.sum(tf.mul(logits, tf.tensor(weights, logits.shape))) as tf.Scalar;
      },
      params.map((p) => p.variable),
    );
    return params.map((p) => tf.max(tf.abs(grads[p.variable.name])).dataSync()[0]);
  });
  return new Map(params.map((p, i) => [p.name, magnitudes[i]]));
}

/** Variables are registered by name in TF.js, so a model must be disposed before its twin is built. */
export function withNetwork<T>(build: () => Network, use: (net: Network) => T): T {
  const net = build();
  try {
    return use(net);
  } finally {
    disposeNetwork(net);
  }
}

export function setAllGammasToOne(net: Network): void {
  tf.tidy(() => {
    for (const bn of net.batchNorms) bn.gamma.variable.assign(tf.onesLike(bn.gamma.variable));
  });
}
