import type { TensorInfo } from '@tensorflow/tfjs';
import type { DnnlBinding } from '../dnnl-binding';
import type { FastKernel } from '../kernel-registry';
import { RELU_GRAD } from '../relu-gradient';
import { computeWithViews } from '../tensor-access';

/**
 * Inputs dy and x of one shape; output dx = dy · step(x), in the addon's threaded loop. cpu only: there it replaces
 * ONNX Runtime's step and Multiply (two calls, each copying its inputs); wasm keeps its own kernels in its heap.
 */
export function nativeReluGradKernel(native: DnnlBinding): FastKernel {
  return {
    kernelName: RELU_GRAD,
    backends: ['cpu'],
    run: ({ inputs, access }) => {
      const [dy, x] = [inputs.dy, inputs.x] as TensorInfo[];
      if (dy.shape.join() !== x.shape.join() || x.shape.includes(0) || x.dtype !== 'float32' || dy.dtype !== 'float32')
        return null;
      const outputs = computeWithViews(access, [dy, x], [x.shape], ([dys, xs], [dx]) => native.reluGrad(dys, xs, dx));
      return outputs && outputs[0];
    },
  };
}
