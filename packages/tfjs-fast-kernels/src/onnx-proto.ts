// A minimal protobuf writer for the few ONNX messages our kernels need (ModelProto, GraphProto, NodeProto,
// AttributeProto, ValueInfoProto, TensorProto). Field numbers follow onnx/onnx.proto; there is no onnx
// builder on npm worth a dependency for a dozen single-node graphs.

/** ONNX TensorProto.DataType values we use. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;
export const ONNX_BOOL = 9;

/** An attribute value: a number is an INT unless wrapped as { float }. */
export type AttributeValue = number | number[] | string | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export interface OnnxValueInfo {
  name: string;
  shape: number[];
  elemType?: number; // default ONNX_FLOAT
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  int64s?: number[];
  /** A float32 constant, stored as raw little-endian bytes. */
  floats?: Float32Array;
}

export interface OnnxGraph {
  nodes: OnnxNode[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers?: OnnxInitializer[];
}

/**
 * Protobuf wire encodings (varint = 0, fixed32 = 5, length-delimited = 2) into a list of parts, so that large
 * payloads (a conv's weights as an initializer) and nested messages are appended without byte-by-byte copies.
 */
class ProtoWriter {
  private parts: Array<number[] | Uint8Array> = [[]];
  private length = 0;

  private push(byte: number): void {
    (this.parts[this.parts.length - 1] as number[]).push(byte);
    this.length++;
  }

  private append(bytes: Uint8Array): void {
    this.parts.push(bytes, []);
    this.length += bytes.length;
  }

  varint(value: number): this {
    if (value < 0) return this.negativeVarint(value);
    let v = value;
    while (v >= 0x80) {
      this.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.push(v);
    return this;
  }

  /** Negative int64s (Slice's reversed ranges) are encoded as 64-bit two's complement: always 10 bytes. */
  private negativeVarint(value: number): this {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.push(Number(v));
    return this;
  }

  int(field: number, value: number): this {
    return this.varint(field * 8).varint(value);
  }

  float(field: number, value: number): this {
    this.varint(field * 8 + 5);
    this.append(new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }

  bytesField(field: number, payload: Uint8Array): this {
    this.varint(field * 8 + 2).varint(payload.length);
    this.append(payload);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    this.varint(field * 8 + 2).varint(inner.length);
    for (const part of inner.parts) {
      if (part.length === 0) continue;
      this.parts.push(part);
      this.length += part.length;
    }
    this.parts.push([]);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  // AttributeProto: name 1, f 2, i 3, s 4, floats 7, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7).
  w.string(1, name);
  if (typeof value === 'number') w.int(3, value).int(20, 2);
  else if (typeof value === 'string') w.string(4, value).int(20, 3);
  else if (Array.isArray(value)) {
    for (const v of value) w.int(8, v);
    w.int(20, 7);
  } else w.float(2, value.float).int(20, 1);
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  // ValueInfoProto: name 1, type 2 → TypeProto.tensor_type 1 → elem_type 1, shape 2 → dim 1 → dim_value 1.
  w.string(1, info.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, info.elemType ?? ONNX_FLOAT);
      tensor.message(2, (shape) => info.shape.forEach((d) => shape.message(1, (dim) => dim.int(1, d))));
    }),
  );
}

function writeNode(w: ProtoWriter, node: OnnxNode, index: number): void {
  // NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.
  node.inputs.forEach((name) => w.string(1, name));
  node.outputs.forEach((name) => w.string(2, name));
  w.string(3, `n${index}`).string(4, node.op);
  for (const [name, value] of Object.entries(node.attributes ?? {}))
    w.message(5, (a) => writeAttribute(a, name, value));
}

function writeInitializer(w: ProtoWriter, init: OnnxInitializer): void {
  // TensorProto: dims 1, data_type 2, int64_data 7, name 8, raw_data 9.
  init.dims.forEach((d) => w.int(1, d));
  if (init.floats) {
    w.int(2, ONNX_FLOAT).string(8, init.name);
    w.bytesField(9, new Uint8Array(init.floats.buffer, init.floats.byteOffset, init.floats.byteLength));
    return;
  }
  w.int(2, ONNX_INT64);
  // int64_data is a packed repeated field in onnx.proto3 terms, but ONNX parsers accept the unpacked form.
  (init.int64s ?? []).forEach((v) => w.int(7, v));
  w.string(8, init.name);
}

/** Serialises a single-graph ModelProto (IR version 8, default-domain opset 17). */
export function encodeModel(graph: OnnxGraph): Uint8Array {
  const w = new ProtoWriter();
  // ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8 (domain 1, version 2).
  w.int(1, 8).string(2, 'sat-bench');
  w.message(7, (g) => {
    // GraphProto: node 1, name 2, initializer 5, input 11, output 12.
    graph.nodes.forEach((node, i) => g.message(1, (n) => writeNode(n, node, i)));
    g.string(2, 'g');
    (graph.initializers ?? []).forEach((init) => g.message(5, (t) => writeInitializer(t, init)));
    graph.inputs.forEach((info) => g.message(11, (v) => writeValueInfo(v, info)));
    graph.outputs.forEach((info) => g.message(12, (v) => writeValueInfo(v, info)));
  });
  w.message(8, (op) => op.string(1, '').int(2, 17));
  return w.finish();
}
