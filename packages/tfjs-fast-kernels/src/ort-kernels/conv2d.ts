import type { TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import type { OnnxGraph } from '../onnx-proto';
import type { SessionCache } from '../session-cache';
import { computeWithViews } from '../tensor-access';
import { batchChunks, imagesOf, withBatch } from './batch-chunks';
import { convGeometry, floatsPerImage, geometryKey, outputShape, type ConvGeometry } from './conv-geometry';
import { ConstantFilterSessions } from './constant-filter';

/** The session pools a conv kernel uses: the filter as an input, or baked in as a constant (faster, per filter). */
export interface ConvSessions {
  compute: SessionCache;
  constantFilter: SessionCache;
}

/**
 * Conv2D on ONNX Runtime. TF.js is NHWC with [kh, kw, in, out] filters; ONNX Conv is NCHW with [out, in, kh, kw],
 * so the graph transposes both ways around the Conv; run a few images at a time, those transposes stay in cache.
 */
export function conv2dKernel(sessions: ConvSessions): FastKernel {
  const constantFilter = new ConstantFilterSessions(sessions.constantFilter);
  return {
    kernelName: 'Conv2D',
    run: ({ inputs, attrs, access }) => {
      const x = inputs.x as TensorInfo;
      const filter = inputs.filter as TensorInfo;
      const dilations = (attrs.dilations as number | [number, number] | undefined) ?? 1;
      const g = convGeometry(x.shape, filter.shape, attrs, dilations);
      if (!g) return null;
      const outShape = outputShape(g);
      if (outShape.includes(0)) return null;
      const { input: inPerImage, output: outPerImage } = floatsPerImage(g);
      const outputs = computeWithViews(access, [x, filter], [outShape], ([xData, filterData], [outData]) => {
        for (const chunk of batchChunks(g.batch, inPerImage + outPerImage)) {
          const part = withBatch(g, chunk.count);
          constantFilter.run(
            geometryKey('Conv2D', part),
            filter,
            filterData,
            () => conv2dGraph(part),
            { x: { data: imagesOf(xData, chunk, inPerImage), dims: [chunk.count, ...x.shape.slice(1)] } },
            { y: { data: imagesOf(outData, chunk, outPerImage), dims: [chunk.count, ...outShape.slice(1)] } },
          );
        }
      });
      return outputs && outputs[0];
    },
  };
}

function conv2dGraph(g: ConvGeometry): OnnxGraph {
  return {
    nodes: [
      { op: 'Transpose', inputs: ['x'], outputs: ['xc'], attributes: { perm: [0, 3, 1, 2] } },
      { op: 'Transpose', inputs: ['w'], outputs: ['wc'], attributes: { perm: [3, 2, 0, 1] } },
      {
        op: 'Conv',
        inputs: ['xc', 'wc'],
        outputs: ['yc'],
        attributes: {
          kernel_shape: [g.filterHeight, g.filterWidth],
          strides: [g.strideHeight, g.strideWidth],
          dilations: [g.dilationHeight, g.dilationWidth],
          pads: [g.top, g.left, g.bottom, g.right],
        },
      },
      { op: 'Transpose', inputs: ['yc'], outputs: ['y'], attributes: { perm: [0, 2, 3, 1] } },
    ],
    inputs: [
      { name: 'x', shape: [g.batch, g.inHeight, g.inWidth, g.inChannels] },
      { name: 'w', shape: [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels] },
    ],
    outputs: [{ name: 'y', shape: outputShape(g) }],
  };
}
