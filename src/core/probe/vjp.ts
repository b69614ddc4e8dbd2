// The probe's autodiff: one vector-Jacobian product per primitive ONNX op, and a reverse walk of the
// builder's tape that emits the backward nodes only where a gradient is needed.
import { GraphBuilder, ProbeGraphError, type TapeEntry } from './graph';

/**
 * Given the gradients of an op's outputs (null: no gradient reaches that output), returns the gradients
 * of its inputs; `needs[i]` is false for inputs nothing differentiable depends on, which get null.
 */
type Vjp = (b: GraphBuilder, entry: TapeEntry, grads: (string | null)[], needs: boolean[]) => (string | null)[];

function input(entry: TapeEntry, i: number): string {
  return entry.inputs[i]!;
}

function output(entry: TapeEntry, i = 0): string {
  return entry.outputs[i]!;
}

/** The single output gradient of a one-output op (the walk only calls a VJP when one exists). */
function single(grads: (string | null)[]): string {
  return grads[0]!;
}

function attrNumber(entry: TapeEntry, name: string, fallback: number): number {
  const value = entry.attrs[name];
  if (typeof value === 'number') return value;
  if (value !== undefined && typeof value === 'object' && 'float' in value) return value.float;
  return fallback;
}

function attrInts(entry: TapeEntry, name: string, fallback: number[]): number[] {
  const value = entry.attrs[name];
  return Array.isArray(value) ? value : fallback;
}

/** Multiplies the gradient by a mask where `x > 0` (and by `otherwise` elsewhere). */
function positivePart(b: GraphBuilder, g: string, x: string, otherwise?: string): string {
  const mask = b.greaterMask(x, b.constant(0));
  const kept = b.mul(g, mask);
  if (!otherwise) return kept;
  const complement = b.sub(b.constant(1), mask);
  return b.add(kept, b.mul(b.mul(g, otherwise), complement));
}

/** Re-expands a reduced gradient to the reduced input's shape. */
function expandReduced(b: GraphBuilder, entry: TapeEntry, g: string): string {
  const xShape = b.shape(input(entry, 0));
  const axes = (b.int64ValuesOf(input(entry, 1)) ?? []).map((axis) => (axis < 0 ? axis + xShape.length : axis));
  const kept = xShape.map((dim, i) => (axes.includes(i) ? 1 : dim));
  return b.expand(b.reshape(g, kept), xShape);
}

function reducedCount(b: GraphBuilder, entry: TapeEntry): number {
  const xShape = b.shape(input(entry, 0));
  const axes = (b.int64ValuesOf(input(entry, 1)) ?? []).map((axis) => (axis < 0 ? axis + xShape.length : axis));
  return axes.reduce((product, axis) => product * xShape[axis]!, 1);
}

