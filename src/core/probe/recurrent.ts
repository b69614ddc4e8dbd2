// Recurrent layers unrolled over the probe's sequence, one cell per step, built from primitive ops so the
// one VJP table differentiates them: PyTorch RNN/LSTM/GRU (stacked, bidirectional) and Keras/TF.js
// SimpleRNN/LSTM/GRU (Keras also in a Bidirectional wrapper), each with its framework's equations, gate order,
// defaults and initialization.
import { activationFromName, initializerDist } from '../ir/keras-layers';
import type { ActivationFn, InitDist, Layer } from '../ir/types';
import type { Applied, ProbeBuilder } from './build';
import { argument, countArg, describe, flagArg, layerError } from './layer-args';

type Cell = 'rnn' | 'lstm' | 'gru';

const GATES: Record<Cell, number> = { rnn: 1, lstm: 4, gru: 3 };

/** How one declared recurrent layer computes, resolved from its arguments and its framework's defaults. */
interface Recurrence {
  cell: Cell;
  pytorch: boolean;
  hidden: number;
  levels: number;
  directions: 1 | 2;
  bias: boolean;
  /** Whether the layer returns every step's state (PyTorch always; Keras `return_sequences`) or only the last. */
  sequences: boolean;
  /** The simple RNN's nonlinearity, or the candidate and cell activation of LSTM and GRU. */
  activation: ActivationFn;
  /** The activation of the LSTM and GRU gates. */
  gate: ActivationFn;
  /** GRU: the reset gate scales h·W_hn + b_hn (PyTorch, Keras `reset_after`) rather than h before the product (TF.js). */
  resetAfter: boolean;
}

/** One direction of one level: the weight values its steps use and the parameter tensors behind them. */
interface CellWeights {
  input: string;
  recurrent: string;
  /** Added to the input projection once for every step. */
  inputBias: string | null;
  /** Added to h·W_hh inside the cell (only the GRU's candidate needs it apart from the input bias). */
  recurrentBias: string | null;
  weights: string[];
  biases: string[];
}

function uniformBound(hidden: number): InitDist {
  const bound = 1 / Math.sqrt(hidden);
  return { family: 'uniform', low: -bound, high: bound };
}

function gateActivation(layer: Layer, pb: ProbeBuilder): ActivationFn {
  if (pb.model.framework === 'pytorch') return 'sigmoid';
  const value = argument(layer, ['recurrent_activation', 'recurrentActivation'], null);
  // Keras defaults its gates to sigmoid; TF.js to its hard sigmoid.
  if (value === undefined) return pb.model.framework === 'keras' ? 'sigmoid' : 'hardsigmoid';
  const fn = typeof value === 'string' ? activationFromName(value) : undefined;
  if (!fn) throw layerError(layer, `its recurrent activation ${JSON.stringify(value)} is not known to the probe`);
  return fn;
}

function resolve(pb: ProbeBuilder, layer: Layer): Recurrence {
  const cell = layer.kind as Cell;
  const pytorch = pb.model.framework === 'pytorch';
  const bias = pb.hasBias(layer);
  if (pytorch) {
    // RNN takes `nonlinearity` fourth, which shifts its later positional arguments by one.
    const shift = cell === 'rnn' ? 1 : 0;
    const projection = argument(layer, ['proj_size'], 7 + shift);
    if (projection !== undefined && projection !== null && projection !== 0) throw layerError(layer, 'LSTM projections (proj_size) are not supported by the probe yet');
    const nonlinearity = cell === 'rnn' ? argument(layer, ['nonlinearity'], 3) ?? 'tanh' : 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw layerError(layer, `unsupported nonlinearity ${JSON.stringify(nonlinearity)}`);
    return {
      cell,
      pytorch,
      hidden: countArg(layer, ['hidden_size'], 1, null, 'hidden size'),
      levels: countArg(layer, ['num_layers'], 2, 1, 'number of layers'),
      directions: flagArg(layer, ['bidirectional'], 6 + shift, false, 'bidirectional flag') ? 2 : 1,
      bias,
      sequences: true,
      activation: nonlinearity,
      gate: 'sigmoid',
      resetAfter: true,
    };
  }
  for (const [names, what] of [
    [['go_backwards', 'goBackwards'], 'go_backwards'],
    [['return_state', 'returnState'], 'return_state'],
    [['time_major', 'timeMajor'], 'time_major'],
  ] as const) {
    if (flagArg(layer, [...names], null, false, what)) throw layerError(layer, `${what} is not supported by the probe yet`);
  }
  const resetAfter = cell === 'gru' && flagArg(layer, ['reset_after', 'resetAfter'], null, pb.model.framework === 'keras', 'reset_after');
  if (resetAfter && pb.model.framework === 'tfjs') throw layerError(layer, 'TF.js GRU cells do not support resetAfter');
  const { wrapper } = layer;
  if (wrapper?.kind === 'time_distributed') throw layerError(layer, 'a recurrent layer inside TimeDistributed is not supported by the probe yet');
  if (wrapper && wrapper.mergeMode !== 'concat') throw layerError(layer, `Bidirectional with merge_mode ${wrapper.mergeMode ?? 'None or unknown'} is not supported by the probe yet (concat is)`);
  return {
    cell,
    pytorch,
    hidden: countArg(layer, ['units'], 0, null, 'number of units'),
    levels: 1,
    directions: wrapper ? 2 : 1,
    bias,
    sequences: flagArg(layer, ['return_sequences', 'returnSequences'], null, false, 'return_sequences'),
    activation: layer.activation ?? 'tanh',
    gate: gateActivation(layer, pb),
    resetAfter,
  };
}

