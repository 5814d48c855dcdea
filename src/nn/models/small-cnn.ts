import * as tf from '@tensorflow/tfjs';
import type { ModelOptions } from './options';
import { ParamFactory } from '../init';
import { createActivationParams } from './activation-sites';
import type { BatchNormLayer, LayerContext, LocalStage, Network } from '../network';

/** A conv or dense layer: kernel, then either a bias or (with batch norm) a BN layer that makes the bias redundant. */
interface Layer {
  kernel: tf.Variable;
  bias?: tf.Variable;
  norm?: BatchNormLayer;
}

function makeLayer(make: ParamFactory, name: string, kernel: tf.Variable, units: number, batchNorm: boolean): Layer {
  return batchNorm
    ? { kernel, norm: make.batchNorm(`${name}/bn`, units) }
    : { kernel, bias: make.bias(`${name}/bias`, units) };
}

/** Bias or BN, then the activation; dense outputs [N, units] go through BN as [N, 1, 1, units]. */
function finish(layer: Layer, z: tf.Tensor, ctx: LayerContext, site: number): tf.Tensor {
  if (layer.bias) return ctx.activate(tf.add(z, layer.bias), site);
  const shape = z.shape;
  const normed = ctx.batchNorm(
    layer.norm!,
    z.rank === 4 ? (z as tf.Tensor4D) : tf.reshape(z, [shape[0], 1, 1, shape[1]!]),
  );
  return ctx.activate(z.rank === 4 ? normed : tf.reshape(normed, shape), site);
}

/**
 * SmallCNN (the W-mnist workload): conv3x3 32, 32, maxpool, 64, 64, maxpool, dense 200, 200, classes.
 * `width` scales every layer (0.5 gives 16, 16, 32, 32, 100, 100) for CPU-sized presets. With `batchNorm`, each hidden
 * layer gets BN before its activation (smallcnn-bn): without it, smooth activations such as softplus sit at chance
 * for epochs at small widths (measured on glyphs), which would make Figure 3 compare stuck rows.
 */
export function buildSmallCnn(options: ModelOptions, architecture: { batchNorm: boolean }): Network {
  const make = new ParamFactory(options.seed, options.init);
  const scaled = (n: number) => Math.max(1, Math.round(n * options.width));
  const [c1, c2, c3, c4, d1, d2] = [32, 32, 64, 64, 200, 200].map(scaled);
  const { height, width, channels } = options.inputShape;
  if (height % 4 !== 0 || width % 4 !== 0) {
    throw new Error(`SmallCNN needs input sides divisible by 4, got ${height}x${width}`);
  }
  const flat = (height / 4) * (width / 4) * c4;
  const bn = architecture.batchNorm;
  const convs = [
    [channels, c1],
    [c1, c2],
    [c2, c3],
    [c3, c4],
  ].map(([cin, cout], i) =>
    makeLayer(make, `conv${i + 1}`, make.convKernel(`conv${i + 1}/kernel`, 3, cin, cout), cout, bn),
  );
  const denses = [
    [flat, d1],
    [d1, d2],
  ].map(([cin, cout], i) =>
    makeLayer(make, `dense${i + 1}`, make.denseKernel(`dense${i + 1}/kernel`, cin, cout), cout, bn),
  );
  const logits = {
    kernel: make.denseKernel('logits/kernel', d2, options.numClasses),
    bias: make.bias('logits/bias', options.numClasses),
  };
  const stages: LocalStage[] = convs.map((conv, i) => {
    const pooled = i === 1 || i === 3;
    return {
      pooled,
      apply: (h, ctx, padding) => {
        const a = finish(conv, tf.conv2d(h, conv.kernel as tf.Tensor4D, 1, padding), ctx, i) as tf.Tensor4D;
        return pooled ? tf.maxPool(a, 2, 2, 'valid') : a;
      },
    };
  });
  const head = (h: tf.Tensor4D, ctx: LayerContext): tf.Tensor2D => {
    let z: tf.Tensor2D = tf.reshape(h, [h.shape[0], flat]);
    denses.forEach((dense, i) => {
      z = finish(dense, tf.matMul(z, dense.kernel as tf.Tensor2D), ctx, 4 + i) as tf.Tensor2D;
    });
    return tf.add(tf.matMul(z, logits.kernel as tf.Tensor2D), logits.bias);
  };
  return {
    model: bn ? 'smallcnn-bn' : 'smallcnn',
    forwardActivation: options.activation,
    params: make.params,
    batchNorms: make.batchNorms,
    activationParams: createActivationParams(options.activation, 6),
    body: (x, ctx) =>
      head(
        stages.reduce((h, stage) => stage.apply(h, ctx, 'same'), x),
        ctx,
      ),
    localStages: { stages, head },
  };
}
