import * as tf from '@tensorflow/tfjs';

/**
 * dx = dy · step(x), ReLU's input gradient, as one kernel. TF.js's own gradient of Relu is `dy · cast(step(x))`: a
 * mask tensor and a Multiply, two passes over memory per activation, which on the cpu backend cost W-cifar's training
 * step more than its batch norm (docs/speed.md of sat-bench, "What is left on W-cifar").
 */
export const RELU_GRAD = 'FastReluGrad';

/** ReLU's input gradient: the fused kernel where install put it on the current backend, else TF.js's formula. */
export function reluGradient(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (!tf.getKernel(RELU_GRAD, tf.getBackend())) return tf.mul(dy, tf.cast(tf.step(x), 'float32'));
  return tf.engine().runKernel(RELU_GRAD, { dy, x });
}

/**
 * Relu's gradient through reluGradient, in place of TF.js's own (the same formula, where the kernel is absent). The
 * registry is global, so this stands for every backend once installed; backends without the kernel fall back.
 */
export function registerReluGradient(): void {
  tf.registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => reluGradient(dy as tf.Tensor, saved[0]) }),
  });
}
