import type { NamedAttrMap } from '@tensorflow/tfjs';
import type { FastBackendName } from '../kernel-registry';
import type { OnnxNode } from '../onnx-proto';

/**
 * How one TF.js elementwise kernel maps to ONNX nodes. Graph inputs are named i0, i1, ... in the order of
 * `inputs` (TF.js's input names); the result is `y`. `nodes` returns null for attributes it does not handle.
 */
export interface ElementwiseSpec {
  inputs: string[];
  nodes(attrs: NamedAttrMap): OnnxNode[] | null;
  /** Attribute names that change the graph (part of the session key). */
  attrs?: string[];
  /** Indices of bool inputs (Select's condition); others must be float32. */
  boolInputs?: number[];
  boolOutput?: boolean;
  /** Only same-shape inputs (TF.js's Select broadcasts a rank-1 condition over rows, unlike ONNX's Where). */
  sameShape?: boolean;
  /** Where it is installed (default both). */
  backends?: FastBackendName[];
}

/**
 * wasm's own kernels for cheap arithmetic (XNNPACK, in its reused heap) beat an ORT call: 0.9–1.8 ms against
 * 2.3–3.4 ms on a 3.2M-element tensor. Its transcendental and comparison kernels are scalar loops, 3–10× slower
 * than ORT's. So cheap arithmetic goes to ORT on the cpu backend only.
 */
const CPU_ONLY: FastBackendName[] = ['cpu'];

const node = (op: string, inputs: string[], output: string, attributes?: OnnxNode['attributes']): OnnxNode => ({
  op,
  inputs,
  outputs: [output],
  attributes,
});
const constant = (name: string, value: number): OnnxNode =>
  node('Constant', [], name, { value_float: { float: value } });
const single =
  (op: string): ElementwiseSpec['nodes'] =>
  () => [node(op, ['i0'], 'y')];
const pair =
  (op: string): ElementwiseSpec['nodes'] =>
  () => [node(op, ['i0', 'i1'], 'y')];
const unary = (op: string, backends?: FastBackendName[]): ElementwiseSpec => ({
  inputs: ['x'],
  nodes: single(op),
  backends,
});
const binary = (op: string, backends?: FastBackendName[]): ElementwiseSpec => ({
  inputs: ['a', 'b'],
  nodes: pair(op),
  backends,
});
const compare = (op: string): ElementwiseSpec => ({ inputs: ['a', 'b'], nodes: pair(op), boolOutput: true });

export const ELEMENTWISE_OPS = {
  Add: binary('Add', CPU_ONLY),
  Sub: binary('Sub', CPU_ONLY),
  Multiply: binary('Mul', CPU_ONLY),
  RealDiv: binary('Div', CPU_ONLY),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  SquaredDifference: {
    inputs: ['a', 'b'],
    nodes: () => [node('Sub', ['i0', 'i1'], 'd'), node('Mul', ['d', 'd'], 'y')],
    backends: CPU_ONLY,
  },
  Greater: compare('Greater'),
  GreaterEqual: compare('GreaterOrEqual'),
  Less: compare('Less'),
  LessEqual: compare('LessOrEqual'),
  Relu: unary('Relu', CPU_ONLY),
  Sigmoid: unary('Sigmoid'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Sqrt: unary('Sqrt', CPU_ONLY),
  Neg: unary('Neg', CPU_ONLY),
  Abs: unary('Abs', CPU_ONLY),
  Erf: unary('Erf'),
  Tanh: unary('Tanh'),
  Square: { inputs: ['x'], nodes: () => [node('Mul', ['i0', 'i0'], 'y')], backends: CPU_ONLY },
  Rsqrt: {
    inputs: ['x'],
    nodes: () => [node('Sqrt', ['i0'], 's'), node('Reciprocal', ['s'], 'y')],
    backends: CPU_ONLY,
  },
  Log1p: {
    inputs: ['x'],
    nodes: () => [constant('one', 1), node('Add', ['i0', 'one'], 's'), node('Log', ['s'], 'y')],
    backends: CPU_ONLY,
  },
  // TF.js's Elu has alpha 1, as does ONNX's default.
  Elu: unary('Elu', CPU_ONLY),
  // Sign is left to TF.js: ONNX's Sign keeps NaN where TF.js gives 0, and the attack's one Sign call is small.
  // TF.js: v >= 0 ? dy : dy * (v + 1), with v the Elu output.
  EluGrad: {
    inputs: ['dy', 'y'],
    backends: CPU_ONLY,
    nodes: () => [
      constant('zero', 0),
      constant('one', 1),
      node('Less', ['i1', 'zero'], 'negative'),
      node('Add', ['i1', 'one'], 'slope'),
      node('Mul', ['i0', 'slope'], 'scaled'),
      node('Where', ['negative', 'scaled', 'i0'], 'y'),
    ],
  },
  // ORT's own Softplus is scalar code (10× slower here); relu(x) + log(1 + exp(−|x|)) is the same function,
  // stable for large |x|, and off TF.js's double-precision value by at most ~6e-8 absolute (where exp(−|x|) is tiny).
  Softplus: {
    inputs: ['x'],
    nodes: () => [
      constant('one', 1),
      node('Abs', ['i0'], 'magnitude'),
      node('Neg', ['magnitude'], 'negated'),
      node('Exp', ['negated'], 'decay'),
      node('Add', ['decay', 'one'], 'shifted'),
      node('Log', ['shifted'], 'tail'),
      node('Relu', ['i0'], 'ramp'),
      node('Add', ['ramp', 'tail'], 'y'),
    ],
  },
  // TF.js: x > 0 ? 1 : alpha, and NaN stays NaN; ceil(clip(x, 0, 1)) is exactly that for alpha 0 (tf.step's
  // default), and twice as fast in ORT as relu(sign(x)).
  Step: {
    inputs: ['x'],
    backends: CPU_ONLY,
    attrs: ['alpha'],
    nodes: (attrs) =>
      attrs.alpha === 0 || attrs.alpha === undefined
        ? [
            constant('zero', 0),
            constant('one', 1),
            node('Clip', ['i0', 'zero', 'one'], 'clipped'),
            node('Ceil', ['clipped'], 'y'),
          ]
        : null,
  },
  ClipByValue: {
    inputs: ['x'],
    backends: CPU_ONLY,
    attrs: ['clipValueMin', 'clipValueMax'],
    nodes: (attrs) => [
      constant('low', attrs.clipValueMin as number),
      constant('high', attrs.clipValueMax as number),
      node('Clip', ['i0', 'low', 'high'], 'y'),
    ],
  },
  Select: {
    inputs: ['condition', 't', 'e'],
    boolInputs: [0],
    sameShape: true,
    nodes: () => [node('Where', ['i0', 'i1', 'i2'], 'y')],
    backends: CPU_ONLY,
  },
} satisfies Record<string, ElementwiseSpec>;

export type ElementwiseKernelName = keyof typeof ELEMENTWISE_OPS;
export const ELEMENTWISE_KERNEL_NAMES = Object.keys(ELEMENTWISE_OPS) as ElementwiseKernelName[];
