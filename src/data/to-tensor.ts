import * as tf from '@tensorflow/tfjs';
import type { Batch, ImageShape } from './types';

/** The one place typed arrays become tensors: images [N, H, W, C] float32, labels [N] int32. */
export function batchToTensors(batch: Batch, shape: ImageShape): { x: tf.Tensor4D; y: tf.Tensor1D } {
  return {
    x: tf.tensor4d(batch.images, [batch.count, shape.height, shape.width, shape.channels]),
    y: tf.tensor1d(batch.labels, 'int32'),
  };
}