function convVjp(b: GraphBuilder, entry: TapeEntry, g: string, needs: boolean[]): (string | null)[] {
  const x = input(entry, 0);
  const w = input(entry, 1);
  const xShape = b.shape(x);
  const wShape = b.shape(w);
  const gShape = b.shape(g);
  const spatial = xShape.length - 2;
  const strides = attrInts(entry, 'strides', Array(spatial).fill(1));
  const pads = attrInts(entry, 'pads', Array(2 * spatial).fill(0));
  const result: (string | null)[] = [null, null, null];
  if (needs[0]) {
    // The input gradient is the transposed convolution of the output gradient with the same kernel;
    // output_padding restores the rows a strided forward pass dropped.
    const outputPadding = Array.from({ length: spatial }, (_, i) => {
      const produced = strides[i]! * (gShape[i + 2]! - 1) + wShape[i + 2]! - pads[i]! - pads[i + spatial]!;
      return xShape[i + 2]! - produced;
    });
    result[0] = b.one('ConvTranspose', [g, w], { strides, pads, output_padding: outputPadding });
  }
  if (needs[1]) {
    // dW[o,i,k] = sum over batch and positions of g[b,o,p]·x[b,i,p·s+k−pad]: a convolution of x (batch as
    // channels) with g (batch as channels), dilated by the forward stride.
    const perm = [1, 0, ...Array.from({ length: spatial }, (_, i) => i + 2)];
    const xT = b.transpose(x, perm);
    const gT = b.transpose(g, perm);
    const full = b.one('Conv', [xT, gT], { pads, dilations: strides });
    const fullShape = b.shape(full);
    let kernelGrad = b.transpose(full, perm);
    if (fullShape.slice(2).some((dim, i) => dim !== wShape[i + 2])) {
      // A stride that does not divide the padded input leaves extra positions; the kernel takes the first ones.
      const starts = b.int64(Array(spatial).fill(0));
      const ends = b.int64(wShape.slice(2));
      const axes = b.int64(Array.from({ length: spatial }, (_, i) => i + 2));
      kernelGrad = b.raw('Slice', [kernelGrad, starts, ends, axes], {}, wShape);
    }
    result[1] = kernelGrad;
  }
  if (needs[2] && entry.inputs.length > 2) {
    result[2] = b.reduce('ReduceSum', g, [0, ...Array.from({ length: spatial }, (_, i) => i + 2)], false);
  }
  return result;
}

