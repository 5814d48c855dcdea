import * as tf from '@tensorflow/tfjs';
import { ParamFactory } from '../init';
import type { BatchNormLayer, LayerContext, Network } from '../network';
import { createActivationParams } from './activation-sites';
import {
  applyConv,
  applyDense,
  globalAveragePool,
  makeConv,
  scaleChannels,
  SiteCounter,
  type Conv,
  type Dense,
} from './blocks';
import type { ModelOptions } from './options';

/** Stage widths and strides of PreAct-ResNet-18 (He et al. 2016, CIFAR variant), two blocks per stage. */
const STAGES = [
  { channels: 64, stride: 1 },
  { channels: 128, stride: 2 },
  { channels: 256, stride: 2 },
  { channels: 512, stride: 2 },
] as const;
const BLOCKS_PER_STAGE = 2;

/** bn1 → act → conv3x3(stride) → bn2 → act → conv3x3, plus the shortcut. */
export interface PreActBlock {
  bn1: BatchNormLayer;
  conv1: Conv;
  bn2: BatchNormLayer;
  conv2: Conv;
  /** 1×1 projection when the stride or the width changes; otherwise the identity. */
  projection?: Conv;
  sites: [number, number];
}

export function makePreActBlock(
  make: ParamFactory,
  name: string,
  shape: { inChannels: number; outChannels: number; stride: number },
  sites: SiteCounter,
): PreActBlock {
  const { inChannels, outChannels, stride } = shape;
  const needsProjection = stride !== 1 || inChannels !== outChannels;
  return {
    bn1: make.batchNorm(`${name}/bn1`, inChannels),
    conv1: makeConv(make, `${name}/conv1`, 3, inChannels, outChannels, stride),
    bn2: make.batchNorm(`${name}/bn2`, outChannels),
    conv2: makeConv(make, `${name}/conv2`, 3, outChannels, outChannels, 1),
    projection: needsProjection ? makeConv(make, `${name}/shortcut`, 1, inChannels, outChannels, stride) : undefined,
    sites: [sites.take(), sites.take()],
  };
}

/** As torch_bench.py's PreActBlock: the projection reads the pre-activated input, the identity the raw input. */
export function applyPreActBlock(
  block: PreActBlock,
  x: tf.Tensor4D /* [N, H, W, C] */,
  ctx: LayerContext,
): tf.Tensor4D {
  const preActivated = ctx.activate(ctx.batchNorm(block.bn1, x), block.sites[0]) as tf.Tensor4D;
  const shortcut = block.projection ? applyConv(block.projection, preActivated) : x;
  const hidden = ctx.activate(
    ctx.batchNorm(block.bn2, applyConv(block.conv1, preActivated)),
    block.sites[1],
  ) as tf.Tensor4D;
  return tf.add(applyConv(block.conv2, hidden), shortcut);
}

/**
 * PreAct-ResNet-18 for CIFAR-sized inputs (the W-cifar workload): conv3x3 64 stem, stages of
 * [2, 2, 2, 2] pre-activation blocks at widths 64/128/256/512 × `width`, then BN, act, global average pool and a
 * dense layer with bias. Convolutions are bias-free with PyTorch's padding, so shapes match torch_bench.py.
 */
export function buildPreActResNet18(options: ModelOptions): Network {
  const make = new ParamFactory(options.seed, options.init);
  const sites = new SiteCounter();
  const stemChannels = scaleChannels(64, options.width);
  const stem = makeConv(make, 'stem/conv', 3, options.inputShape.channels, stemChannels, 1);
  const blocks: PreActBlock[] = [];
  let inChannels = stemChannels;
  STAGES.forEach((stage, s) => {
    const outChannels = scaleChannels(stage.channels, options.width);
    for (let b = 0; b < BLOCKS_PER_STAGE; b++) {
      const stride = b === 0 ? stage.stride : 1;
      blocks.push(makePreActBlock(make, `stage${s + 1}/block${b + 1}`, { inChannels, outChannels, stride }, sites));
      inChannels = outChannels;
    }
  });
  const finalBn = make.batchNorm('final/bn', inChannels);
  const finalSite = sites.take();
  const head: Dense = {
    kernel: make.denseKernel('logits/kernel', inChannels, options.numClasses),
    bias: make.bias('logits/bias', options.numClasses),
  };
  return {
    model: 'preactresnet18',
    forwardActivation: options.activation,
    params: make.params,
    batchNorms: make.batchNorms,
    activationParams: createActivationParams(options.activation, sites.count),
    body: (x, ctx) => {
      let h = applyConv(stem, x); // [N, H, W, 64w]
      for (const block of blocks) h = applyPreActBlock(block, h, ctx);
      h = ctx.activate(ctx.batchNorm(finalBn, h), finalSite) as tf.Tensor4D; // [N, H/8, W/8, 512w]
      return applyDense(head, globalAveragePool(h));
    },
  };
}
