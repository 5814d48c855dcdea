import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ParamFactory } from '../../../src/nn/init';
import { applyBatchNorm, countTrainableParameters, type LayerContext } from '../../../src/nn/network';
import { applyConv, SiteCounter } from '../../../src/nn/models/blocks';
import { applyPreActBlock, buildPreActResNet18, makePreActBlock } from '../../../src/nn/models/preact-resnet';
import { assertClose } from '../../helpers/assert-close';
import { setupTestBackend } from '../../helpers/backend';
import { logitsOf, randomImages, tinyOptions, withNetwork } from './fixtures';

before(setupTestBackend);

test("PreAct-ResNet-18 has the parameter count of torch_bench.py's PreActResNet18", () => {
  // conv3x3 stem 3·9·64 = 1,728.
  // Block = bn1 (2·in) + conv1 (9·in·out) + bn2 (2·out) + conv2 (9·out·out) [+ 1×1 shortcut in·out]:
  //   stage 1 (64→64):   2 × (128 + 36,864 + 128 + 36,864)                           =   147,968
  //   stage 2 (64→128):  (128 + 73,728 + 256 + 147,456 + 8,192) + (256 + 147,456 + 256 + 147,456)
  //                      = 229,760 + 295,424                                          =   525,184
  //   stage 3 (128→256): (256 + 294,912 + 512 + 589,824 + 32,768) + (512 + 589,824·2 + 512)
  //                      = 918,272 + 1,180,672                                        = 2,098,944
  //   stage 4 (256→512): (512 + 1,179,648 + 1,024 + 2,359,296 + 131,072) + (1,024 + 2,359,296·2 + 1,024)
  //                      = 3,671,552 + 4,720,640                                      = 8,392,192
  // final BN 2·512 = 1,024; linear 512·10 + 10 = 5,130.
  // Total 1,728 + 147,968 + 525,184 + 2,098,944 + 8,392,192 + 1,024 + 5,130 = 11,172,170. (The often-quoted
  // 11,171,146 is kuangliu's PreActResNet18, which has no final BN; torch_bench.py's model has one.)
  const options = tinyOptions({ width: 1 });
  assert.equal(
    withNetwork(() => buildPreActResNet18(options), countTrainableParameters),
    11_172_170,
  );
});

test('PreAct-ResNet-18 maps [N, H, W, C] to [N, classes] for several input sizes and widths', () => {
  const cases = [
    { height: 32, width: 32, channels: 3, scale: 0.125, classes: 10, batch: 2 },
    { height: 28, width: 28, channels: 1, scale: 0.0625, classes: 10, batch: 3 },
    { height: 17, width: 9, channels: 3, scale: 0.25, classes: 7, batch: 1 },
  ];
  for (const c of cases) {
    const options = tinyOptions({
      inputShape: { height: c.height, width: c.width, channels: c.channels },
      width: c.scale,
      numClasses: c.classes,
    });
    withNetwork(
      () => buildPreActResNet18(options),
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

test('PreAct-ResNet-18 projects the shortcut exactly where the stride or the width changes', () => {
  withNetwork(
    () => buildPreActResNet18(tinyOptions({ width: 1 })),
    (net) => {
      const shortcuts = net.params
        .filter((p) => p.name.endsWith('/shortcut/kernel'))
        .map((p) => [p.name, p.variable.shape]);
      assert.deepEqual(shortcuts, [
        ['stage2/block1/shortcut/kernel', [1, 1, 64, 128]],
        ['stage3/block1/shortcut/kernel', [1, 1, 128, 256]],
        ['stage4/block1/shortcut/kernel', [1, 1, 256, 512]],
      ]);
    },
  );
});

test('PreAct-ResNet-18 has 17 activation sites: two per block and one before the pool', () => {
  withNetwork(
    () => buildPreActResNet18(tinyOptions({ activation: 'smoothrelu' })),
    (net) => {
      assert.equal(net.activationParams.length, 8 * 2 + 1);
    },
  );
});

/** Train-phase context with ReLU activations, as a model body sees it. */
function reluContext(): LayerContext {
  return { activate: (x) => tf.relu(x), batchNorm: (layer, x) => applyBatchNorm(layer, x, 'batch', []) };
}

test('with its last conv zeroed, a block returns its shortcut: the raw input, or the projected pre-activation', () => {
  const make = new ParamFactory(3, 'heNormal');
  const sites = new SiteCounter();
  const identity = makePreActBlock(make, 'test/identity', { inChannels: 4, outChannels: 4, stride: 1 }, sites);
  const projected = makePreActBlock(make, 'test/projected', { inChannels: 4, outChannels: 6, stride: 2 }, sites);
  tf.tidy(() => {
    for (const block of [identity, projected]) block.conv2.kernel.assign(tf.zerosLike(block.conv2.kernel));
    const x = randomImages(2, tinyOptions({ inputShape: { height: 6, width: 6, channels: 4 } }));
    const ctx = reluContext();
    assertClose(applyPreActBlock(identity, x, ctx), x);
    const preActivated = tf.relu(applyBatchNorm(projected.bn1, x, 'batch', [])) as tf.Tensor4D;
    const expected = applyConv(projected.projection!, preActivated); // [2, 3, 3, 6]
    assertClose(applyPreActBlock(projected, x, ctx), expected, 1e-5, 1e-4);
  });
  tf.dispose([
    ...make.params.map((p) => p.variable),
    ...make.batchNorms.flatMap((b) => [b.gamma.variable, b.beta.variable, b.movingMean, b.movingVariance]),
  ]);
});
