// Builds an ONNX graph with every tensor's static shape known (the probe fixes the batch size), and
// records the differentiable forward ops on a tape that `backward` (vjp.ts) walks in reverse.
import { ProbeGraphError } from './errors';
import { DataType, type AttributeValue, type DataTypeCode, type GraphSpec, type NodeSpec, type TensorSpec, type ValueInfoSpec } from './proto';

export type Dtype = 'float32' | 'float64';

export interface TapeEntry {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttributeValue>;
}

/** ORT's CPU provider has no float64 kernel for these; in float64 graphs they run in float32 between casts. */
const FLOAT32_ONLY_OPS = new Set(['Erf', 'Conv', 'ConvTranspose']);

export { ProbeGraphError };

function broadcastShapes(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new ProbeGraphError(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    out.push(Math.max(da, db));
  }
  return out;
}

function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function convOutputSize(size: number, kernel: number, stride: number, padBegin: number, padEnd: number, dilation: number): number {
  return Math.floor((size + padBegin + padEnd - dilation * (kernel - 1) - 1) / stride) + 1;
}

function ints(value: AttributeValue | undefined, fallback: number[]): number[] {
  return Array.isArray(value) ? value : fallback;
}

export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpec[] = [];
  readonly inputs: ValueInfoSpec[] = [];
  readonly outputs: ValueInfoSpec[] = [];
  readonly tape: TapeEntry[] = [];
  /** Only forward ops are recorded; statistics and backward nodes are emitted with this off. */
  recording = true;
  private readonly shapes = new Map<string, number[]>();
  private readonly int64Values = new Map<string, number[]>();
  private counter = 0;
  /** Emitted values reused by key: small constants and comparison masks. */
  private readonly constants = new Map<string, string>();

  constructor(readonly dtype: Dtype) {}

  get dataType(): DataTypeCode {
    return this.dtype === 'float64' ? DataType.DOUBLE : DataType.FLOAT;
  }

  shape(name: string): number[] {
    const shape = this.shapes.get(name);
    if (!shape) throw new ProbeGraphError(`internal: unknown tensor ${name}`);
    return shape;
  }

  /** The values of an int64 constant made by `int64`. */
  int64ValuesOf(name: string): number[] | undefined {
    return this.int64Values.get(name);
  }

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, shape: number[]): string {
    this.inputs.push({ name, dataType: this.dataType, dims: shape });
    this.shapes.set(name, shape);
    return name;
  }

  output(name: string): void {
    this.outputs.push({ name, dataType: this.dataType, dims: this.shape(name) });
  }

  /** A floating-point constant in the graph's precision. */
  constant(values: number[] | number, shape: number[] = []): string {
    const list = typeof values === 'number' ? [values] : values;
    // Small constants repeat (0, 1, axes); one initializer each keeps the graph and session creation small.
    const key = `f${shape.join('x')}:${list.join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.fresh('c');
    this.constants.set(key, name);
    const array = this.dtype === 'float64' ? new Float64Array(list) : new Float32Array(list);
    this.initializers.push({ name, dataType: this.dataType, dims: shape, raw: new Uint8Array(array.buffer) });
    this.shapes.set(name, shape);
    return name;
  }

  int64(values: number[]): string {
    const key = `i:${values.join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.fresh('i');
    this.constants.set(key, name);
    const array = BigInt64Array.from(values.map((value) => BigInt(value)));
    this.initializers.push({ name, dataType: DataType.INT64, dims: [values.length], raw: new Uint8Array(array.buffer) });
    this.shapes.set(name, [values.length]);
    this.int64Values.set(name, values);
    return name;
  }

  /** Emits one node with inferred output shapes; records it on the tape while `recording`. */
  op(opType: string, inputs: string[], attrs: Record<string, AttributeValue> = {}, outputCount = 1): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(opType.toLowerCase()));
    const shapes = this.inferShapes(opType, inputs, attrs, outputCount);
    outputs.forEach((output, i) => this.shapes.set(output, shapes[i]!));
    if (this.dtype === 'float64' && FLOAT32_ONLY_OPS.has(opType)) {
      const cast = inputs.map((input) => {
        const name = this.fresh('to32');
        this.shapes.set(name, this.shape(input));
        this.nodes.push({ opType: 'Cast', inputs: [input], outputs: [name], name, attributes: { to: DataType.FLOAT } });
        return name;
      });
      const inner = outputs.map((output) => `${output}_f32`);
      inner.forEach((name, i) => this.shapes.set(name, shapes[i]!));
      this.nodes.push({ opType, inputs: cast, outputs: inner, name: outputs[0]!, attributes: attrs });
      inner.forEach((name, i) =>
        this.nodes.push({ opType: 'Cast', inputs: [name], outputs: [outputs[i]!], name: `${name}_cast`, attributes: { to: DataType.DOUBLE } }),
      );
    } else {
      this.nodes.push({ opType, inputs, outputs, name: outputs[0]!, attributes: attrs });
    }
    if (this.recording) this.tape.push({ op: opType, inputs, outputs, attrs });
    return outputs;
  }

  /** Emits a node whose output is not a float of the graph's precision (comparisons); never recorded. */
  raw(opType: string, inputs: string[], attrs: Record<string, AttributeValue>, shape: number[]): string {
    const output = this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, inputs, outputs: [output], name: output, attributes: attrs });
    this.shapes.set(output, shape);
    return output;
  }

  one(opType: string, inputs: string[], attrs: Record<string, AttributeValue> = {}): string {
    return this.op(opType, inputs, attrs)[0]!;
  }

  add(a: string, b: string): string {
    return this.one('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.one('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.one('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.one('Div', [a, b]);
  }
  scale(a: string, factor: number): string {
    return this.mul(a, this.constant(factor));
  }
  reduce(op: 'ReduceSum' | 'ReduceMean' | 'ReduceMax', x: string, axes: number[], keepdims: boolean): string {
    return this.one(op, [x, this.int64(axes)], { keepdims: keepdims ? 1 : 0 });
  }
  /** Reduces every axis to a scalar (statistics; never differentiated). */
  reduceAll(op: 'ReduceSum' | 'ReduceSumSquare' | 'ReduceMean' | 'ReduceMax', x: string): string {
    return this.one(op, [x], { keepdims: 0 });
  }

  /** Stacks scalars into one 1-d tensor. */
  stackScalars(scalars: string[]): string {
    const sequence = this.raw('SequenceConstruct', scalars, {}, []);
    return this.raw('ConcatFromSequence', [sequence], { axis: 0, new_axis: 1 }, [scalars.length]);
  }

  reshape(x: string, shape: number[]): string {
    return this.one('Reshape', [x, this.int64(shape)]);
  }
  transpose(x: string, perm: number[]): string {
    return this.one('Transpose', [x], { perm });
  }

  /** Boolean mask `a > b` converted to the graph's float type. */
  greaterMask(a: string, b: string): string {
    // The ReLU backward pass and the dead-unit statistics ask for the same mask.
    const key = `>${a},${b}`;
    const known = this.constants.get(key);
    if (known) return known;
    const mask = this.raw('Greater', [a, b], {}, broadcastShapes(this.shape(a), this.shape(b)));
    const cast = this.raw('Cast', [mask], { to: this.dataType }, this.shape(mask));
    this.constants.set(key, cast);
    return cast;
  }

  /** Boolean mask `a == b` converted to the graph's float type. */
  equalMask(a: string, b: string): string {
    const mask = this.raw('Equal', [a, b], {}, broadcastShapes(this.shape(a), this.shape(b)));
    return this.raw('Cast', [mask], { to: this.dataType }, this.shape(mask));
  }

  /** Broadcasts `x` to `shape` (backward only). */
  expand(x: string, shape: number[]): string {
    return this.raw('Expand', [x, this.int64(shape)], {}, shape);
  }

  /** Sums a broadcast gradient back to the shape of the operand it came from. */
  unbroadcast(grad: string, target: number[]): string {
    const shape = this.shape(grad);
    if (shape.join() === target.join()) return grad;
    const offset = shape.length - target.length;
    const axes: number[] = [];
    for (let i = 0; i < shape.length; i++) {
      if (i < offset || (target[i - offset] === 1 && shape[i] !== 1)) axes.push(i);
    }
    if (axes.every((axis) => axis < offset)) return this.reduce('ReduceSum', grad, axes, false);
    const summed = axes.length > 0 ? this.reduce('ReduceSum', grad, axes, true) : grad;
    return this.reshape(summed, target);
  }

  /**
   * The most elements alive at once when the nodes run in order and each intermediate is freed after
   * its last use: inputs, constants and outputs live throughout, and reshapes are counted as copies.
   */
  peakElements(): number {
    const size = (name: string) => (this.shapes.get(name) ?? []).reduce((p, d) => p * d, 1);
    const pinned = new Set([...this.inputs.map((v) => v.name), ...this.outputs.map((v) => v.name), ...this.initializers.map((t) => t.name)]);
    const lastUse = new Map<string, number>();
    this.nodes.forEach((node, step) => node.inputs.forEach((name) => lastUse.set(name, step)));
    let live = 0;
    for (const name of pinned) live += size(name);
    let peak = live;
    this.nodes.forEach((node, step) => {
      for (const name of node.outputs) if (!pinned.has(name)) live += size(name);
      peak = Math.max(peak, live);
      for (const name of new Set([...node.inputs, ...node.outputs])) {
        if (!pinned.has(name) && (lastUse.get(name) ?? -1) <= step) live -= size(name);
      }
    });
    return peak;
  }

  graph(name: string): GraphSpec {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }

  private inferShapes(op: string, inputs: string[], attrs: Record<string, AttributeValue>, count: number): number[][] {
    const inShape = (i: number) => this.shape(inputs[i]!);
    switch (op) {
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div':
        return [broadcastShapes(inShape(0), inShape(1))];
      case 'Relu':
      case 'LeakyRelu':
      case 'Elu':
      case 'Selu':
      case 'Sigmoid':
      case 'Tanh':
      case 'Erf':
      case 'Softplus':
      case 'Exp':
      case 'Log':
      case 'Sqrt':
      case 'Neg':
      case 'Abs':
      case 'Identity':
      case 'LogSoftmax':
      case 'Softmax':
      case 'Clip':
        return [inShape(0)];
      case 'Gemm': {
        const a = inShape(0);
        const b = inShape(1);
        const rows = attrs.transA === 1 ? a[1]! : a[0]!;
        const cols = attrs.transB === 1 ? b[0]! : b[1]!;
        return [[rows, cols]];
      }
      case 'MatMul': {
        const a = inShape(0);
        const b = inShape(1);
        if (a[a.length - 1] !== b[b.length - 2]) throw new ProbeGraphError(`internal: MatMul of [${a.join(', ')}] and [${b.join(', ')}]`);
        if (b.length === 2) return [[...a.slice(0, -1), b[1]!]];
        // A batched product: the leading axes broadcast, the last two multiply.
        if (a.length < 2) throw new ProbeGraphError('internal: a batched MatMul needs a matrix on the left');
        return [[...broadcastShapes(a.slice(0, -2), b.slice(0, -2)), a[a.length - 2]!, b[b.length - 1]!]];
      }
      case 'Gather': {
        // Rows of a table (axis 0) picked by an index tensor: the index shape, then the row shape.
        const data = inShape(0);
        return [[...inShape(1), ...data.slice(1)]];
      }
      case 'ScatterND':
        return [inShape(0)];
      case 'ReduceSum':
      case 'ReduceSumSquare':
      case 'ReduceMean':
      case 'ReduceMax': {
        const x = inShape(0);
        // Without an axes input every axis is reduced.
        const axes = inputs.length < 2 ? x.map((_, i) => i) : (this.int64Values.get(inputs[1]!) ?? []).map((axis) => normalizeAxis(axis, x.length));
        const keep = attrs.keepdims !== 0;
        return [x.flatMap((dim, i) => (axes.includes(i) ? (keep ? [1] : []) : [dim]))];
      }
      case 'Reshape': {
        const target = this.int64Values.get(inputs[1]!) ?? [];
        const x = inShape(0);
        const total = x.reduce((p, d) => p * d, 1);
        const known = target.map((d, i) => (d === 0 ? x[i]! : d));
        const fixed = known.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
        return [known.map((d) => (d === -1 ? total / fixed : d))];
      }
      case 'Flatten': {
        const x = inShape(0);
        const axis = typeof attrs.axis === 'number' ? attrs.axis : 1;
        return [[x.slice(0, axis).reduce((p, d) => p * d, 1), x.slice(axis).reduce((p, d) => p * d, 1)]];
      }
      case 'Transpose': {
        const x = inShape(0);
        return [ints(attrs.perm, x.map((_, i) => x.length - 1 - i)).map((axis) => x[axis]!)];
      }
      case 'Concat': {
        const shapes = inputs.map((_, i) => inShape(i));
        const axis = normalizeAxis(attrs.axis as number, shapes[0]!.length);
        const out = [...shapes[0]!];
        out[axis] = shapes.reduce((sum, shape) => sum + shape[axis]!, 0);
        return [out];
      }
      case 'Split': {
        const x = inShape(0);
        const axis = normalizeAxis(attrs.axis as number, x.length);
        const sizes = this.int64Values.get(inputs[1]!) ?? [];
        if (sizes.length !== count) throw new ProbeGraphError('internal: Split sizes and outputs disagree');
        return sizes.map((size) => x.map((dim, i) => (i === axis ? size : dim)));
      }
      case 'Conv': {
        const x = inShape(0);
        const w = inShape(1);
        const spatial = x.length - 2;
        const strides = ints(attrs.strides, Array(spatial).fill(1));
        const pads = ints(attrs.pads, Array(2 * spatial).fill(0));
        const dilations = ints(attrs.dilations, Array(spatial).fill(1));
        const out = [x[0]!, w[0]!];
        for (let i = 0; i < spatial; i++) {
          out.push(convOutputSize(x[i + 2]!, w[i + 2]!, strides[i]!, pads[i]!, pads[i + spatial]!, dilations[i]!));
        }
        if (out.some((dim) => dim <= 0)) throw new ProbeGraphError(`convolution output would be empty: [${out.join(', ')}]`);
        return [out];
      }
      case 'Slice': {
        // The probe slices from 0 along the listed axes (pooling crops).
        const x = inShape(0);
        const ends = this.int64Values.get(inputs[2]!) ?? [];
        const axes = this.int64Values.get(inputs[3]!) ?? [];
        return [x.map((dim, i) => (axes.includes(i) ? Math.min(dim, ends[axes.indexOf(i)]!) : dim))];
      }
      case 'ConvTranspose': {
        const x = inShape(0);
        const w = inShape(1);
        const spatial = x.length - 2;
        const strides = ints(attrs.strides, Array(spatial).fill(1));
        const pads = ints(attrs.pads, Array(2 * spatial).fill(0));
        const extra = ints(attrs.output_padding, Array(spatial).fill(0));
        const out = [x[0]!, w[1]!];
        for (let i = 0; i < spatial; i++) {
          out.push(strides[i]! * (x[i + 2]! - 1) + extra[i]! + w[i + 2]! - pads[i]! - pads[i + spatial]!);
        }
        return [out];
      }
      default:
        throw new ProbeGraphError(`internal: no shape rule for ${op}`);
    }
  }
}
