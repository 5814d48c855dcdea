import type { TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import type { OnnxGraph, OnnxNode } from '../onnx-proto';
import type { OwnDenseProduct, ProductShape } from '../dnnl-kernels/dense-product';
import type { SessionCache } from '../session-cache';
import { computeWithViews } from '../tensor-access';

/**
 * BatchMatMul (what tf.matMul runs) on ORT: one Gemm when there is a single matrix product (dense layers and
 * their gradients), else MatMul with numpy batch broadcasting, which matches TF.js's. With `own` (the oneDNN addon
 * loaded), single products whose shape it sums exactly as the Gemm does run on the addon's loop instead.
 */
export function batchMatMulKernel(sessions: SessionCache, own?: OwnDenseProduct): FastKernel {
  return {
    kernelName: 'BatchMatMul',
    run: ({ inputs, attrs, access }) => {
      const a = inputs.a as TensorInfo;
      const b = inputs.b as TensorInfo;
      const transposeA = Boolean(attrs.transposeA);
      const transposeB = Boolean(attrs.transposeB);
      const spec = matMulSpec(a.shape, b.shape, transposeA, transposeB);
      if (!spec || spec.outShape.includes(0)) return null;
      const outputs = computeWithViews(access, [a, b], [spec.outShape], ([aData, bData], [outData]) => {
        if (!spec.gemm) {
          sessions.run(
            `BatchMatMul:${a.shape}:${b.shape}:${transposeA}:${transposeB}`,
            () => matMulGraph(spec, transposeA, transposeB),
            { a: { data: aData, dims: spec.aDims }, b: { data: bData, dims: spec.bDims } },
            { y: { data: outData, dims: spec.outDims } },
          );
          return;
        }
        const product = productShape(spec, transposeA, transposeB);
        const onOrt = (x: Float32Array, y: Float32Array, out: Float32Array) => gemmOnOrt(sessions, product, x, y, out);
        if (!own?.run(product, aData, bData, outData, onOrt)) onOrt(aData, bData, outData);
      });
      return outputs && outputs[0];
    },
  };
}

interface MatMulSpec {
  /** TF.js output shape. */
  outShape: number[];
  /** Dims the graph sees: rank-2 for a single product (a leading batch of 1 squeezed away). */
  aDims: number[];
  bDims: number[];
  outDims: number[];
  gemm: boolean;
}

function matMulSpec(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulSpec | null {
  if (aShape.length < 2 || bShape.length < 2) return null;
  const [aRows, aCols] = aShape.slice(-2);
  const [bRows, bCols] = bShape.slice(-2);
  const inner = transposeA ? aRows : aCols;
  if (inner !== (transposeB ? bCols : bRows)) return null;
  const m = transposeA ? aCols : aRows;
  const n = transposeB ? bRows : bCols;
  // TF.js pairs flattened batches by index modulo the smaller batch count, which agrees with numpy (ONNX)
  // broadcasting only when the batch shapes are equal or one side is a single matrix; other cases fall back.
  const batchA = aShape.slice(0, -2);
  const batchB = bShape.slice(0, -2);
  const count = (dims: readonly number[]) => dims.reduce((x, y) => x * y, 1);
  let batch: number[];
  if (count(batchA) === 1) batch = batchB.length >= batchA.length ? [...batchB] : [...batchA];
  else if (count(batchB) === 1) batch = batchA.length >= batchB.length ? [...batchA] : [...batchB];
  else if (batchA.join() === batchB.join()) batch = [...batchA];
  else return null;
  const outShape = [...batch, m, n];
  const single = (shape: readonly number[]) => shape.slice(0, -2).every((d) => d === 1);
  if (single(aShape) && single(bShape)) {
    return { outShape, aDims: [aRows, aCols], bDims: [bRows, bCols], outDims: [m, n], gemm: true };
  }
  return { outShape, aDims: [...aShape], bDims: [...bShape], outDims: outShape, gemm: false };
}

function productShape(spec: MatMulSpec, transA: boolean, transB: boolean): ProductShape {
  const [m, n] = spec.outDims;
  return { m, k: transA ? spec.aDims[0] : spec.aDims[1], n, transA, transB };
}

/** One Gemm on ORT over raw buffers laid out as `shape` says (a [m, k] or [k, m], b [k, n] or [n, k]). */
export function gemmOnOrt(
  sessions: SessionCache,
  shape: ProductShape,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
): void {
  const { m, k, n, transA, transB } = shape;
  const spec: MatMulSpec = {
    outShape: [m, n],
    aDims: transA ? [k, m] : [m, k],
    bDims: transB ? [n, k] : [k, n],
    outDims: [m, n],
    gemm: true,
  };
  sessions.run(
    `Gemm:${m}:${k}:${n}:${transA}:${transB}`,
    () => matMulGraph(spec, transA, transB),
    { a: { data: a, dims: spec.aDims }, b: { data: b, dims: spec.bDims } },
    { y: { data: out, dims: spec.outDims } },
  );
}

function matMulGraph(spec: MatMulSpec, transposeA: boolean, transposeB: boolean): OnnxGraph {
  const nodes: OnnxNode[] = [];
  if (spec.gemm) {
    nodes.push({
      op: 'Gemm',
      inputs: ['a', 'b'],
      outputs: ['y'],
      attributes: { transA: Number(transposeA), transB: Number(transposeB) },
    });
  } else {
    // MatMul has no transpose attributes: swap the last two axes first.
    const swapLast = (rank: number) => [...Array(rank - 2).keys(), rank - 1, rank - 2];
    const a = transposeA ? 'at' : 'a';
    const b = transposeB ? 'bt' : 'b';
    if (transposeA)
      nodes.push({
        op: 'Transpose',
        inputs: ['a'],
        outputs: ['at'],
        attributes: { perm: swapLast(spec.aDims.length) },
      });
    if (transposeB)
      nodes.push({
        op: 'Transpose',
        inputs: ['b'],
        outputs: ['bt'],
        attributes: { perm: swapLast(spec.bDims.length) },
      });
    nodes.push({ op: 'MatMul', inputs: [a, b], outputs: ['y'] });
  }
  return {
    nodes,
    inputs: [
      { name: 'a', shape: spec.aDims },
      { name: 'b', shape: spec.bDims },
    ],
    outputs: [{ name: 'y', shape: spec.outDims }],
  };
}