export const VJP: Record<string, Vjp> = {
  Identity: (_b, _e, grads) => [single(grads)],
  Add: (b, e, grads) => [b.unbroadcast(single(grads), b.shape(input(e, 0))), b.unbroadcast(single(grads), b.shape(input(e, 1)))],
  Sub: (b, e, grads, needs) => [
    b.unbroadcast(single(grads), b.shape(input(e, 0))),
    needs[1] ? b.unbroadcast(b.one('Neg', [single(grads)]), b.shape(input(e, 1))) : null,
  ],
  Mul: (b, e, grads, needs) => [
    needs[0] ? b.unbroadcast(b.mul(single(grads), input(e, 1)), b.shape(input(e, 0))) : null,
    needs[1] ? b.unbroadcast(b.mul(single(grads), input(e, 0)), b.shape(input(e, 1))) : null,
  ],
  Div: (b, e, grads, needs) => {
    const g = single(grads);
    return [
      needs[0] ? b.unbroadcast(b.div(g, input(e, 1)), b.shape(input(e, 0))) : null,
      // d(a/b)/db = −(a/b)/b.
      needs[1] ? b.unbroadcast(b.one('Neg', [b.div(b.mul(g, output(e)), input(e, 1))]), b.shape(input(e, 1))) : null,
    ];
  },
  Neg: (b, _e, grads) => [b.one('Neg', [single(grads)])],
  Gemm: (b, e, grads, needs) => {
    if (e.attrs.transA === 1 || e.attrs.transB === 1) throw new ProbeGraphError('internal: the probe builds Gemm without transposes');
    const g = single(grads);
    return [
      needs[0] ? b.one('Gemm', [g, input(e, 1)], { transB: 1 }) : null,
      needs[1] ? b.one('Gemm', [input(e, 0), g], { transA: 1 }) : null,
      needs[2] && e.inputs.length > 2 ? b.unbroadcast(g, b.shape(input(e, 2))) : null,
    ];
  },
  MatMul: (b, e, grads, needs) => {
    const g = single(grads);
    const a = input(e, 0);
    const w = input(e, 1);
    const wShape = b.shape(w);
    if (wShape.length > 2) {
      // A batched product: each matrix pair differentiates as a plain product, and broadcast batch axes sum back.
      return [
        needs[0] ? b.unbroadcast(b.one('MatMul', [g, swapLastAxes(b, w)]), b.shape(a)) : null,
        needs[1] ? b.unbroadcast(b.one('MatMul', [swapLastAxes(b, a), g]), wShape) : null,
      ];
    }
    const [k, n] = wShape as [number, number];
    const aGrad = needs[0] ? b.one('MatMul', [g, b.transpose(w, [1, 0])]) : null;
    // Leading axes of `a` are folded into rows so the weight gradient is one matrix product.
    const wGrad = needs[1] ? b.one('Gemm', [b.reshape(a, [-1, k]), b.reshape(g, [-1, n])], { transA: 1 }) : null;
    return [aGrad, wGrad];
  },
  Gather: (b, e, grads) => {
    // Each picked row's gradient is added back into its row of the table; rows picked twice get the sum.
    const table = input(e, 0);
    const indices = input(e, 1);
    const indexShape = b.shape(indices);
    const positions = b.raw('Reshape', [indices, b.int64([...indexShape, 1])], {}, [...indexShape, 1]);
    return [b.one('ScatterND', [zerosLike(b, table), positions, single(grads)], { reduction: 'add' }), null];
  },
  Relu: (b, e, grads) => [positivePart(b, single(grads), input(e, 0))],
  LeakyRelu: (b, e, grads) => [positivePart(b, single(grads), input(e, 0), b.constant(attrNumber(e, 'alpha', 0.01)))],
  // For x ≤ 0, elu(x) = α(eˣ − 1), whose derivative is y + α.
  Elu: (b, e, grads) => [positivePart(b, single(grads), input(e, 0), b.add(output(e), b.constant(attrNumber(e, 'alpha', 1))))],
  Clip: (b, e, grads) => {
    // Clip(x, lo, hi) passes the gradient strictly inside the interval.
    const x = input(e, 0);
    const inside = b.mul(b.greaterMask(x, input(e, 1)), b.greaterMask(input(e, 2), x));
    return [b.mul(single(grads), inside), null, null];
  },
  Sigmoid: (b, e, grads) => [b.mul(single(grads), b.mul(output(e), b.sub(b.constant(1), output(e))))],
  Tanh: (b, e, grads) => [b.mul(single(grads), b.sub(b.constant(1), b.mul(output(e), output(e))))],
  Erf: (b, e, grads) => {
    const x = input(e, 0);
    const density = b.one('Exp', [b.one('Neg', [b.mul(x, x)])]);
    return [b.mul(single(grads), b.scale(density, 2 / Math.sqrt(Math.PI)))];
  },
  Softplus: (b, e, grads) => [b.mul(single(grads), b.one('Sigmoid', [input(e, 0)]))],
  Exp: (b, e, grads) => [b.mul(single(grads), output(e))],
  Log: (b, e, grads) => [b.div(single(grads), input(e, 0))],
  Sqrt: (b, e, grads) => [b.div(b.scale(single(grads), 0.5), output(e))],
  ReduceSum: (b, e, grads) => [expandReduced(b, e, single(grads)), null],
  ReduceMean: (b, e, grads) => [b.scale(expandReduced(b, e, single(grads)), 1 / reducedCount(b, e)), null],
  ReduceMax: (b, e, grads) => {
    // The gradient goes to the maximal entries; with continuous random inputs ties have probability zero.
    const expandedMax = expandReduced(b, e, output(e));
    return [b.mul(expandReduced(b, e, single(grads)), b.equalMask(input(e, 0), expandedMax)), null];
  },
  LogSoftmax: (b, e, grads) => {
    const axis = attrNumber(e, 'axis', -1);
    const g = single(grads);
    const total = b.reduce('ReduceSum', g, [axis], true);
    return [b.sub(g, b.mul(b.one('Exp', [output(e)]), total))];
  },
  Softmax: (b, e, grads) => {
    const axis = attrNumber(e, 'axis', -1);
    const g = single(grads);
    const y = output(e);
    return [b.mul(y, b.sub(g, b.reduce('ReduceSum', b.mul(g, y), [axis], true)))];
  },
  Reshape: (b, e, grads) => [b.reshape(single(grads), b.shape(input(e, 0))), null],
  Flatten: (b, e, grads) => [b.reshape(single(grads), b.shape(input(e, 0)))],
  Transpose: (b, e, grads) => {
    const perm = attrInts(e, 'perm', b.shape(input(e, 0)).map((_, i, all) => all.length - 1 - i));
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [b.transpose(single(grads), inverse)];
  },
  Concat: (b, e, grads) => {
    const axis = attrNumber(e, 'axis', 0);
    const rank = b.shape(input(e, 0)).length;
    const normalized = axis < 0 ? axis + rank : axis;
    const sizes = e.inputs.map((name) => b.shape(name)[normalized]!);
    return b.op('Split', [single(grads), b.int64(sizes)], { axis }, sizes.length);
  },
  Split: (b, e, grads) => {
    // Outputs nobody differentiates contribute zeros of their own shape.
    const parts = grads.map((g, i) => g ?? zerosLike(b, output(e, i)));
    return [b.one('Concat', parts, { axis: attrNumber(e, 'axis', 0) }), null];
  },
  Conv: (b, e, grads, needs) => convVjp(b, e, single(grads), needs),
  Slice: (b, e, grads) => {
    // Slices start at 0, so the gradient is the output gradient padded with zeros at the end of each sliced axis.
    const xShape = b.shape(input(e, 0));
    const gShape = b.shape(single(grads));
    const pads = [...xShape.map(() => 0), ...xShape.map((dim, i) => dim - gShape[i]!)];
    return [b.raw('Pad', [single(grads), b.int64(pads)], {}, xShape), null, null, null];
  },
};

