import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ACTIVATION_NAMES } from '../../../src/nn/activations';
import { MODELS, type ModelName } from '../../../src/nn/models';
import { setupTestBackend } from '../../helpers/backend';
import {
  logitsOf,
  randomImages,
  setAllGammasToOne,
  tinyOptions,
  trainGradientMagnitudes,
  withNetwork,
} from './fixtures';

before(setupTestBackend);

// 32×32×3 at width 1/8 builds every model (SmallCNN needs sides divisible by 4) and keeps each forward cheap.
const OPTIONS = tinyOptions();

for (const name of Object.keys(MODELS) as ModelName[]) {
  const build = MODELS[name].build;

  test(`${name}: every activation gives finite [N, classes] logits in every phase`, () => {
    const x = randomImages(2, OPTIONS);
    for (const activation of ACTIVATION_NAMES) {
      withNetwork(
        () => build({ ...OPTIONS, activation }),
        (net) => {
          for (const phase of ['attack', 'train', 'eval'] as const) {
            const { shape, values } = logitsOf(net, x, phase);
            assert.deepEqual(shape, [2, OPTIONS.numClasses], `${activation} ${phase}`);
            assert.ok(values.every(Number.isFinite), `${activation} ${phase}: non-finite logits`);
          }
        },
      );
    }
    x.dispose();
  });

  test(`${name}: SmoothReLU gets one learnable scalar per activation site, other activations none`, () => {
    const shapes = withNetwork(
      () => build({ ...OPTIONS, activation: 'smoothrelu' }),
      (net) => net.activationParams.map((p) => p.variable.shape),
    );
    assert.ok(shapes.length > 0);
    assert.ok(
      shapes.every((shape) => shape.length === 0),
      'each site holds one scalar',
    );
    withNetwork(
      () => build({ ...OPTIONS, activation: 'relu' }),
      (net) => assert.equal(net.activationParams.length, 0),
    );
  });

  test(`${name}: every trainable variable gets a non-zero gradient in phase train`, () => {
    // SmoothReLU, so the activation parameters are checked too; γ = 1 everywhere opens ResNet-50's residual
    // branches, which start closed by design (see resnet50.test.ts).
    withNetwork(
      () => build({ ...OPTIONS, activation: 'smoothrelu' }),
      (net) => {
        setAllGammasToOne(net);
        const x = randomImages(4, OPTIONS);
        const magnitudes = trainGradientMagnitudes(net, x);
        x.dispose();
        const dead = [...magnitudes].filter(([, m]) => !(m > 0)).map(([n]) => n);
        assert.deepEqual(dead, []);
      },
    );
  });

  test(`${name}: building and disposing the model leaves no tensors behind`, () => {
    const before = tf.memory().numTensors;
    withNetwork(
      () => build(OPTIONS),
      () => undefined,
    );
    assert.equal(tf.memory().numTensors, before);
  });

  test(`${name}: the same seed gives identical weights and another seed different ones`, () => {
    const weightsFor = (seed: number) =>
      withNetwork(
        () => build({ ...OPTIONS, seed }),
        (net) => net.params.map((p) => Array.from(p.variable.dataSync())),
      );
    const [first, again, other] = [weightsFor(4), weightsFor(4), weightsFor(5)];
    assert.deepEqual(again, first);
    assert.notDeepEqual(other, first);
  });

  test(`${name}: weight decay applies to conv and dense kernels only, never to BN or biases`, () => {
    withNetwork(
      () => build({ ...OPTIONS, activation: 'smoothrelu' }),
      (net) => {
        for (const p of net.params) assert.equal(p.decay, p.name.endsWith('/kernel'), p.name);
        for (const bn of net.batchNorms) assert.deepEqual([bn.gamma.decay, bn.beta.decay], [false, false], bn.name);
        assert.ok(net.activationParams.every((p) => !p.decay));
        assert.ok(net.params.some((p) => p.decay));
      },
    );
  });
}
