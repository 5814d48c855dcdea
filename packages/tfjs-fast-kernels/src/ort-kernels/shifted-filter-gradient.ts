import type { OnnxGraph, OnnxNode } from '../onnx-proto';
import type { SessionCache } from '../session-cache';
import type { ConvGeometry } from './conv-geometry';

/**
 * dL/dfilter of a stride-1 conv without materialising the k·k input slices.
 *
 * Lay the padded input xp and dy on the same padded grid [N, Hp, Wp] (dy zero outside its outH × outW corner)
 * and flatten both to rows p = (n·Hp + h)·Wp + w. Then tap (i, j) pairs dy row p with xp row p + i·Wp + j, so
 * its [in, out] block is xpᵀ[shift : shift + R] · dy — and each shifted xp is a zero-copy subarray fed as its
 * own graph input. Rows where dy is zero may pair with xp rows of the next line or image: harmless.
 */
export interface ShiftedLayout {
  paddedHeight: number;
  paddedWidth: number;
  /** Rows of the padded grid, N·Hp·Wp. */
  rows: number;
  /** xp needs this many extra zero rows after the grid so the largest shift stays in bounds. */
  tail: number;
}

export function shiftedLayout(g: ConvGeometry): ShiftedLayout {
  const paddedHeight = Math.max(g.inHeight + g.top, g.outHeight + g.filterHeight - 1);
  const paddedWidth = Math.max(g.inWidth + g.left, g.outWidth + g.filterWidth - 1);
  const rows = g.batch * paddedHeight * paddedWidth;
  return { paddedHeight, paddedWidth, rows, tail: (g.filterHeight - 1) * paddedWidth + g.filterWidth - 1 };
}

/** Copies x (NHWC) into xp's padded grid; xp must be zero outside the image (it is reused zeroed). */
export function padInput(g: ConvGeometry, layout: ShiftedLayout, x: Float32Array, xp: Float32Array): void {
  const rowLength = g.inWidth * g.inChannels;
  for (let n = 0; n < g.batch; n++) {
    for (let h = 0; h < g.inHeight; h++) {
      const from = (n * g.inHeight + h) * rowLength;
      const to = ((n * layout.paddedHeight + h + g.top) * layout.paddedWidth + g.left) * g.inChannels;
      xp.set(x.subarray(from, from + rowLength), to);
    }
  }
}

/** Copies dy (NHWC) into the top-left outH × outW corner of the padded grid. */
export function padOutputGradient(g: ConvGeometry, layout: ShiftedLayout, dy: Float32Array, dyp: Float32Array): void {
  const rowLength = g.outWidth * g.outChannels;
  for (let n = 0; n < g.batch; n++) {
    for (let h = 0; h < g.outHeight; h++) {
      const from = (n * g.outHeight + h) * rowLength;
      const to = (n * layout.paddedHeight + h) * layout.paddedWidth * g.outChannels;
      dyp.set(dy.subarray(from, from + rowLength), to);
    }
  }
}

/** Runs the k·k Gemms, writing the [kh·kw·in, out] result (TF.js's [kh, kw, in, out] order) into dw. */
export function runShiftedGemms(
  sessions: SessionCache,
  key: string,
  g: ConvGeometry,
  layout: ShiftedLayout,
  xp: Float32Array,
  dyp: Float32Array,
  dw: Float32Array,
): void {
  const feeds: Record<string, { data: Float32Array; dims: number[] }> = {
    dy: { data: dyp, dims: [layout.rows, g.outChannels] },
  };
  for (let i = 0; i < g.filterHeight; i++) {
    for (let j = 0; j < g.filterWidth; j++) {
      const shift = (i * layout.paddedWidth + j) * g.inChannels;
      feeds[`x${i}_${j}`] = {
        data: xp.subarray(shift, shift + layout.rows * g.inChannels),
        dims: [layout.rows, g.inChannels],
      };
    }
  }
  sessions.run(key, () => shiftedGraph(g, layout), feeds, {
    dw: { data: dw, dims: [g.filterHeight * g.filterWidth * g.inChannels, g.outChannels] },
  });
}

function shiftedGraph(g: ConvGeometry, layout: ShiftedLayout): OnnxGraph {
  const nodes: OnnxNode[] = [];
  const taps: string[] = [];
  for (let i = 0; i < g.filterHeight; i++) {
    for (let j = 0; j < g.filterWidth; j++) {
      nodes.push({ op: 'Gemm', inputs: [`x${i}_${j}`, 'dy'], outputs: [`b${i}_${j}`], attributes: { transA: 1 } });
      taps.push(`x${i}_${j}`);
    }
  }
  nodes.push({ op: 'Concat', inputs: taps.map((t) => `b${t.slice(1)}`), outputs: ['dw'], attributes: { axis: 0 } });
  return {
    nodes,
    inputs: [
      ...taps.map((name) => ({ name, shape: [layout.rows, g.inChannels] })),
      { name: 'dy', shape: [layout.rows, g.outChannels] },
    ],
    outputs: [{ name: 'dw', shape: [g.filterHeight * g.filterWidth * g.inChannels, g.outChannels] }],
  };
}