/** Swaps the last two axes (the matrix transpose of a batch of matrices). */
function swapLastAxes(b: GraphBuilder, x: string): string {
  const rank = b.shape(x).length;
  return b.transpose(x, [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2]);
}

function zerosLike(b: GraphBuilder, name: string): string {
  return b.expand(b.constant(0), b.shape(name));
}

/**
 * Emits the backward pass of everything on the tape from `loss` to `wrt` and returns the gradient of
 * every value on a path between them (parameters, inputs and intermediate activations alike).
 */
export function backward(b: GraphBuilder, loss: string, wrt: string[]): Map<string, string> {
  const wasRecording = b.recording;
  b.recording = false;
  // Values that depend on a parameter: only their gradients are ever needed.
  const dependent = new Set(wrt);
  for (const entry of b.tape) {
    if (entry.inputs.some((name) => dependent.has(name))) for (const name of entry.outputs) dependent.add(name);
  }
  const contributions = new Map<string, string[]>();
  contributions.set(loss, [b.constant(1, b.shape(loss))]);
  const gradients = new Map<string, string>();
  const total = (name: string): string | null => {
    const done = gradients.get(name);
    if (done) return done;
    const parts = contributions.get(name);
    if (!parts || parts.length === 0) return null;
    const sum = parts.slice(1).reduce((acc, part) => b.add(acc, part), parts[0]!);
    gradients.set(name, sum);
    return sum;
  };
  for (let index = b.tape.length - 1; index >= 0; index--) {
    const entry = b.tape[index]!;
    const needs = entry.inputs.map((name) => dependent.has(name));
    if (!needs.some(Boolean)) continue;
    const grads = entry.outputs.map(total);
    if (grads.every((g) => g === null)) continue;
    const vjp = VJP[entry.op];
    if (!vjp) throw new ProbeGraphError(`no gradient rule for ONNX op ${entry.op}`);
    const inputGrads = vjp(b, entry, grads, needs);
    entry.inputs.forEach((name, i) => {
      const g = inputGrads[i];
      if (!needs[i] || !g) return;
      const list = contributions.get(name) ?? [];
      list.push(g);
      contributions.set(name, list);
    });
  }
  for (const name of contributions.keys()) total(name);
  b.recording = wasRecording;
  return gradients;
}
