import type * as tf from '@tensorflow/tfjs';

/**
 * The values of a tensor the caller hands over: read with `data()`, then disposed, also when the read fails.
 * `data()` is the read every backend has; WebGPU in Node has no synchronous one (`dataSync` needs the browser's
 * OffscreenCanvas there), so nothing under src/ calls `dataSync`, `arraySync` or `bufferSync`.
 */
export async function readAndDispose(tensor: tf.Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  try {
    return (await tensor.data()) as Float32Array | Int32Array | Uint8Array;
  } finally {
    tensor.dispose();
  }
}