/** Keras and TF.js draw the recurrent kernel from `recurrent_initializer`, orthogonal by default. */
function recurrentKernelDist(pb: ProbeBuilder, layer: Layer): { dist: InitDist; defaulted: boolean } {
  const value = argument(layer, ['recurrent_initializer', 'recurrentInitializer'], null);
  const orthogonal: InitDist = { family: 'orthogonal', gain: 1 };
  if (value === undefined) return { dist: orthogonal, defaulted: true };
  const dist = typeof value === 'string' ? initializerDist(value, {}, pb.model.framework === 'keras' ? 'keras' : 'tfjs') : null;
  if (dist && dist.family !== 'unknown') return { dist, defaulted: false };
  pb.note(`${describe(layer)}: recurrent initializer ${typeof value === 'string' ? `'${value}'` : 'as written'} is not known exactly; sampled the default (orthogonal) instead.`);
  return { dist: orthogonal, defaulted: true };
}

/** Declares the parameters of one direction of one level, shaped [in, gates·hidden] and [hidden, gates·hidden]. */
function cellWeights(pb: ProbeBuilder, layer: Layer, r: Recurrence, inputSize: number, level: number, reverse: boolean): CellWeights {
  const b = pb.b;
  const width = GATES[r.cell] * r.hidden;
  const common = { layer: layer.index, fanOut: width };
  if (r.pytorch) {
    const suffix = `_l${level}${reverse ? '_reverse' : ''}`;
    // PyTorch's reset_parameters draws every weight and bias from U(±1/√hidden); the IR says so unless the code changed it.
    const weightDist = pb.weightDist(layer, uniformBound(r.hidden));
    const input = pb.parameter({ ...common, label: `weight_ih${suffix}`, role: 'weight', shape: [inputSize, width], ...weightDist, fanIn: inputSize, matrix: [inputSize, width] });
    const recurrent = pb.parameter({ ...common, label: `weight_hh${suffix}`, role: 'weight', shape: [r.hidden, width], ...weightDist, fanIn: r.hidden, matrix: [r.hidden, width] });
    if (!r.bias) return { input, recurrent, inputBias: null, recurrentBias: null, weights: [input, recurrent], biases: [] };
    const biasDist = pb.biasDist(layer, r.hidden);
    const biasSpec = { ...common, role: 'bias' as const, shape: [width], ...biasDist, fanIn: r.hidden, matrix: [1, width] as [number, number] };
    const inputBias = pb.parameter({ ...biasSpec, label: `bias_ih${suffix}` });
    const recurrentBias = pb.parameter({ ...biasSpec, label: `bias_hh${suffix}` });
    const biases = [inputBias, recurrentBias];
    // Outside the GRU candidate both biases are plain sums with the input projection.
    if (r.cell !== 'gru') return { input, recurrent, inputBias: b.add(inputBias, recurrentBias), recurrentBias: null, weights: [input, recurrent], biases };
    return { input, recurrent, inputBias, recurrentBias, weights: [input, recurrent], biases };
  }
  // A Keras Bidirectional wrapper holds a forward and a backward copy of every tensor.
  const label = (name: string) => (r.directions === 2 ? `${reverse ? 'backward' : 'forward'}/${name}` : name);
  const input = pb.parameter({ ...common, label: label('kernel'), role: 'weight', shape: [inputSize, width], ...pb.weightDist(layer), fanIn: inputSize, matrix: [inputSize, width] });
  const recurrent = pb.parameter({ ...common, label: label('recurrent_kernel'), role: 'weight', shape: [r.hidden, width], ...recurrentKernelDist(pb, layer), fanIn: r.hidden, matrix: [r.hidden, width] });
  if (!r.bias) return { input, recurrent, inputBias: null, recurrentBias: null, weights: [input, recurrent], biases: [] };
  const biasDist = pb.biasDist(layer, inputSize);
  if (r.resetAfter) {
    // Keras keeps the input and the recurrent bias of a reset-after GRU as the two rows of one (2, 3·units) tensor.
    const bias = pb.parameter({ ...common, label: label('bias'), role: 'bias', shape: [2, width], ...biasDist, fanIn: inputSize, matrix: [2, width] });
    const [inputRow, recurrentRow] = b.op('Split', [bias, b.int64([1, 1])], { axis: 0 }, 2);
    return { input, recurrent, inputBias: b.reshape(inputRow!, [width]), recurrentBias: b.reshape(recurrentRow!, [width]), weights: [input, recurrent], biases: [bias] };
  }
  // Keras sets the LSTM forget-gate bias (the second quarter) to one unless unit_forget_bias is false; TF.js only when it is true.
  const forgetOne = r.cell === 'lstm' && flagArg(layer, ['unit_forget_bias', 'unitForgetBias'], null, pb.model.framework === 'keras', 'unit_forget_bias');
  const bias = pb.parameter({
    ...common,
    label: label('bias'),
    role: 'bias',
    shape: [width],
    ...biasDist,
    fanIn: inputSize,
    matrix: [1, width],
    ...(forgetOne ? { constantRanges: [{ start: r.hidden, end: 2 * r.hidden, value: 1 }] } : {}),
  });
  return { input, recurrent, inputBias: bias, recurrentBias: null, weights: [input, recurrent], biases: [bias] };
}

