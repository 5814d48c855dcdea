import type { TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import type { OnnxGraph, OnnxInitializer, OnnxNode } from '../onnx-proto';
import { computeWithViews } from '../tensor-access';
import { batchChunks, imagesOf, withBatch } from './batch-chunks';
import { convGeometry, floatsPerImage, geometryKey, outputShape, type ConvGeometry } from './conv-geometry';
import { ConstantFilterSessions } from './constant-filter';
import type { ConvSessions } from './conv2d';

/**
 * dL/dx of a conv (NHWC). Stride 1 runs as a plain Conv of dy with the spatially flipped, in/out-swapped filter,
 * which ORT does faster than ConvTranspose; other strides run as ConvTranspose.
 */
export function conv2dBackpropInputKernel(sessions: ConvSessions): FastKernel {
  const constantFilter = new ConstantFilterSessions(sessions.constantFilter);
  return {
    kernelName: 'Conv2DBackpropInput',
    run: ({ inputs, attrs, access }) => {
      const dy = inputs.dy as TensorInfo;
      const filter = inputs.filter as TensorInfo;
      const inputShape = attrs.inputShape as number[];
      const g = convGeometry(inputShape, filter.shape, attrs);
      if (!g || dy.shape.join() !== outputShape(g).join()) return null;
      const plan = backpropPlan(g);
      const { input: inPerImage, output: outPerImage } = floatsPerImage(g);
      const outputs = computeWithViews(access, [dy, filter], [inputShape], ([dyData, filterData], [dxData]) => {
        for (const chunk of batchChunks(g.batch, inPerImage + outPerImage)) {
          const part = withBatch(g, chunk.count);
          constantFilter.run(
            geometryKey(`Conv2DBackpropInput/${plan.kind}`, part),
            filter,
            filterData,
            () => backpropInputGraph(part, plan),
            { dy: { data: imagesOf(dyData, chunk, outPerImage), dims: [chunk.count, ...dy.shape.slice(1)] } },
            { dx: { data: imagesOf(dxData, chunk, inPerImage), dims: [chunk.count, ...inputShape.slice(1)] } },
          );
        }
      });
      return outputs && outputs[0];
    },
  };
}

interface BackpropPlan {
  kind: 'conv' | 'transpose';
  /** ONNX pads [top, left, bottom, right] of the Conv or ConvTranspose. */
  pads: number[];
  /** ConvTranspose's output_padding: rows/cols the forward conv never reached (their gradient is 0). */
  outputPadding: number[];
}

function backpropPlan(g: ConvGeometry): BackpropPlan {
  // Extent of the rows (cols) the forward windows cover, counted from the padded origin.
  const reachH = (g.outHeight - 1) * g.strideHeight + g.filterHeight;
  const reachW = (g.outWidth - 1) * g.strideWidth + g.filterWidth;
  if (g.strideHeight === 1 && g.strideWidth === 1) {
    // dx[h] = sum_i dy[h + top - i] w[i] = correlation of dy with the flipped filter, padded k-1-top before
    // and (h_max + top) - (outH - 1) after.
    const pads = [
      g.filterHeight - 1 - g.top,
      g.filterWidth - 1 - g.left,
      g.inHeight + g.top - g.outHeight,
      g.inWidth + g.left - g.outWidth,
    ];
    if (pads.every((p) => p >= 0)) return { kind: 'conv', pads, outputPadding: [0, 0] };
  }
  // ConvTranspose output = reach - padBegin - padEnd + outputPadding must equal the input size.
  return {
    kind: 'transpose',
    pads: [g.top, g.left, Math.max(0, reachH - g.top - g.inHeight), Math.max(0, reachW - g.left - g.inWidth)],
    outputPadding: [Math.max(0, g.inHeight + g.top - reachH), Math.max(0, g.inWidth + g.left - reachW)],
  };
}

function backpropInputGraph(g: ConvGeometry, plan: BackpropPlan): OnnxGraph {
  const nodes: OnnxNode[] = [{ op: 'Transpose', inputs: ['dy'], outputs: ['dyc'], attributes: { perm: [0, 3, 1, 2] } }];
  const kernel_shape = [g.filterHeight, g.filterWidth];
  const strides = [g.strideHeight, g.strideWidth];
  const initializers: OnnxInitializer[] = [];
  if (plan.kind === 'conv') {
    // [kh, kw, in, out] → [in, out, kh, kw], then reverse both spatial axes.
    nodes.push({ op: 'Transpose', inputs: ['w'], outputs: ['wt'], attributes: { perm: [2, 3, 0, 1] } });
    nodes.push({ op: 'Slice', inputs: ['wt', 'starts', 'ends', 'axes', 'steps'], outputs: ['wc'] });
    nodes.push({
      op: 'Conv',
      inputs: ['dyc', 'wc'],
      outputs: ['dxc'],
      attributes: { kernel_shape, strides, pads: plan.pads },
    });
    initializers.push(
      { name: 'starts', dims: [2], int64s: [g.filterHeight - 1, g.filterWidth - 1] },
      { name: 'ends', dims: [2], int64s: [-g.filterHeight - 1, -g.filterWidth - 1] },
      { name: 'axes', dims: [2], int64s: [2, 3] },
      { name: 'steps', dims: [2], int64s: [-1, -1] },
    );
  } else {
    // ConvTranspose weights are [C_in of the transpose = out, C_out = in, kh, kw].
    nodes.push({ op: 'Transpose', inputs: ['w'], outputs: ['wc'], attributes: { perm: [3, 2, 0, 1] } });
    nodes.push({
      op: 'ConvTranspose',
      inputs: ['dyc', 'wc'],
      outputs: ['dxc'],
      attributes: { kernel_shape, strides, pads: plan.pads, output_padding: plan.outputPadding },
    });
  }
  nodes.push({ op: 'Transpose', inputs: ['dxc'], outputs: ['dx'], attributes: { perm: [0, 2, 3, 1] } });
  return {
    nodes,
    initializers,
    inputs: [
      { name: 'dy', shape: outputShape(g) },
      { name: 'w', shape: [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels] },
    ],
    outputs: [{ name: 'dx', shape: [g.batch, g.inHeight, g.inWidth, g.inChannels] }],
  };
}
