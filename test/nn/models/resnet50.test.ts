import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ParamFactory } from '../../../src/nn/init';
import { applyBatchNorm, countTrainableParameters, type LayerContext } from '../../../src/nn/network';
import { SiteCounter } from '../../../src/nn/models/blocks';
import { applyBottleneck, applyShortcut, buildResNet50, makeBottleneck } from '../../../src/nn/models/resnet50';
import { assertClose } from '../../helpers/assert-close';
import { setupTestBackend } from '../../helpers/backend';
import { logitsOf, randomImages, tinyOptions, trainGradientMagnitudes, withNetwork } from './fixtures';

before(setupTestBackend);

test('ResNet-50 at width 1 with 1000 classes has 25,557,032 trainable parameters', () => {
  // The published count (torchvision resnet50, TF official v1.5): bias-free convs, affine BN, FC 2048·1000 + 1000.
  const options = tinyOptions({ inputShape: { height: 224, width: 224, channels: 3 }, width: 1, numClasses: 1000 });
  assert.equal(
    withNetwork(() => buildResNet50(options), countTrainableParameters),
    25_557_032,
  );
});

test('ResNet-50 maps [N, H, W, C] to [N, classes] for several input sizes and widths', () => {
  const cases = [
    { side: 32, scale: 0.125, classes: 10, batch: 2 },
    { side: 64, scale: 0.0625, classes: 1000, batch: 2 },
    { side: 40, scale: 0.125, classes: 5, batch: 1 },
  ];
  for (const c of cases) {
    const options = tinyOptions({
      inputShape: { height: c.side, width: c.side, channels: 3 },
      width: c.scale,
      numClasses: c.classes,
    });
    withNetwork(
      () => buildResNet50(options),
      (net) => {
        const x = randomImages(c.batch, options);
        const { shape, values } = logitsOf(net, x, 'eval');
        x.dispose();
        assert.deepEqual(shape, [c.batch, c.classes]);
        assert.ok(values.every(Number.isFinite));
      },
    );
  }
});

test('ResNet-50 has 49 activation sites: the stem and three per bottleneck', () => {
  withNetwork(
    () => buildResNet50(tinyOptions({ activation: 'smoothrelu' })),
    (net) => {
      assert.equal(net.activationParams.length, 1 + 16 * 3);
    },
  );
});

test('ResNet-50 starts the last BN of each of its 16 blocks at γ = 0 and every other BN at γ = 1', () => {
  withNetwork(
    () => buildResNet50(tinyOptions()),
    (net) => {
      const zero = net.batchNorms
        .filter((bn) => bn.gamma.variable.dataSync().every((g) => g === 0))
        .map((bn) => bn.name);
      assert.equal(zero.length, 16);
      assert.ok(
        zero.every((name) => name.endsWith('/conv3/bn')),
        zero.join(', '),
      );
      const others = net.batchNorms.filter((bn) => !zero.includes(bn.name));
      assert.ok(others.every((bn) => bn.gamma.variable.dataSync().every((g) => g === 1)));
    },
  );
});

test('ResNet-50 starts its classifier at N(0, 0.01²) weights and zero bias', () => {
  withNetwork(
    () => buildResNet50(tinyOptions({ width: 0.5, numClasses: 100 })),
    (net) => {
      const kernel = Array.from(net.params.find((p) => p.name === 'logits/kernel')!.variable.dataSync());
      const mean = kernel.reduce((a, b) => a + b, 0) / kernel.length;
      const std = Math.sqrt(kernel.reduce((a, b) => a + (b - mean) ** 2, 0) / kernel.length);
      // 1024 · 100 draws: the sample std is within ~0.3% of 0.01
      assert.ok(Math.abs(std - 0.01) < 2e-4, `std ${std}`);
      assert.ok(
        net.params
          .find((p) => p.name === 'logits/bias')!
          .variable.dataSync()
          .every((b) => b === 0),
      );
    },
  );
});

/** Train-phase context with ReLU activations, as a model body sees it. */
function reluContext(): LayerContext {
  return { activate: (x) => tf.relu(x), batchNorm: (layer, x) => applyBatchNorm(layer, x, 'batch', []) };
}

test('at initialisation a bottleneck outputs act(shortcut): the zero γ silences the residual branch', () => {
  const make = new ParamFactory(5, 'heNormal');
  const sites = new SiteCounter();
  const projected = makeBottleneck(make, 'test/projected', { inChannels: 8, channels: 4, stride: 2 }, sites);
  const identity = makeBottleneck(make, 'test/identity', { inChannels: 16, channels: 4, stride: 1 }, sites);
  assert.ok(projected.projection && !identity.projection);
  tf.tidy(() => {
    const ctx = reluContext();
    const x8 = tf.sub(
      randomImages(2, tinyOptions({ inputShape: { height: 6, width: 6, channels: 8 } })),
      0.5,
    ) as tf.Tensor4D;
    assertClose(applyBottleneck(projected, x8, ctx), tf.relu(applyShortcut(projected, x8, ctx)));
    const x16 = tf.sub(
      randomImages(2, tinyOptions({ inputShape: { height: 6, width: 6, channels: 16 } })),
      0.5,
    ) as tf.Tensor4D;
    assertClose(applyBottleneck(identity, x16, ctx), tf.relu(x16));
  });
  tf.dispose([
    ...make.params.map((p) => p.variable),
    ...make.batchNorms.flatMap((b) => [b.gamma.variable, b.beta.variable, b.movingMean, b.movingVariance]),
  ]);
});

test('at initialisation only the residual branches get no gradient, and each last BN still learns', () => {
  withNetwork(
    () => buildResNet50(tinyOptions()),
    (net) => {
      const x = randomImages(4, tinyOptions());
      const magnitudes = trainGradientMagnitudes(net, x);
      x.dispose();
      // Inside block b: conv1, conv2, conv3 kernels and the BNs of conv1, conv2 sit behind the zero γ.
      const behindZeroGamma = /^stage\d\/block\d\/(conv[12]\/|conv3\/kernel)/;
      for (const [name, magnitude] of magnitudes) {
        if (behindZeroGamma.test(name)) assert.equal(magnitude, 0, name);
        else assert.ok(magnitude > 0, `${name} has no gradient`);
      }
    },
  );
});