/** Gate positions along the gates·hidden axis: PyTorch orders GRU gates (r, z, n), Keras and TF.js (z, r, h); LSTMs are (i, f, g, o) in both. */
function gruPositions(r: Recurrence): { reset: number; update: number; candidate: number } {
  return r.pytorch ? { reset: 0, update: 1, candidate: 2 } : { reset: 1, update: 0, candidate: 2 };
}

interface Direction {
  /** The hidden state after each step, in time order. */
  states: string[];
  /** The simple RNN's pre-activation at each step, in time order. */
  preActivations: string[];
}

/** Runs one direction of one level over `x` [batch, steps, in] from zero initial states. */
function runDirection(pb: ProbeBuilder, r: Recurrence, layer: Layer, x: string, w: CellWeights, reverse: boolean): Direction {
  const b = pb.b;
  const [batch, steps] = b.shape(x) as [number, number, number];
  const H = r.hidden;
  const width = GATES[r.cell] * H;
  const act = (fn: ActivationFn, value: string) => pb.activation(fn, value, null, describe(layer)).value;
  const split = (value: string, parts: number) => b.op('Split', [value, b.int64(Array(parts).fill(H))], { axis: -1 }, parts);
  // The input projection of every step at once; the steps are then its slices along time.
  let projected = b.one('MatMul', [x, w.input]);
  if (w.inputBias) projected = b.add(projected, w.inputBias);
  const inputs = b.op('Split', [projected, b.int64(Array(steps).fill(1))], { axis: 1 }, steps).map((slice) => b.reshape(slice, [batch, width]));
  // TF.js's reset-before GRU multiplies r ⊙ h by the candidate's own columns of the recurrent kernel.
  const [gatesKernel, candidateKernel] = r.cell === 'gru' && !r.resetAfter ? b.op('Split', [w.recurrent, b.int64([2 * H, H])], { axis: 1 }, 2) : [w.recurrent, null];
  const states: string[] = Array(steps);
  const preActivations: string[] = [];
  let h: string | null = null;
  let c: string | null = null;
  for (let i = 0; i < steps; i++) {
    const t = reverse ? steps - 1 - i : i;
    const xt = inputs[t]!;
    const previous: string | null = h;
    if (r.cell === 'rnn') {
      const z = previous ? b.add(xt, b.one('MatMul', [previous, w.recurrent])) : xt;
      preActivations[t] = z;
      h = act(r.activation, z);
    } else if (r.cell === 'lstm') {
      const z = previous ? b.add(xt, b.one('MatMul', [previous, w.recurrent])) : xt;
      const [zi, zf, zg, zo] = split(z, 4);
      const input = act(r.gate, zi!);
      const forget = act(r.gate, zf!);
      const candidate = act(r.activation, zg!);
      const output = act(r.gate, zo!);
      c = c ? b.add(b.mul(forget, c), b.mul(input, candidate)) : b.mul(input, candidate);
      h = b.mul(output, act(r.activation, c));
    } else {
      const at = gruPositions(r);
      const xs = split(xt, 3);
      let reset: string;
      let update: string;
      let candidate: string;
      if (r.resetAfter) {
        // A zero state leaves only the recurrent bias of h·W_hh + b_hh.
        let recurrent: string | null = previous ? b.one('MatMul', [previous, w.recurrent]) : null;
        if (w.recurrentBias) recurrent = recurrent ? b.add(recurrent, w.recurrentBias) : w.recurrentBias;
        const hs = recurrent ? split(recurrent, 3) : null;
        reset = act(r.gate, hs ? b.add(xs[at.reset]!, hs[at.reset]!) : xs[at.reset]!);
        update = act(r.gate, hs ? b.add(xs[at.update]!, hs[at.update]!) : xs[at.update]!);
        candidate = act(r.activation, hs ? b.add(xs[at.candidate]!, b.mul(reset, hs[at.candidate]!)) : xs[at.candidate]!);
      } else {
        const hs = previous ? split(b.one('MatMul', [previous, gatesKernel!]), 2) : null;
        reset = act(r.gate, hs ? b.add(xs[at.reset]!, hs[at.reset]!) : xs[at.reset]!);
        update = act(r.gate, hs ? b.add(xs[at.update]!, hs[at.update]!) : xs[at.update]!);
        candidate = act(r.activation, previous ? b.add(xs[at.candidate]!, b.one('MatMul', [b.mul(reset, previous), candidateKernel!])) : xs[at.candidate]!);
      }
      // (1 − z)·n + z·h, written as n + z·(h − n); from a zero state it is n − z·n.
      h = previous ? b.add(candidate, b.mul(update, b.sub(previous, candidate))) : b.sub(candidate, b.mul(update, candidate));
    }
    states[t] = h;
  }
  return { states, preActivations };
}

