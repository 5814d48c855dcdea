import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { forward } from '../../src/nn/forward';
import type { Network } from '../../src/nn/network';
import type { PhasePlan } from '../../src/nn/phase';
import { Rng } from '../../src/util/rng';
import { setupTestBackend } from '../helpers/backend';
import { assertClose } from '../helpers/assert-close';

before(setupTestBackend);

const [D, K, C] = [6, 5, 3];
const rng = new Rng(7);
const xValues = rng.fillUniform(new Float32Array(2 * D), -1, 1);
const wValues = rng.fillUniform(new Float32Array(D * K), -1, 1);
const vValues = rng.fillUniform(new Float32Array(K * C), -1, 1);

/** logits = act(x·W)·V on inputs shaped [N, 1, 1, D]: small enough to differentiate by hand. */
function tinyNetwork(w: tf.Variable, v: tf.Variable): Network {
  return {
    model: 'tiny',
    forwardActivation: 'relu',
    params: [
      { name: 'w', variable: w, decay: true },
      { name: 'v', variable: v, decay: true },
    ],
    batchNorms: [],
    activationParams: [],
    body: (x, ctx) => tf.matMul(ctx.activate(tf.matMul(tf.reshape(x, [-1, D]), w), 0) as tf.Tensor2D, v),
  };
}

// Table 1's "attacker softplus, optimizer softplus" row: ReLU forward, psoftplus backward in attack and train.
const PLAN: PhasePlan = {
  forward: 'relu',
  backward: { attack: 'psoftplus', train: 'psoftplus', eval: 'relu' },
  batchNormInAttack: 'running',
};

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** Hidden pre-activations h = x·W for example n, and g_k = Σ_c V_kc (d sum(logits) / d act_k). */
function handDerivatives(backward: (h: number) => number) {
  const dx = new Float32Array(2 * D);
  const dw = new Float32Array(D * K);
  for (let n = 0; n < 2; n++) {
    for (let k = 0; k < K; k++) {
      let h = 0;
      for (let j = 0; j < D; j++) h += xValues[n * D + j] * wValues[j * K + k];
      let g = 0;
      for (let c = 0; c < C; c++) g += vValues[k * C + c];
      const upstream = backward(h) * g;
      for (let j = 0; j < D; j++) {
        dx[n * D + j] += wValues[j * K + k] * upstream;
        dw[j * K + k] += xValues[n * D + j] * upstream;
      }
    }
  }
  return { dx, dw };
}

function gradients(phase: 'attack' | 'train' | 'eval') {
  const w = tf.variable(tf.tensor2d(wValues, [D, K]));
  const v = tf.variable(tf.tensor2d(vValues, [K, C]));
  const net = tinyNetwork(w, v);
  const x = tf.tensor4d(xValues, [2, 1, 1, D]);
  const loss = (input: tf.Tensor) => tf.sum(forward(net, input as tf.Tensor4D, phase, PLAN).logits) as tf.Scalar;
  const dx = tf.grad(loss)(x).dataSync();
  const { grads } = tf.variableGrads(() => loss(x), [w]);
  const dw = grads[w.name].dataSync();
  const logits = forward(net, x, phase, PLAN).logits.dataSync();
  tf.dispose([w, v, x, grads[w.name]]);
  return { dx, dw, logits };
}

test('phase attack: d loss / d input of a ReLU network equals the hand product with sigmoid(10x)', () => {
  assertClose(gradients('attack').dx, handDerivatives((h) => sigmoid(10 * h)).dx, 1e-5, 1e-4);
});

test('phase eval: the same network takes the true ReLU derivative, which differs from phase attack', () => {
  const evalGrad = gradients('eval').dx;
  assertClose(evalGrad, handDerivatives((h) => (h > 0 ? 1 : 0)).dx, 1e-5, 1e-4);
  const gap = Math.max(...evalGrad.map((g, i) => Math.abs(g - gradients('attack').dx[i])));
  assert.ok(gap > 1e-3, `eval and attack gradients should differ, max gap ${gap}`);
});

test('phase train: d loss / d weights equals the hand product with sigmoid(10x)', () => {
  assertClose(gradients('train').dw, handDerivatives((h) => sigmoid(10 * h)).dw, 1e-5, 1e-4);
});

test('every phase computes the same ReLU forward values', () => {
  const [a, t, e] = (['attack', 'train', 'eval'] as const).map((p) => gradients(p).logits);
  assertClose(a, e);
  assertClose(t, e);
});
