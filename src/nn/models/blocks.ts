import * as tf from '@tensorflow/tfjs';
import type { ParamFactory } from '../init';
import type { BatchNormLayer, LayerContext } from '../network';

/** A layer's channel count at width multiplier `width` (at least one channel, so tiny test widths still build). */
export function scaleChannels(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width));
}

/**
 * Hands out activation-site indices at build time, so each site's learnable parameter (SmoothReLU) is fixed
 * to one place in the graph and the site count is known when the parameters are created.
 */
export class SiteCounter {
  private next = 0;

  take(): number {
    return this.next++;
  }

  get count(): number {
    return this.next;
  }
}

/** A bias-free convolution; the kernel's own size sets the padding. */
export interface Conv {
  kernel: tf.Variable; // [k, k, in, out]
  stride: number;
}

export function makeConv(
  make: ParamFactory,
  name: string,
  size: number,
  inChannels: number,
  outChannels: number,
  stride: number,
): Conv {
  return { kernel: make.convKernel(`${name}/kernel`, size, inChannels, outChannels), stride };
}

/**
 * Convolution with symmetric padding (k − 1) / 2 on every side: PyTorch's `padding=k//2` and TF official ResNet's
 * `conv2d_fixed_padding`. TF.js 'same' pads only bottom/right when a stride-2 window overhangs an even input,
 * which shifts every stride-2 layer by half a pixel relative to those references.
 */
export function applyConv(conv: Conv, x: tf.Tensor4D /* [N, H, W, C] */): tf.Tensor4D {
  const size = conv.kernel.shape[0];
  return tf.conv2d(x, conv.kernel as tf.Tensor4D, conv.stride, (size - 1) / 2);
}

/** A convolution followed by batch norm, the unit post-activation ResNets are built from. */
export interface ConvBn {
  conv: Conv;
  bn: BatchNormLayer;
}

export function makeConvBn(
  make: ParamFactory,
  name: string,
  shape: { size: number; inChannels: number; outChannels: number; stride: number },
  options: { zeroGamma?: boolean } = {},
): ConvBn {
  return {
    conv: makeConv(make, name, shape.size, shape.inChannels, shape.outChannels, shape.stride),
    bn: make.batchNorm(`${name}/bn`, shape.outChannels, options),
  };
}

export function applyConvBn(unit: ConvBn, x: tf.Tensor4D, ctx: LayerContext): tf.Tensor4D {
  return ctx.batchNorm(unit.bn, applyConv(unit.conv, x));
}

/** Dense classifier head with bias. */
export interface Dense {
  kernel: tf.Variable; // [in, out]
  bias: tf.Variable; // [out]
}

export function applyDense(dense: Dense, x: tf.Tensor2D /* [N, in] */): tf.Tensor2D {
  return tf.add(tf.matMul(x, dense.kernel as tf.Tensor2D), dense.bias);
}

/** Mean over the spatial axes: [N, H, W, C] → [N, C]. */
export function globalAveragePool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]) as tf.Tensor2D;
}
