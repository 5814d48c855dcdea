import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeModel, type OnnxGraph } from '../src/onnx-proto';
import { loadOrtBinding, sessionOptions } from '../src/ort-binding';
import { requireOrt } from './fast-harness';

const GEMM: OnnxGraph = {
  nodes: [{ op: 'Gemm', inputs: ['a', 'b'], outputs: ['y'], attributes: { transB: 1, alpha: { float: 0.5 } } }],
  inputs: [
    { name: 'a', shape: [2, 3] },
    { name: 'b', shape: [2, 3] },
  ],
  outputs: [{ name: 'y', shape: [2, 2] }],
};

test('a ModelProto starts with ir_version 8 and names its producer', () => {
  const bytes = encodeModel(GEMM);
  // Field 1 (varint) = 8, then field 2 (length-delimited) = "sat-bench".
  assert.deepEqual(Array.from(bytes.slice(0, 4)), [0x08, 8, 0x12, 9]);
  assert.equal(new TextDecoder().decode(bytes.slice(4, 13)), 'sat-bench');
});

test('negative int64s are written as ten-byte two’s complement varints', () => {
  const bytes = encodeModel({
    nodes: [],
    inputs: [],
    outputs: [],
    initializers: [{ name: 'n', dims: [1], int64s: [-1] }],
  });
  // int64_data (field 7, varint): tag 0x38, then -1 as 0xff ×9 and 0x01.
  const tag = bytes.indexOf(0x38);
  assert.deepEqual(Array.from(bytes.slice(tag, tag + 11)), [0x38, ...Array(9).fill(0xff), 0x01]);
});

test('ONNX Runtime loads an encoded graph and runs it into a preallocated output', (t) => {
  if (!requireOrt(t)) return;
  const ort = loadOrtBinding();
  assert.ok(ort.ok);
  const model = encodeModel(GEMM);
  const session = ort.binding.createSession();
  session.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, sessionOptions(1));
  const tensor = (data: Float32Array, dims: number[]) => ({
    location: 'cpu' as const,
    type: 'float32' as const,
    dims,
    data,
  });
  const out = new Float32Array(4);
  session.run(
    {
      a: tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]),
      b: tensor(new Float32Array([1, 1, 1, 0, 1, 0]), [2, 3]),
    },
    { y: tensor(out, [2, 2]) },
    {},
  );
  session.dispose();
  // 0.5 · [[1+2+3, 2], [4+5+6, 5]]
  assert.deepEqual(Array.from(out), [3, 1, 7.5, 2.5]);
});
