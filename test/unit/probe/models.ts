// Hand-built IR models for the probe tests (the IR is the probe's only input).
import type { ActivationFn, Arg, ConstValue, Framework, InitDist, Layer, LayerKind, Model } from '../../../src/core/ir/types';

const SPAN = { start: 0, end: 0 };

/** A keyword argument as the front ends record it (`name` undefined for a positional one). */
export function arg(name: string | undefined, value: ConstValue): Arg {
  return { ...(name === undefined ? {} : { name }), value, span: SPAN, valueSpan: SPAN, text: JSON.stringify(value) };
}

export interface LayerOptions {
  name?: string;
  activation?: ActivationFn;
  init?: InitDist;
  biasInit?: InitDist;
  bias?: boolean;
  kernelSize?: number[];
  args?: Layer['args'];
  ctor?: string;
}

export function layer(index: number, kind: LayerKind, inSize: number | null, out: number | null, options: LayerOptions = {}): Layer {
  return {
    index,
    kind,
    ctor: options.ctor ?? kind,
    ...(options.name ? { name: options.name } : {}),
    span: { start: index * 10, end: index * 10 + 5 },
    calleeSpan: SPAN,
    args: options.args ?? [],
    ...(options.activation ? { activation: options.activation } : {}),
    in: inSize,
    out,
    bias: options.bias ?? (kind === 'linear' || kind.startsWith('conv') ? true : null),
    params: null,
    ...(options.kernelSize ? { kernelSize: options.kernelSize } : {}),
    ...(options.init ? { init: { name: 'test', dist: options.init, source: 'explicit' as const } } : {}),
    ...(options.biasInit ? { biasInit: { name: 'test', dist: options.biasInit, source: 'explicit' as const } } : {}),
  };
}

/** A model whose forward pass is its layers in order (flow unknown). */
export function chain(layers: Layer[], framework: Framework = 'pytorch', inputShape: number[] | null = null): Model {
  return {
    name: 'Net',
    framework,
    span: SPAN,
    nameSpan: SPAN,
    layers,
    flow: [],
    flowKnown: false,
    inputShape,
    parameterCount: null,
    initSpans: [],
    parameters: [],
  };
}

/** An MLP: `depth` linear layers of `width`, each followed by an activation layer except the last. */
export function mlp(depth: number, width: number, activation: ActivationFn, init?: InitDist, options: { inSize?: number; out?: number; framework?: Framework } = {}): Model {
  const layers: Layer[] = [];
  for (let i = 0; i < depth; i++) {
    const last = i === depth - 1;
    layers.push(layer(layers.length, 'linear', i === 0 ? (options.inSize ?? width) : width, last ? (options.out ?? width) : width, { name: `fc${i}`, ...(init ? { init } : {}) }));
    if (!last) layers.push(layer(layers.length, 'activation', null, null, { activation }));
  }
  return chain(layers, options.framework ?? 'pytorch');
}

/** A PyTorch nn.RNN/LSTM/GRU as the front end gives it: sizes, arguments and the U(±1/√hidden) default for every tensor. */
export function torchRecurrent(index: number, kind: 'rnn' | 'lstm' | 'gru', inSize: number, hidden: number, options: { name?: string; levels?: number; bidirectional?: boolean; batchFirst?: boolean; nonlinearity?: 'tanh' | 'relu'; bias?: boolean; init?: InitDist } = {}): Layer {
  const bound = 1 / Math.sqrt(hidden);
  const init = options.init ?? { family: 'uniform', low: -bound, high: bound };
  const args = [arg(undefined, inSize), arg(undefined, hidden)];
  if (options.levels !== undefined) args.push(arg('num_layers', options.levels));
  if (options.bidirectional !== undefined) args.push(arg('bidirectional', options.bidirectional));
  if (options.batchFirst !== undefined) args.push(arg('batch_first', options.batchFirst));
  if (options.nonlinearity !== undefined) args.push(arg('nonlinearity', options.nonlinearity));
  if (options.bias === false) args.push(arg('bias', false));
  const ctor = { rnn: 'nn.RNN', lstm: 'nn.LSTM', gru: 'nn.GRU' }[kind];
  return layer(index, kind, inSize, hidden * (options.bidirectional ? 2 : 1), { name: options.name ?? kind, ctor, args, init, biasInit: init, bias: options.bias ?? true });
}

/** A Keras or TF.js SimpleRNN/LSTM/GRU with the IR's defaults (tanh; zero bias; the kernel init given). */
export function kerasRecurrent(index: number, kind: 'rnn' | 'lstm' | 'gru', inSize: number | null, units: number, kernel: InitDist, args: Arg[] = [], framework: 'keras' | 'tfjs' = 'keras'): Layer {
  const className = { rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }[kind];
  const ctor = framework === 'keras' ? `layers.${className}` : `tf.layers.${className[0]!.toLowerCase()}${className.slice(1)}`;
  const activation = args.find((a) => a.name === 'activation')?.value;
  return layer(index, kind, inSize, units, {
    ctor,
    args: [framework === 'keras' ? arg(undefined, units) : arg('units', units), ...args],
    init: kernel,
    biasInit: { family: 'constant', value: 0 },
    activation: typeof activation === 'string' ? (activation as ActivationFn) : 'tanh',
    bias: true,
  });
}
