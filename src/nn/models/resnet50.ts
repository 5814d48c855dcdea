import * as tf from '@tensorflow/tfjs';
import { ParamFactory } from '../init';
import type { LayerContext, Network } from '../network';
import { createActivationParams } from './activation-sites';
import {
  applyConvBn,
  applyDense,
  globalAveragePool,
  makeConvBn,
  scaleChannels,
  SiteCounter,
  type ConvBn,
  type Dense,
} from './blocks';
import type { ModelOptions } from './options';

/** Bottleneck widths and block counts of ResNet-50; each block's output is 4× its bottleneck width. */
const STAGES = [
  { channels: 64, blocks: 3, stride: 1 },
  { channels: 128, blocks: 4, stride: 2 },
  { channels: 256, blocks: 6, stride: 2 },
  { channels: 512, blocks: 3, stride: 2 },
] as const;
const EXPANSION = 4;
/** "ImageNet in 1 Hour" §5.1, kept by the paper's code base: the 1000-way FC starts at N(0, 0.01²). */
const HEAD_INIT_STD = 0.01;

/** conv1x1 → BN → act → conv3x3(stride) → BN → act → conv1x1 → BN(γ = 0), added to the shortcut, then act. */
export interface Bottleneck {
  reduce: ConvBn;
  spatial: ConvBn;
  expand: ConvBn;
  /** conv1x1(stride) + BN on the first block of each stage; otherwise the identity. */
  projection?: ConvBn;
  sites: [number, number, number];
}

export function makeBottleneck(
  make: ParamFactory,
  name: string,
  shape: { inChannels: number; channels: number; stride: number },
  sites: SiteCounter,
): Bottleneck {
  const { inChannels, channels, stride } = shape;
  const outChannels = channels * EXPANSION;
  const needsProjection = stride !== 1 || inChannels !== outChannels;
  return {
    reduce: makeConvBn(make, `${name}/conv1`, { size: 1, inChannels, outChannels: channels, stride: 1 }),
    // v1.5: the stride sits on the 3×3 conv, not the first 1×1 ("ImageNet in 1 Hour" §5.1).
    spatial: makeConvBn(make, `${name}/conv2`, { size: 3, inChannels: channels, outChannels: channels, stride }),
    // γ = 0 makes the residual branch start at zero, so each block starts as act(shortcut).
    expand: makeConvBn(
      make,
      `${name}/conv3`,
      { size: 1, inChannels: channels, outChannels, stride: 1 },
      { zeroGamma: true },
    ),
    projection: needsProjection
      ? makeConvBn(make, `${name}/shortcut`, { size: 1, inChannels, outChannels, stride })
      : undefined,
    sites: [sites.take(), sites.take(), sites.take()],
  };
}

/** The shortcut path alone: the projection (conv + BN) or the input itself. */
export function applyShortcut(block: Bottleneck, x: tf.Tensor4D, ctx: LayerContext): tf.Tensor4D {
  return block.projection ? applyConvBn(block.projection, x, ctx) : x;
}

export function applyBottleneck(block: Bottleneck, x: tf.Tensor4D /* [N, H, W, C] */, ctx: LayerContext): tf.Tensor4D {
  const [reduceSite, spatialSite, outputSite] = block.sites;
  let h = ctx.activate(applyConvBn(block.reduce, x, ctx), reduceSite) as tf.Tensor4D;
  h = ctx.activate(applyConvBn(block.spatial, h, ctx), spatialSite) as tf.Tensor4D;
  h = applyConvBn(block.expand, h, ctx);
  return ctx.activate(tf.add(h, applyShortcut(block, x, ctx)), outputSite) as tf.Tensor4D;
}

/**
 * ResNet-50 v1.5 (the paper's ImageNet model): conv7x7/2 64 + BN + act, maxpool 3x3/2, bottleneck stages
 * [3, 4, 6, 3] at widths 64/128/256/512 (×4 out) scaled by `width`, global average pool, FC with bias.
 * Convolutions are bias-free with symmetric padding (TF official's conv2d_fixed_padding); the max pool pads
 * 'same' as in TF official and facebookresearch/ImageNet-Adversarial-Training. Any input side ≥ 1 builds.
 */
export function buildResNet50(options: ModelOptions): Network {
  const make = new ParamFactory(options.seed, options.init);
  const sites = new SiteCounter();
  const stemChannels = scaleChannels(64, options.width);
  const stem = makeConvBn(make, 'stem/conv', {
    size: 7,
    inChannels: options.inputShape.channels,
    outChannels: stemChannels,
    stride: 2,
  });
  const stemSite = sites.take();
  const blocks: Bottleneck[] = [];
  let inChannels = stemChannels;
  STAGES.forEach((stage, s) => {
    const channels = scaleChannels(stage.channels, options.width);
    for (let b = 0; b < stage.blocks; b++) {
      const stride = b === 0 ? stage.stride : 1;
      blocks.push(makeBottleneck(make, `stage${s + 1}/block${b + 1}`, { inChannels, channels, stride }, sites));
      inChannels = channels * EXPANSION;
    }
  });
  const head: Dense = {
    kernel: make.denseKernel('logits/kernel', inChannels, options.numClasses, HEAD_INIT_STD),
    bias: make.bias('logits/bias', options.numClasses),
  };
  return {
    model: 'resnet50',
    forwardActivation: options.activation,
    params: make.params,
    batchNorms: make.batchNorms,
    activationParams: createActivationParams(options.activation, sites.count),
    body: (x, ctx) => {
      let h = ctx.activate(applyConvBn(stem, x, ctx), stemSite) as tf.Tensor4D; // [N, H/2, W/2, 64w]
      h = tf.maxPool(h, 3, 2, 'same'); // [N, H/4, W/4, 64w]
      for (const block of blocks) h = applyBottleneck(block, h, ctx); // → [N, H/32, W/32, 2048w]
      return applyDense(head, globalAveragePool(h));
    },
  };
}
