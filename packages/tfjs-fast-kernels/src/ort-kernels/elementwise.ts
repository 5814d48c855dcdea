import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import { ONNX_BOOL, type OnnxGraph, type OnnxNode } from '../onnx-proto';
import type { SessionCache } from '../session-cache';
import { computeWithViews } from '../tensor-access';
import type { FastArray, FastDtype } from '../tfjs-internals';
import { ELEMENTWISE_OPS, type ElementwiseSpec } from './elementwise-ops';

/**
 * Below this many output elements the original kernel runs: an ORT call costs tens of microseconds, which only
 * pays off on activation-sized tensors (the W-mnist step's are 0.4M to 3.2M elements).
 */
export const MIN_ORT_ELEMENTS = 16384;

/** Numpy broadcasting, which TF.js's elementwise kernels and ONNX share; null when the shapes do not broadcast. */
function broadcastShape(shapes: ReadonlyArray<readonly number[]>): number[] | null {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let size = 1;
    for (const shape of shapes) {
      const d = shape[shape.length - rank + i] ?? 1;
      if (d !== 1 && size !== 1 && d !== size) return null;
      if (d !== 1) size = d;
    }
    out.push(size);
  }
  return out;
}

function attrKey(spec: ElementwiseSpec, attrs: NamedAttrMap): string {
  return (spec.attrs ?? []).map((name) => `${name}=${String(attrs[name])}`).join(',');
}

/** An elementwise TF.js kernel run as a small ONNX graph (vectorised and multithreaded in ORT). */
export function elementwiseKernel(kernelName: keyof typeof ELEMENTWISE_OPS, sessions: SessionCache): FastKernel {
  const spec: ElementwiseSpec = ELEMENTWISE_OPS[kernelName];
  return {
    kernelName,
    backends: spec.backends,
    run: ({ inputs, attrs, access }) => {
      const operands = spec.inputs.map((name) => inputs[name]);
      if (operands.some((t) => t === undefined)) return null;
      const infos = operands as TensorInfo[];
      const outShape = broadcastShape(infos.map((t) => t.shape));
      if (!outShape || outShape.reduce((a, b) => a * b, 1) < MIN_ORT_ELEMENTS) return null;
      if (spec.sameShape && infos.some((t) => t.shape.join() !== outShape.join())) return null;
      const nodes = spec.nodes(attrs);
      if (!nodes) return null;
      const inputDtypes: FastDtype[] = spec.inputs.map((_, i) => (spec.boolInputs?.includes(i) ? 'bool' : 'float32'));
      const outDtype: FastDtype = spec.boolOutput ? 'bool' : 'float32';
      const key = `${kernelName}:${infos.map((t) => `[${t.shape}]`).join('')}:${attrKey(spec, attrs)}`;
      const outputs = computeWithViews<FastArray[], FastArray[]>(
        access,
        infos,
        [{ shape: outShape, dtype: outDtype }],
        (views, [out]) => {
          // Only float32 and bool reach here (inputDtypes), the types a Feed holds.
          const feeds = Object.fromEntries(
            views.map((data, i) => [`i${i}`, { data: data as Float32Array | Uint8Array, dims: infos[i].shape }]),
          );
          sessions.run(key, () => elementwiseGraph(nodes, infos, inputDtypes, outShape, outDtype), feeds, {
            y: { data: out as Float32Array | Uint8Array, dims: outShape },
          });
        },
        inputDtypes,
      );
      return outputs && outputs[0];
    },
  };
}

function elementwiseGraph(
  nodes: OnnxNode[],
  infos: TensorInfo[],
  dtypes: FastDtype[],
  outShape: number[],
  outDtype: FastDtype,
): OnnxGraph {
  const elemType = (dtype: FastDtype) => (dtype === 'bool' ? ONNX_BOOL : undefined);
  return {
    nodes,
    inputs: infos.map((t, i) => ({ name: `i${i}`, shape: [...t.shape], elemType: elemType(dtypes[i]) })),
    outputs: [{ name: 'y', shape: outShape, elemType: elemType(outDtype) }],
  };
}
