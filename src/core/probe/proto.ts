// A minimal protobuf writer for the ONNX messages the probe emits. Field numbers follow onnx.proto
// (IR version 8, opset 18); only the fields the probe sets are written.

/** ONNX TensorProto.DataType values used by the probe. */
export const DataType = { FLOAT: 1, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

export type AttributeValue = number | string | number[] | { ints: number[] } | { float: number } | TensorSpec;

export interface TensorSpec {
  name: string;
  dataType: DataTypeCode;
  dims: number[];
  /** Raw little-endian bytes of the values. */
  raw: Uint8Array;
}

export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes: Record<string, AttributeValue>;
}

export interface ValueInfoSpec {
  name: string;
  dataType: DataTypeCode;
  dims: number[];
}

export interface GraphSpec {
  name: string;
  nodes: NodeSpec[];
  initializers: TensorSpec[];
  inputs: ValueInfoSpec[];
  outputs: ValueInfoSpec[];
}

/** Appends protobuf wire-format fields to a growing byte list. */
class Writer {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private length = 0;

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    this.chunks.push(Uint8Array.from(this.scratch));
    this.length += this.scratch.length;
    this.scratch = [];
  }

  private varint(value: number): void {
    // Non-negative values up to 2^53 are enough for sizes, enums and dims.
    let rest = value;
    while (rest >= 0x80) {
      this.scratch.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.scratch.push(rest);
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  int(field: number, value: number): void {
    if (value < 0) {
      // Negative int64 values are ten-byte two's complement varints.
      this.tag(field, 0);
      let big = BigInt.asUintN(64, BigInt(value));
      while (big >= 0x80n) {
        this.scratch.push(Number(big & 0x7fn) | 0x80);
        big >>= 7n;
      }
      this.scratch.push(Number(big));
      return;
    }
    this.tag(field, 0);
    this.varint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.scratch.push(...bytes);
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, 2);
    this.varint(value.length);
    this.flushScratch();
    this.chunks.push(value);
    this.length += value.length;
  }

  string(field: number, value: string): void {
    this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, write: (writer: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function writeTensor(w: Writer, tensor: TensorSpec): void {
  for (const dim of tensor.dims) w.int(1, dim);
  w.int(2, tensor.dataType);
  w.string(8, tensor.name);
  w.bytes(9, tensor.raw);
}

function writeAttribute(w: Writer, name: string, value: AttributeValue): void {
  w.string(1, name);
  if (typeof value === 'number') {
    w.int(3, value);
    w.int(20, AttributeType.INT);
  } else if (typeof value === 'string') {
    w.string(4, value);
    w.int(20, AttributeType.STRING);
  } else if (Array.isArray(value) || 'ints' in value) {
    for (const item of Array.isArray(value) ? value : value.ints) w.int(8, item);
    w.int(20, AttributeType.INTS);
  } else if ('float' in value) {
    w.float(2, value.float);
    w.int(20, AttributeType.FLOAT);
  } else {
    w.message(5, (inner) => writeTensor(inner, value));
    w.int(20, AttributeType.TENSOR);
  }
}

function writeValueInfo(w: Writer, info: ValueInfoSpec): void {
  w.string(1, info.name);
  // TypeProto.tensor_type (1) -> Tensor { elem_type (1), shape (2) -> TensorShapeProto { dim (1) -> { dim_value (1) } } }.
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, info.dataType);
      tensorType.message(2, (shape) => {
        for (const dim of info.dims) shape.message(1, (d) => d.int(1, dim));
      });
    }),
  );
}

function writeNode(w: Writer, node: NodeSpec): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes)) w.message(5, (attr) => writeAttribute(attr, name, value));
}

/** Serialises a graph as an ONNX ModelProto (IR version 8, default-domain opset 18). */
export function encodeModel(graph: GraphSpec): Uint8Array {
  const w = new Writer();
  w.int(1, 8);
  w.string(2, 'deeplint-probe');
  w.message(7, (g) => {
    for (const node of graph.nodes) g.message(1, (n) => writeNode(n, node));
    g.string(2, graph.name);
    for (const tensor of graph.initializers) g.message(5, (t) => writeTensor(t, tensor));
    for (const input of graph.inputs) g.message(11, (v) => writeValueInfo(v, input));
    for (const output of graph.outputs) g.message(12, (v) => writeValueInfo(v, output));
  });
  w.message(8, (opset) => {
    opset.string(1, '');
    opset.int(2, 18);
  });
  return w.finish();
}
