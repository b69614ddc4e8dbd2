// The probe's unrolled PyTorch cells against onnxruntime's own RNN, LSTM and GRU operators: an implementation
// independent of the probe's, of equations the ONNX specification defines. PyTorch's ONNX export maps its layers
// onto these operators (gates i, o, f, c for LSTM; z, r, h with linear_before_reset=1 for GRU). onnxruntime runs
// them in float32 only: with every output in [−1, 1] after 5 steps its rounding stays near 1e-7, so the float64
// probe must agree to 1e-5, far below what a wrong gate or bias would change.
import * as assert from 'node:assert/strict';
import { GraphBuilder } from '../../../src/core/probe/graph';
import { encodeModel } from '../../../src/core/probe/proto';
import { gradientsOf } from './model-harness';
import { chain, torchRecurrent } from './models';
import { run, session } from './harness';

const STEPS = 5;
const BATCH = 4;
const FEATURES = 3;
const HIDDEN = 4;

/** For each ONNX gate block, the PyTorch block it takes its rows from. */
const ONNX_FROM_TORCH = { RNN: [0], LSTM: [0, 3, 1, 2], GRU: [1, 0, 2] } as const;

/** The probe stores a PyTorch (gates·H, in) weight transposed, as (in, gates·H); ONNX wants it (gates·H, in) in its gate order. */
function onnxRows(stored: Float64Array, inputs: number, blocks: readonly number[]): number[] {
  const width = blocks.length * HIDDEN;
  const rows: number[] = [];
  for (const block of blocks) {
    for (let r = 0; r < HIDDEN; r++) for (let i = 0; i < inputs; i++) rows.push(stored[i * width + block * HIDDEN + r]!);
  }
  return rows;
}

function onnxBias(stored: Float64Array, blocks: readonly number[]): number[] {
  return blocks.flatMap((block) => Array.from(stored.slice(block * HIDDEN, (block + 1) * HIDDEN)));
}

async function compareWithOnnx(op: keyof typeof ONNX_FROM_TORCH, bidirectional: boolean): Promise<void> {
  const kind = op === 'RNN' ? 'rnn' : op === 'LSTM' ? 'lstm' : 'gru';
  const model = chain([torchRecurrent(0, kind, FEATURES, HIDDEN, { name: 'cell', bidirectional, batchFirst: true })]);
  const probe = await gradientsOf(model, { batch: BATCH, sequenceLength: STEPS });
  const directions = bidirectional ? ['', '_reverse'] : [''];
  const blocks = ONNX_FROM_TORCH[op];
  const tensor = (label: string) => probe.feeds[`p0.${label}`]!;
  const W = directions.flatMap((suffix) => onnxRows(tensor(`weight_ih_l0${suffix}`), FEATURES, blocks));
  const R = directions.flatMap((suffix) => onnxRows(tensor(`weight_hh_l0${suffix}`), HIDDEN, blocks));
  const B = directions.flatMap((suffix) => [...onnxBias(tensor(`bias_ih_l0${suffix}`), blocks), ...onnxBias(tensor(`bias_hh_l0${suffix}`), blocks)]);
  const count = directions.length;
  const gates = blocks.length * HIDDEN;
  // ONNX sequences are time major: X is (steps, batch, features).
  const x = probe.feeds.x!;
  const timeMajor = Float64Array.from({ length: x.length }, (_, i) => {
    const t = Math.floor(i / (BATCH * FEATURES));
    const n = Math.floor(i / FEATURES) % BATCH;
    return x[(n * STEPS + t) * FEATURES + (i % FEATURES)]!;
  });
  const b = new GraphBuilder('float32');
  const inputs = [b.input('X', [STEPS, BATCH, FEATURES]), b.input('W', [count, gates, FEATURES]), b.input('R', [count, gates, HIDDEN]), b.input('B', [count, 2 * gates])];
  // The operators' default activations are PyTorch's: tanh for RNN, sigmoid gates with tanh for LSTM and GRU.
  const attributes = { hidden_size: HIDDEN, direction: bidirectional ? 'bidirectional' : 'forward', ...(op === 'GRU' ? { linear_before_reset: 1 } : {}) };
  const y = b.raw(op, inputs, attributes, [STEPS, count, BATCH, HIDDEN]);
  b.output(y);
  const onnx = await run(await session(encodeModel(b.graph('cell'))), 'float32', { X: timeMajor, W: Float64Array.from(W), R: Float64Array.from(R), B: Float64Array.from(B) }, {
    X: [STEPS, BATCH, FEATURES],
    W: [count, gates, FEATURES],
    R: [count, gates, HIDDEN],
    B: [count, 2 * gates],
  });
  const expected = onnx[y]!;
  // The probe's output is batch first with the directions side by side: (batch, steps, directions·hidden).
  for (let n = 0; n < BATCH; n++) {
    for (let t = 0; t < STEPS; t++) {
      for (let d = 0; d < count; d++) {
        for (let h = 0; h < HIDDEN; h++) {
          const ours = probe.output[(n * STEPS + t) * count * HIDDEN + d * HIDDEN + h]!;
          const theirs = expected[((t * count + d) * BATCH + n) * HIDDEN + h]!;
          assert.ok(Math.abs(ours - theirs) <= 1e-5, `step ${t}, sample ${n}, direction ${d}, unit ${h}: probe ${ours}, onnxruntime ${theirs}`);
        }
      }
    }
  }
}

describe('probe recurrent cells vs onnxruntime RNN, LSTM and GRU operators', function () {
  this.timeout(30000);
  it('RNN with tanh, bidirectional', async () => compareWithOnnx('RNN', true));
  it('RNN with tanh, one direction', async () => compareWithOnnx('RNN', false));
  it('LSTM, bidirectional', async () => compareWithOnnx('LSTM', true));
  it('GRU (reset gate on h·W_hn + b_hn), bidirectional', async () => compareWithOnnx('GRU', true));
});