/** Stacks per-step [batch, hidden] values into [batch, steps, hidden]. */
function stack(pb: ProbeBuilder, values: string[]): string {
  const b = pb.b;
  const [batch, hidden] = b.shape(values[0]!) as [number, number];
  return b.one('Concat', values.map((value) => b.reshape(value, [batch, 1, hidden])), { axis: 1 });
}

function joinDirections(pb: ProbeBuilder, values: string[]): string {
  return values.length === 1 ? values[0]! : pb.b.one('Concat', values, { axis: -1 });
}

function formatDist(dist: InitDist): string {
  const n = (value: number) => String(Number(value.toPrecision(3)));
  switch (dist.family) {
    case 'uniform':
      return dist.low === -dist.high ? `U(±${n(dist.high)})` : `U(${n(dist.low)}, ${n(dist.high)})`;
    case 'normal':
      return `N(${n(dist.mean)}, ${n(dist.std)}²)${dist.truncated ? ' truncated' : ''}`;
    case 'constant':
      return n(dist.value);
    case 'orthogonal':
      return dist.gain === 1 ? 'orthogonal' : `orthogonal × ${n(dist.gain)}`;
    case 'variance_scaling':
      return `${dist.distribution.replace('_', ' ')} with variance ${n(dist.scale)}/${dist.mode}`;
    case 'unknown':
      return 'unknown';
  }
}

