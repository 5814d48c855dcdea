import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { PixelWindow } from '../../src/attack/oracle';
import { MODELS } from '../../src/nn/models';
import { disposeNetwork, type Network } from '../../src/nn/network';
import { makeModelOracle } from '../../src/nn/oracle';
import { Rng } from '../../src/util/rng';
import { setupTestBackend } from '../helpers/backend';
import { planFor, tinyOptions, withNetwork } from './models/fixtures';

before(setupTestBackend);

const SHAPE: [number, number, number, number] = [6, 16, 12, 2]; // [N, H, W, C]: not square, so rows and columns cannot be swapped unnoticed
const OPTIONS = tinyOptions({ inputShape: { height: SHAPE[1], width: SHAPE[2], channels: SHAPE[3] }, width: 0.25 });
const IMAGE = SHAPE[1] * SHAPE[2] * SHAPE[3];

/** Moving statistics away from 0 and 1, so a BN layer on the wrong positions would show. */
function randomiseRunningStatistics(net: Network, rng: Rng): void {
  for (const bn of net.batchNorms) {
    const n = bn.movingMean.size;
    bn.movingMean.assign(tf.tensor1d(rng.fillUniform(new Float32Array(n), -0.3, 0.3)));
    bn.movingVariance.assign(tf.tensor1d(rng.fillUniform(new Float32Array(n), 0.5, 2)));
  }
}

/** A window of the given sides at a random place, and the images with it repainted (values in [0, 1]). */
function repaint(
  images: Float32Array,
  rng: Rng,
  sides: [number, number],
): { candidate: Float32Array; window: PixelWindow } {
  const [, height, width, channels] = SHAPE;
  const window = {
    top: rng.nextInt(height - sides[0] + 1),
    left: rng.nextInt(width - sides[1] + 1),
    height: sides[0],
    width: sides[1],
  };
  const candidate = images.slice();
  for (let r = window.top; r < window.top + window.height; r++)
    for (let c = window.left; c < window.left + window.width; c++)
      for (let ch = 0; ch < channels; ch++) candidate[(r * width + c) * channels + ch] = rng.next();
  return { candidate, window };
}

for (const model of ['smallcnn', 'smallcnn-bn'] as const)
  for (const activation of ['relu', 'smoothrelu', 'gelu'] as const)
    test(`${model} ${activation}: the window scorer gives the whole forward's logits, bit for bit, across accepts`, async () => {
      const net = MODELS[model].build({ ...OPTIONS, activation });
      try {
        const rng = new Rng(5);
        randomiseRunningStatistics(net, rng);
        const oracle = makeModelOracle(net, planFor(activation), 'eval');
        // Read asynchronously, as the scorer does: a GPU backend has no synchronous read.
        const whole = async (images: Float32Array, rows: number) => {
          const logits = tf.tidy(() => oracle.logits(tf.tensor4d(images, [rows, SHAPE[1], SHAPE[2], SHAPE[3]])));
          const values = (await logits.data()) as Float32Array;
          logits.dispose();
          return values;
        };
        const before = tf.memory().numTensors;
        const scorer = oracle.windowScorer!(SHAPE);
        const base = rng.fillUniform(new Float32Array(SHAPE[0] * IMAGE), 0, 1);
        assert.deepEqual(await scorer.setBase(base), await whole(base, SHAPE[0]));
        // Windows from one pixel to the whole image, at the borders too; rows scored out of order and twice.
        for (const sides of [
          [1, 1],
          [2, 3],
          [4, 4],
          [7, 5],
          [16, 12],
          [3, 1],
        ] as Array<[number, number]>) {
          const rows = Int32Array.from([4, 0, 2, 4, 5]);
          const drawn = Array.from(rows, (row) => repaint(base.subarray(row * IMAGE, (row + 1) * IMAGE), rng, sides));
          const candidates = new Float32Array(rows.length * IMAGE);
          drawn.forEach(({ candidate }, k) => candidates.set(candidate, k * IMAGE));
          const scored = await scorer.score(
            candidates,
            rows,
            drawn.map((d) => d.window),
          );
          assert.deepEqual(scored, await whole(candidates, rows.length), `windows ${sides}`);
          // Accept the first (row 4) and third (row 2): the next round's base images are those candidates.
          for (const k of [0, 2]) {
            scorer.accept(k);
            base.set(drawn[k].candidate, rows[k] * IMAGE);
          }
        }
        assert.deepEqual(await scorer.setBase(base), await whole(base, SHAPE[0]));
        assert.equal(tf.memory().numTensors, before, 'the scorer holds no tensors');
      } finally {
        disposeNetwork(net);
      }
    });

test('only models whose every image is scored alone offer a window scorer', () => {
  for (const [model, offered] of [
    ['smallcnn', true],
    ['preactresnet18', false],
  ] as const)
    withNetwork(
      () => MODELS[model].build(tinyOptions()),
      (net) => {
        const plan = { ...planFor('relu'), batchNormInAttack: 'batch' as const };
        assert.equal(makeModelOracle(net, plan, 'eval').windowScorer !== undefined, offered, model);
        // While attacking with BN on the batch's statistics, an image's logits depend on the others.
        assert.equal(makeModelOracle(net, plan, 'attack').windowScorer, undefined, model);
      },
    );
});
