import type { TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import type { OnnxGraph, OnnxInitializer, OnnxNode } from '../onnx-proto';
import type { SessionCache } from '../session-cache';
import { computeWithViews } from '../tensor-access';
import { batchChunks, imagesOf, withBatch, type BatchChunk } from './batch-chunks';
import { convGeometry, floatsPerImage, geometryKey, outputShape, type ConvGeometry } from './conv-geometry';
import { padInput, padOutputGradient, runShiftedGemms, shiftedLayout } from './shifted-filter-gradient';

/** Padded scratch grids kept per chunk geometry (their zero borders are reused), a few geometries at a time. */
const SCRATCH_GEOMETRIES = 8;

/**
 * dL/dfilter of a conv (NHWC), a few images at a time with the partial sums added up in JS (the data per chunk
 * stays in cache; the k·k products re-read it). Per chunk, each filter tap (i, j) multiplies the input rows that
 * tap sees, as a [rows, in] matrix, by dy as [rows, out]: that tap's [in, out] block. The blocks stacked in tap
 * order are exactly TF.js's [kh, kw, in, out] layout. Stride 1 gets those rows as zero-copy shifted views of one
 * padded copy (shifted-filter-gradient.ts); other strides slice them in the graph.
 */
export function conv2dBackpropFilterKernel(sessions: SessionCache): FastKernel {
  const scratch = new Map<string, { xp: Float32Array; dyp: Float32Array }>();
  const gridsFor = (key: string, g: ConvGeometry) => {
    let grids = scratch.get(key);
    if (grids) scratch.delete(key);
    else {
      const layout = shiftedLayout(g);
      grids = {
        xp: new Float32Array((layout.rows + layout.tail) * g.inChannels),
        dyp: new Float32Array(layout.rows * g.outChannels),
      };
    }
    scratch.set(key, grids);
    if (scratch.size > SCRATCH_GEOMETRIES) scratch.delete(scratch.keys().next().value as string);
    return grids;
  };

  const runChunk = (g: ConvGeometry, x: Float32Array, dy: Float32Array, dw: Float32Array) => {
    if (g.strideHeight === 1 && g.strideWidth === 1) {
      const key = geometryKey('Conv2DBackpropFilter/shifted', g);
      const layout = shiftedLayout(g);
      const { xp, dyp } = gridsFor(key, g);
      padInput(g, layout, x, xp);
      padOutputGradient(g, layout, dy, dyp);
      runShiftedGemms(sessions, key, g, layout, xp, dyp, dw);
      return;
    }
    const rows = g.batch * g.outHeight * g.outWidth;
    sessions.run(
      geometryKey('Conv2DBackpropFilter/sliced', g),
      () => slicedGraph(g),
      {
        x: { data: x, dims: [g.batch, g.inHeight, g.inWidth, g.inChannels] },
        dy: { data: dy, dims: [rows, g.outChannels] },
      },
      { dw: { data: dw, dims: [g.filterHeight * g.filterWidth * g.inChannels, g.outChannels] } },
    );
  };

  return {
    kernelName: 'Conv2DBackpropFilter',
    run: ({ inputs, attrs, access }) => {
      const x = inputs.x as TensorInfo;
      const dy = inputs.dy as TensorInfo;
      const filterShape = attrs.filterShape as number[];
      const g = convGeometry(x.shape, filterShape, attrs);
      if (!g || dy.shape.join() !== outputShape(g).join()) return null;
      const { input: inPerImage, output: outPerImage } = floatsPerImage(g);
      const outputs = computeWithViews(access, [x, dy], [filterShape], ([xData, dyData], [dwData]) => {
        const partial = new Float32Array(dwData.length);
        batchChunks(g.batch, inPerImage + outPerImage).forEach((chunk: BatchChunk, k) => {
          runChunk(
            withBatch(g, chunk.count),
            imagesOf(xData, chunk, inPerImage),
            imagesOf(dyData, chunk, outPerImage),
            k === 0 ? dwData : partial,
          );
          if (k > 0) for (let i = 0; i < dwData.length; i++) dwData[i] += partial[i];
        });
      });
      return outputs && outputs[0];
    },
  };
}

function slicedGraph(g: ConvGeometry): OnnxGraph {
  const rows = g.batch * g.outHeight * g.outWidth;
  // Pad only as far as the windows reach; rows they never reach are simply not sliced.
  const padBottom = Math.max(0, (g.outHeight - 1) * g.strideHeight + g.filterHeight - g.top - g.inHeight);
  const padRight = Math.max(0, (g.outWidth - 1) * g.strideWidth + g.filterWidth - g.left - g.inWidth);
  const padded = g.top + g.left + padBottom + padRight > 0;
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [
    { name: 'axes', dims: [2], int64s: [1, 2] },
    { name: 'steps', dims: [2], int64s: [g.strideHeight, g.strideWidth] },
    { name: 'rows', dims: [2], int64s: [rows, g.inChannels] },
  ];
  if (padded) {
    initializers.push({ name: 'pads', dims: [8], int64s: [0, g.top, g.left, 0, 0, padBottom, padRight, 0] });
    nodes.push({ op: 'Pad', inputs: ['x', 'pads'], outputs: ['xp'] });
  }
  const source = padded ? 'xp' : 'x';
  const blocks: string[] = [];
  for (let i = 0; i < g.filterHeight; i++) {
    for (let j = 0; j < g.filterWidth; j++) {
      const tap = `${i}_${j}`;
      initializers.push(
        { name: `s${tap}`, dims: [2], int64s: [i, j] },
        {
          name: `e${tap}`,
          dims: [2],
          int64s: [i + (g.outHeight - 1) * g.strideHeight + 1, j + (g.outWidth - 1) * g.strideWidth + 1],
        },
      );
      nodes.push(
        { op: 'Slice', inputs: [source, `s${tap}`, `e${tap}`, 'axes', 'steps'], outputs: [`x${tap}`] },
        { op: 'Reshape', inputs: [`x${tap}`, 'rows'], outputs: [`m${tap}`] },
        { op: 'Gemm', inputs: [`m${tap}`, 'dy'], outputs: [`b${tap}`], attributes: { transA: 1 } },
      );
      blocks.push(`b${tap}`);
    }
  }
  nodes.push({ op: 'Concat', inputs: blocks, outputs: ['dw'], attributes: { axis: 0 } });
  return {
    nodes,
    initializers,
    inputs: [
      { name: 'x', shape: [g.batch, g.inHeight, g.inWidth, g.inChannels] },
      { name: 'dy', shape: [rows, g.outChannels] },
    ],
    outputs: [{ name: 'dw', shape: [g.filterHeight * g.filterWidth * g.inChannels, g.outChannels] }],
  };
}