function describeRecurrence(pb: ProbeBuilder, layer: Layer, r: Recurrence, steps: number): string {
  const weights = pb.parameters.filter((p) => p.layer === layer.index);
  const init = [...new Map(weights.map((p) => [p.label!.replace(/_l\d+(_reverse)?$/, '').replace(/^(forward|backward)\//, ''), `${formatDist(p.dist)}${p.constantRanges ? ' with the forget-gate quarter 1' : ''}`]))]
    .map(([label, dist]) => `${label} ${dist}`)
    .join(', ');
  const gates = r.cell === 'lstm' ? (r.pytorch ? 'i, f, g, o' : 'i, f, c, o') : r.cell === 'gru' ? (r.pytorch ? 'r, z, n' : 'z, r, h') : null;
  const form = [
    `${r.pytorch ? 'PyTorch' : pb.model.framework === 'keras' ? 'Keras' : 'TF.js'} equations`,
    gates ? `gates (${gates}) with ${r.gate}` : `${r.activation}`,
    r.cell !== 'rnn' ? `${r.activation} candidate` : null,
    r.cell === 'gru' ? (r.resetAfter ? 'reset gate after h·W_hh' : 'reset gate before h·W_hh') : null,
  ].filter((part): part is string => part !== null);
  const shape = r.levels > 1 || r.directions > 1 ? `, ${r.levels} level${r.levels > 1 ? 's' : ''}${r.directions > 1 ? ', bidirectional' : ''}` : '';
  const dropout = ['dropout', 'recurrent_dropout', 'recurrentDropout'].some((name) => {
    const value = argument(layer, [name], null);
    return typeof value === 'number' && value > 0;
  });
  return `${describe(layer)}: unrolled over ${steps} steps from zero initial states (${form.join(', ')}${shape}); initialization ${init}${dropout ? '; its dropout is the identity in the probe' : ''}.`;
}

/** Whether a PyTorch recurrent layer takes and gives (batch, steps, features), rather than steps first. */
export function batchFirst(layer: Layer): boolean {
  // RNN takes `nonlinearity` fourth, which shifts its later positional arguments by one.
  return flagArg(layer, ['batch_first'], layer.kind === 'rnn' ? 5 : 4, false, 'batch_first');
}

/**
 * Picks one step of a PyTorch recurrent layer's output sequence (`out[:, -1]`), which the probe always lays out
 * (batch, steps, features). Throws for a pick along any other axis.
 */
export function selectStep(pb: ProbeBuilder, layer: Layer, sequence: string, select: { axis: number; index: number }): string {
  const b = pb.b;
  if (select.axis !== (batchFirst(layer) ? 1 : 0)) throw layerError(layer, `its output is indexed along the batch or feature axis (axis ${select.axis}), which the probe cannot build`);
  const [batch, steps, features] = b.shape(sequence) as [number, number, number];
  const step = select.index < 0 ? steps + select.index : select.index;
  if (step < 0 || step >= steps) throw layerError(layer, `its output is indexed at step ${select.index} of ${steps}`);
  // Split keeps the picked step apart from the steps before and after it; its gradient pads them with zeros.
  const sizes = [step, 1, steps - step - 1].filter((size) => size > 0);
  const parts = sizes.length === 1 ? [sequence] : b.op('Split', [sequence, b.int64(sizes)], { axis: 1 }, sizes.length);
  return b.reshape(parts[step > 0 ? 1 : 0]!, [batch, features]);
}

/** Builds a recurrent layer applied to `inputs[0]` (later inputs, an initial state, are taken as zeros). */
export function recurrent(pb: ProbeBuilder, layer: Layer, inputs: string[]): Applied {
  const b = pb.b;
  const r = resolve(pb, layer);
  const x = pb.sequenceInput(layer, inputs[0]!);
  const steps = b.shape(x)[1]!;
  let sequence = x;
  let output = x;
  for (let level = 0; level < r.levels; level++) {
    const inputSize = b.shape(sequence)[2]!;
    const directions = Array.from({ length: r.directions }, (_, d) => {
      const weights = cellWeights(pb, layer, r, inputSize, level, d === 1);
      return { weights, run: runDirection(pb, r, layer, sequence, weights, d === 1) };
    });
    sequence = joinDirections(pb, directions.map(({ run }) => stack(pb, run.states)));
    const forward = directions[0]!.run;
    // Keras without return_sequences hands on each direction's last step (Keras layers have one level); the
    // backward direction's last step is at the first position.
    output = r.sequences ? sequence : joinDirections(pb, directions.map(({ run }, d) => run.states[d === 1 ? 0 : steps - 1]!));
    const name = layer.name ?? layer.ctor;
    pb.record(layer, {
      ...(r.levels > 1 ? { level: { key: `${layer.index}:l${level}`, name: `${name}_l${level}` } } : {}),
      weights: directions.flatMap(({ weights }) => weights.weights),
      biases: directions.flatMap(({ weights }) => weights.biases),
      preActivation: r.cell === 'rnn' ? joinDirections(pb, directions.map(({ run }) => stack(pb, run.preActivations))) : sequence,
      activationValue: sequence,
      ...(output !== sequence ? { output } : {}),
      activation: r.cell === 'rnn' ? r.activation : null,
      unitAxes: [0, 1],
      steps: forward.states,
    });
  }
  pb.note(describeRecurrence(pb, layer, r, steps));
  if (r.pytorch && !batchFirst(layer)) {
    pb.note(`${describe(layer)}: batch_first=False input is probed batch first; the statistics do not depend on the layout.`);
  }
  if (inputs.length > 1) pb.note(`${describe(layer)}: the initial state passed to it is taken as zeros, the default when none is passed.`);
  return { value: output };
}
