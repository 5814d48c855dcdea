import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import type { OnnxGraph, OnnxNode } from '../onnx-proto';
import type { SessionCache } from '../session-cache';
import { computeWithViews } from '../tensor-access';
import { MIN_ORT_ELEMENTS } from './elementwise';

/**
 * Sum and Mean over any axes on ORT. TF.js transposes the reduced axes to the end first (a full copy); ORT reduces
 * in place, vectorised (bias gradients and batch-norm moments reduce [N, H, W, C] over N, H, W every step).
 */
export function reductionKernel(kernelName: 'Sum' | 'Mean', sessions: SessionCache): FastKernel {
  return {
    kernelName,
    run: ({ inputs, attrs, access }) => {
      const x = inputs.x as TensorInfo;
      if (x.shape.length === 0 || x.shape.reduce((a, b) => a * b, 1) < MIN_ORT_ELEMENTS) return null;
      const axes = tf.util.parseAxisParam(attrs.axis as number | number[], [...x.shape]).sort((a, b) => a - b);
      if (axes.length === 0) return null;
      const keepDims = Boolean(attrs.keepDims);
      const outShape = keepDims
        ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
        : x.shape.filter((_, i) => !axes.includes(i));
      const outputs = computeWithViews(access, [x], [outShape], ([xData], [outData]) =>
        sessions.run(
          `${kernelName}:[${x.shape}]:${axes}:${keepDims}`,
          () => reductionGraph(kernelName, x.shape, axes, outShape),
          { x: { data: xData, dims: x.shape } },
          { y: { data: outData, dims: outShape } },
        ),
      );
      return outputs && outputs[0];
    },
  };
}

function reductionGraph(
  kernelName: 'Sum' | 'Mean',
  shape: readonly number[],
  axes: number[],
  outShape: number[],
): OnnxGraph {
  // Opset 17: ReduceSum takes axes as an input, ReduceMean still as an attribute. keepdims=0 and ONNX drops
  // the reduced axes; with keepDims the output buffer is simply declared with TF.js's shape (same element order).
  const node: OnnxNode =
    kernelName === 'Sum'
      ? { op: 'ReduceSum', inputs: ['x', 'axes'], outputs: ['r'], attributes: { keepdims: 0 } }
      : { op: 'ReduceMean', inputs: ['x'], outputs: ['r'], attributes: { keepdims: 0, axes } };
  return {
    nodes: [node, { op: 'Reshape', inputs: ['r', 'shape'], outputs: ['y'] }],
    initializers: [
      ...(kernelName === 'Sum' ? [{ name: 'axes', dims: [axes.length], int64s: axes }] : []),
      { name: 'shape', dims: [outShape.length], int64s: outShape },
    ],
    inputs: [{ name: 'x', shape: [...shape] }],
    outputs: [{ name: 'y', shape: outShape }],
  };
}
