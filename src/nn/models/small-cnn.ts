import * as tf from '@tensorflow/tfjs';
import type { ModelOptions } from './options';
import { ParamFactory } from '../init';
import { createActivationParams } from './activation-sites';
import type { Network } from '../network';

/**
 * SmallCNN (the W-mnist workload): conv3x3 32, 32, maxpool, 64, 64, maxpool, dense 200, 200, classes.
 * `width` scales every layer (0.25 gives 8, 8, 16, 16, 50, 50) for CPU-sized presets.
 */
export function buildSmallCnn(options: ModelOptions): Network {
  const make = new ParamFactory(options.seed, options.init);
  const scaled = (n: number) => Math.max(1, Math.round(n * options.width));
  const [c1, c2, c3, c4, d1, d2] = [32, 32, 64, 64, 200, 200].map(scaled);
  const { height, width, channels } = options.inputShape;
  if (height % 4 !== 0 || width % 4 !== 0) {
    throw new Error(`SmallCNN needs input sides divisible by 4, got ${height}x${width}`);
  }
  const flat = (height / 4) * (width / 4) * c4;
  const convs = [
    { w: make.convKernel('conv1/kernel', 3, channels, c1), b: make.bias('conv1/bias', c1) },
    { w: make.convKernel('conv2/kernel', 3, c1, c2), b: make.bias('conv2/bias', c2) },
    { w: make.convKernel('conv3/kernel', 3, c2, c3), b: make.bias('conv3/bias', c3) },
    { w: make.convKernel('conv4/kernel', 3, c3, c4), b: make.bias('conv4/bias', c4) },
  ];
  const denses = [
    { w: make.denseKernel('dense1/kernel', flat, d1), b: make.bias('dense1/bias', d1) },
    { w: make.denseKernel('dense2/kernel', d1, d2), b: make.bias('dense2/bias', d2) },
    { w: make.denseKernel('logits/kernel', d2, options.numClasses), b: make.bias('logits/bias', options.numClasses) },
  ];
  return {
    model: 'smallcnn',
    forwardActivation: options.activation,
    params: make.params,
    batchNorms: make.batchNorms,
    activationParams: createActivationParams(options.activation, 6),
    body: (x, ctx) => {
      let h: tf.Tensor4D = x;
      convs.forEach((conv, i) => {
        h = ctx.activate(tf.conv2d(h, conv.w as tf.Tensor4D, 1, 'same').add(conv.b), i) as tf.Tensor4D;
        if (i === 1 || i === 3) h = tf.maxPool(h, 2, 2, 'valid');
      });
      let z: tf.Tensor2D = tf.reshape(h, [h.shape[0], flat]);
      z = ctx.activate(tf.matMul(z, denses[0].w).add(denses[0].b), 4) as tf.Tensor2D;
      z = ctx.activate(tf.matMul(z, denses[1].w).add(denses[1].b), 5) as tf.Tensor2D;
      return tf.matMul(z, denses[2].w).add(denses[2].b);
    },
  };
}
