// Every VJP of the table against central finite differences: float64 where onnxruntime has double
// kernels, float32 (coarser step and tolerance) for Erf and Conv, which run in float32 only.
import { checkVjp, type OpCase } from './harness';

const X = (shape: number[], low?: number, high?: number) => ({ name: 'x', shape, ...(low === undefined ? {} : { low }), ...(high === undefined ? {} : { high }) });
const Y = (shape: number[]) => ({ name: 'y', shape });

const unary = (op: string, attrs = {}): OpCase['forward'] => (b, [x]) => b.one(op, [x!], attrs);

const cases: Record<string, OpCase> = {
  'Gemm with bias': { inputs: [X([3, 4]), Y([4, 5]), { name: 'c', shape: [5] }], forward: (b, [x, y, c]) => b.one('Gemm', [x!, y!, c!]) },
  'MatMul of a rank-3 input': { inputs: [X([2, 3, 4]), Y([4, 5])], forward: (b, [x, y]) => b.one('MatMul', [x!, y!]) },
  'MatMul of two batches of matrices (attention scores)': { inputs: [X([2, 3, 4, 5]), Y([2, 3, 5, 4])], forward: (b, [x, y]) => b.one('MatMul', [x!, y!]) },
  'MatMul with a broadcast batch axis': { inputs: [X([2, 3, 4, 5]), Y([1, 3, 5, 2])], forward: (b, [x, y]) => b.one('MatMul', [x!, y!]) },
  'Gather of table rows, ids repeated (embedding)': {
    inputs: [X([5, 3])],
    forward: (b, [x]) => b.one('Gather', [x!, b.raw('Reshape', [b.int64([4, 0, 4, 2, 4, 1]), b.int64([2, 3])], {}, [2, 3])]),
  },
  'Add with broadcast': { inputs: [X([3, 4]), Y([4])], forward: (b, [x, y]) => b.add(x!, y!) },
  'Sub with broadcast': { inputs: [X([3, 1]), Y([3, 4])], forward: (b, [x, y]) => b.sub(x!, y!) },
  'Mul with broadcast': { inputs: [X([2, 3, 4]), Y([1, 3, 1])], forward: (b, [x, y]) => b.mul(x!, y!) },
  'Div with broadcast': { inputs: [X([3, 4]), { name: 'y', shape: [4], low: 0.5, high: 2 }], forward: (b, [x, y]) => b.div(x!, y!) },
  Neg: { inputs: [X([5])], forward: unary('Neg') },
  Relu: { inputs: [X([4, 5])], forward: unary('Relu') },
  LeakyRelu: { inputs: [X([4, 5])], forward: unary('LeakyRelu', { alpha: { float: 0.2 } }) },
  Elu: { inputs: [X([4, 5])], forward: unary('Elu', { alpha: { float: 1.5 } }) },
  'Clip (relu6)': { inputs: [X([4, 5], -3, 9)], forward: (b, [x]) => b.one('Clip', [x!, b.constant(0), b.constant(6)]) },
  Sigmoid: { inputs: [X([4, 5], -4, 4)], forward: unary('Sigmoid') },
  Tanh: { inputs: [X([4, 5], -3, 3)], forward: unary('Tanh') },
  Softplus: { inputs: [X([4, 5], -4, 4)], forward: unary('Softplus') },
  Exp: { inputs: [X([4, 5])], forward: unary('Exp') },
  Log: { inputs: [X([4, 5], 0.5, 3)], forward: unary('Log') },
  Sqrt: { inputs: [X([4, 5], 0.5, 3)], forward: unary('Sqrt') },
  'ReduceSum over axes 0 and 2': { inputs: [X([2, 3, 4])], forward: (b, [x]) => b.reduce('ReduceSum', x!, [0, 2], false) },
  'ReduceMean over the last axis, kept': { inputs: [X([2, 3, 4])], forward: (b, [x]) => b.reduce('ReduceMean', x!, [-1], true) },
  'ReduceMax (pooling windows)': { inputs: [X([2, 3, 4])], forward: (b, [x]) => b.reduce('ReduceMax', x!, [2], false) },
  LogSoftmax: { inputs: [X([3, 5], -3, 3)], forward: unary('LogSoftmax', { axis: 1 }) },
  Softmax: { inputs: [X([3, 5], -3, 3)], forward: unary('Softmax', { axis: -1 }) },
  'Softmax over the last axis of a rank-4 tensor (attention weights)': { inputs: [X([2, 2, 3, 4], -3, 3)], forward: unary('Softmax', { axis: -1 }) },
  Reshape: { inputs: [X([2, 3, 4])], forward: (b, [x]) => b.reshape(x!, [6, -1]) },
  Flatten: { inputs: [X([2, 3, 4])], forward: unary('Flatten', { axis: 1 }) },
  Transpose: { inputs: [X([2, 3, 4])], forward: (b, [x]) => b.transpose(x!, [2, 0, 1]) },
  Concat: { inputs: [X([2, 3]), Y([2, 4])], forward: (b, [x, y]) => b.one('Concat', [x!, y!], { axis: 1 }) },
  'Split (one branch unused)': {
    inputs: [X([2, 6])],
    forward: (b, [x]) => {
      const [first] = b.op('Split', [x!, b.int64([2, 4])], { axis: 1 }, 2);
      return b.one('Tanh', [first!]);
    },
  },
  Slice: { inputs: [X([2, 5])], forward: (b, [x]) => b.one('Slice', [x!, b.int64([0]), b.int64([3]), b.int64([1])]) },
  'Erf (float32)': { inputs: [X([4, 5], -2, 2)], forward: unary('Erf'), dtype: 'float32' },
  'Erf inside a float64 graph (cast to float32 and back)': { inputs: [X([3, 4], -2, 2)], forward: unary('Erf'), tolerance: 5e-5, step: 1e-3 },
  'Conv2d, stride 2, padding 1 (float32)': {
    inputs: [X([2, 2, 5, 5]), { name: 'w', shape: [3, 2, 3, 3] }, { name: 'c', shape: [3] }],
    forward: (b, [x, w, c]) => b.one('Conv', [x!, w!, c!], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    dtype: 'float32',
  },
  'Conv2d, stride 2 not dividing the input (float32)': {
    inputs: [X([1, 2, 6, 6]), { name: 'w', shape: [2, 2, 3, 3] }],
    forward: (b, [x, w]) => b.one('Conv', [x!, w!], { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 0, 0] }),
    dtype: 'float32',
  },
  'Conv1d, same padding (float32)': {
    inputs: [X([2, 3, 7]), { name: 'w', shape: [4, 3, 3] }],
    forward: (b, [x, w]) => b.one('Conv', [x!, w!], { kernel_shape: [3], strides: [1], pads: [1, 1] }),
    dtype: 'float32',
  },
};

describe('probe VJP table (finite differences)', function () {
  this.timeout(30000);
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => checkVjp(c));
  }
});
