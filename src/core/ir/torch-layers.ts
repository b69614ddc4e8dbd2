// PyTorch `torch.nn` layer semantics: constructor parameters, sizes, trainable parameter counts and the exact
// default initialization each layer's `reset_parameters` applies.
import type { ActivationFn, ConstValue, InitInfo, LayerKind } from './types';

export interface TorchLayerSpec {
  className: string;
  kind: LayerKind;
  /** Constructor parameters in positional order. */
  positional: string[];
  activation?: ActivationFn;
}

function spec(className: string, kind: LayerKind, positional: string[] = [], activation?: ActivationFn): TorchLayerSpec {
  return { className, kind, positional, ...(activation ? { activation } : {}) };
}

const CONV = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias'];
const CONV_T = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation'];
const RNN = ['input_size', 'hidden_size', 'num_layers'];
const POOL = ['kernel_size', 'stride', 'padding'];

/** torch.nn modules without parameters that the IR does not model otherwise: padding, resampling, reshaping. */
const WEIGHTLESS_MODULES = [
  'Identity',
  'Upsample',
  'UpsamplingNearest2d',
  'UpsamplingBilinear2d',
  'PixelShuffle',
  'PixelUnshuffle',
  'ChannelShuffle',
  'Unflatten',
  ...['Zero', 'Constant', 'Reflection', 'Replication', 'Circular'].flatMap((padding) => [1, 2, 3].map((rank) => `${padding}Pad${rank}d`)),
];
const WEIGHTLESS: ReadonlySet<string> = new Set(WEIGHTLESS_MODULES);

const SPECS: TorchLayerSpec[] = [
  spec('Linear', 'linear', ['in_features', 'out_features', 'bias']),
  spec('Conv1d', 'conv1d', CONV),
  spec('Conv2d', 'conv2d', CONV),
  spec('Conv3d', 'conv3d', CONV),
  spec('ConvTranspose1d', 'convtranspose', CONV_T),
  spec('ConvTranspose2d', 'convtranspose', CONV_T),
  spec('ConvTranspose3d', 'convtranspose', CONV_T),
  spec('Embedding', 'embedding', ['num_embeddings', 'embedding_dim', 'padding_idx']),
  spec('EmbeddingBag', 'embedding', ['num_embeddings', 'embedding_dim']),
  spec('RNN', 'rnn', RNN),
  // Cells are one step each, stepped by the model's own loop: of no recurrent kind the IR unrolls.
  spec('RNNCell', 'unknown', ['input_size', 'hidden_size', 'bias', 'nonlinearity']),
  spec('LSTMCell', 'unknown', ['input_size', 'hidden_size', 'bias']),
  spec('GRUCell', 'unknown', ['input_size', 'hidden_size', 'bias']),
  spec('Bilinear', 'unknown', ['in1_features', 'in2_features', 'out_features', 'bias']),
  spec('LSTM', 'lstm', RNN),
  spec('GRU', 'gru', RNN),
  spec('MultiheadAttention', 'attention', ['embed_dim', 'num_heads', 'dropout', 'bias', 'add_bias_kv', 'add_zero_attn', 'kdim', 'vdim', 'batch_first']),
  spec('TransformerEncoderLayer', 'attention', ['d_model', 'nhead', 'dim_feedforward', 'dropout', 'activation', 'layer_norm_eps', 'batch_first', 'norm_first', 'bias']),
  spec('TransformerDecoderLayer', 'attention', ['d_model', 'nhead', 'dim_feedforward', 'dropout', 'activation', 'layer_norm_eps', 'batch_first', 'norm_first', 'bias']),
  spec('Transformer', 'attention', ['d_model', 'nhead', 'num_encoder_layers', 'num_decoder_layers', 'dim_feedforward', 'dropout', 'activation', 'custom_encoder', 'custom_decoder', 'layer_norm_eps', 'batch_first', 'norm_first', 'bias']),
  spec('BatchNorm1d', 'batchnorm', ['num_features', 'eps', 'momentum', 'affine']),
  spec('BatchNorm2d', 'batchnorm', ['num_features', 'eps', 'momentum', 'affine']),
  spec('BatchNorm3d', 'batchnorm', ['num_features', 'eps', 'momentum', 'affine']),
  spec('SyncBatchNorm', 'batchnorm', ['num_features', 'eps', 'momentum', 'affine']),
  spec('LayerNorm', 'layernorm', ['normalized_shape', 'eps', 'elementwise_affine', 'bias']),
  spec('RMSNorm', 'layernorm', ['normalized_shape', 'eps', 'elementwise_affine']),
  spec('GroupNorm', 'groupnorm', ['num_groups', 'num_channels', 'eps', 'affine']),
  spec('InstanceNorm1d', 'groupnorm', ['num_features', 'eps', 'momentum', 'affine']),
  spec('InstanceNorm2d', 'groupnorm', ['num_features', 'eps', 'momentum', 'affine']),
  spec('InstanceNorm3d', 'groupnorm', ['num_features', 'eps', 'momentum', 'affine']),
  spec('Dropout', 'dropout', ['p', 'inplace']),
  spec('Dropout1d', 'dropout', ['p', 'inplace']),
  spec('Dropout2d', 'dropout', ['p', 'inplace']),
  spec('Dropout3d', 'dropout', ['p', 'inplace']),
  spec('AlphaDropout', 'dropout', ['p', 'inplace']),
  spec('Flatten', 'flatten', ['start_dim', 'end_dim']),
  spec('MaxPool1d', 'pooling', POOL),
  spec('MaxPool2d', 'pooling', POOL),
  spec('MaxPool3d', 'pooling', POOL),
  spec('AvgPool1d', 'pooling', POOL),
  spec('AvgPool2d', 'pooling', POOL),
  spec('AvgPool3d', 'pooling', POOL),
  spec('AdaptiveAvgPool1d', 'pooling', ['output_size']),
  spec('AdaptiveAvgPool2d', 'pooling', ['output_size']),
  spec('AdaptiveAvgPool3d', 'pooling', ['output_size']),
  spec('AdaptiveMaxPool1d', 'pooling', ['output_size']),
  spec('AdaptiveMaxPool2d', 'pooling', ['output_size']),
  spec('LPPool2d', 'pooling', ['norm_type', 'kernel_size']),
  spec('ReLU', 'activation', ['inplace'], 'relu'),
  spec('ReLU6', 'activation', ['inplace'], 'relu6'),
  spec('LeakyReLU', 'activation', ['negative_slope', 'inplace'], 'leaky_relu'),
  spec('PReLU', 'activation', ['num_parameters', 'init'], 'prelu'),
  spec('RReLU', 'activation', ['lower', 'upper'], 'rrelu'),
  spec('ELU', 'activation', ['alpha', 'inplace'], 'elu'),
  spec('SELU', 'activation', ['inplace'], 'selu'),
  spec('CELU', 'activation', ['alpha', 'inplace'], 'celu'),
  spec('GELU', 'activation', ['approximate'], 'gelu'),
  spec('SiLU', 'activation', ['inplace'], 'silu'),
  spec('Mish', 'activation', ['inplace'], 'mish'),
  spec('Hardswish', 'activation', ['inplace'], 'hardswish'),
  spec('Sigmoid', 'activation', [], 'sigmoid'),
  spec('Hardsigmoid', 'activation', ['inplace'], 'hardsigmoid'),
  spec('LogSigmoid', 'activation', [], 'logsigmoid'),
  spec('Tanh', 'activation', [], 'tanh'),
  spec('Hardtanh', 'activation', ['min_val', 'max_val'], 'hardtanh'),
  spec('Softsign', 'activation', [], 'softsign'),
  spec('Softplus', 'activation', ['beta', 'threshold'], 'softplus'),
  spec('Tanhshrink', 'activation', [], 'tanhshrink'),
  spec('Softmax', 'activation', ['dim'], 'softmax'),
  spec('LogSoftmax', 'activation', ['dim'], 'log_softmax'),
  ...WEIGHTLESS_MODULES.map((className) => spec(className, 'unknown')),
];

const BY_NAME = new Map(SPECS.map((entry) => [entry.className, entry]));

export function torchLayerSpec(className: string): TorchLayerSpec | undefined {
  return BY_NAME.get(className);
}

/** The functional form of each activation: `F.relu`, `torch.sigmoid`, `x.tanh()` all map here. */
export const TORCH_FUNCTIONAL_ACTIVATIONS: ReadonlyMap<string, ActivationFn> = new Map([
  ['relu', 'relu'],
  ['relu_', 'relu'],
  ['relu6', 'relu6'],
  ['leaky_relu', 'leaky_relu'],
  ['leaky_relu_', 'leaky_relu'],
  ['prelu', 'prelu'],
  ['rrelu', 'rrelu'],
  ['elu', 'elu'],
  ['selu', 'selu'],
  ['celu', 'celu'],
  ['gelu', 'gelu'],
  ['silu', 'silu'],
  ['mish', 'mish'],
  ['hardswish', 'hardswish'],
  ['sigmoid', 'sigmoid'],
  ['hardsigmoid', 'hardsigmoid'],
  ['logsigmoid', 'logsigmoid'],
  ['tanh', 'tanh'],
  ['hardtanh', 'hardtanh'],
  ['softsign', 'softsign'],
  ['softplus', 'softplus'],
  ['tanhshrink', 'tanhshrink'],
  ['softmax', 'softmax'],
  ['log_softmax', 'log_softmax'],
  ['exp', 'exp'],
]);

export interface TorchLayerFacts {
  in: number | null;
  out: number | null;
  params: number | null;
  bias: boolean | null;
  rate?: number | null;
  /** See Layer.innerDropout; absent when the layer drops nothing. */
  innerDropout?: number | null;
  kernelSize?: number[] | null;
  init?: InitInfo;
  biasInit?: InitInfo;
}

function int(value: ConstValue | undefined): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * One transformer layer: self-attention (and cross-attention in a decoder), a feed-forward of two Linears, and a
 * LayerNorm after each of them; `bias=False` drops the biases of all three, the norms' included.
 */
function transformerLayerParams(model: number, feedForward: number, bias: boolean, decoder: boolean): number {
  const attention = 4 * model * model + (bias ? 4 * model : 0);
  const mlp = 2 * model * feedForward + (bias ? feedForward + model : 0);
  const norms = (decoder ? 3 : 2) * (bias ? 2 * model : model);
  return (decoder ? 2 : 1) * attention + mlp + norms;
}

/**
 * The `dropout=` probability of a layer that drops inside itself, with its default; absent when it is 0. A recurrent
 * stack drops only between its layers, so one of a single layer drops nothing (PyTorch warns about it).
 */
function innerDropout(value: ConstValue | undefined, fallback: number, layers: number | null = 2): { innerDropout?: number | null } {
  const rate = value === undefined ? fallback : typeof value === 'number' ? value : null;
  if (rate === 0 || layers === 1) return {};
  return { innerDropout: layers === null ? null : rate };
}

function flag(value: ConstValue | undefined, fallback: boolean): boolean | null {
  if (value === undefined) return fallback;
  return typeof value === 'boolean' ? value : null;
}

function tuple(value: ConstValue | undefined, rank: number): number[] | null {
  if (typeof value === 'number' && Number.isInteger(value)) return Array<number>(rank).fill(value);
  if (Array.isArray(value) && value.length === rank && value.every((item) => typeof item === 'number')) return value as number[];
  return null;
}

function rankOf(className: string): number {
  return /1d$/.test(className) ? 1 : /3d$/.test(className) ? 3 : 2;
}

const ONES: InitInfo = { name: 'ones_', dist: { family: 'constant', value: 1 }, source: 'default' };
const ZEROS: InitInfo = { name: 'zeros_', dist: { family: 'constant', value: 0 }, source: 'default' };

/** PyTorch's default for Linear and Conv weights: kaiming_uniform_(a=√5), i.e. Var(W) = 1/(3·fan_in). */
export const TORCH_DEFAULT_WEIGHT_INIT: InitInfo = {
  name: 'kaiming_uniform_(a=√5)',
  dist: { family: 'variance_scaling', scale: 1 / 3, mode: 'fan_in', distribution: 'uniform' },
  source: 'default',
};

function defaultBias(fanIn: number | null): InitInfo | undefined {
  if (fanIn === null || fanIn === 0) return undefined;
  const bound = 1 / Math.sqrt(fanIn);
  return { name: 'uniform_(±1/√fan_in)', dist: { family: 'uniform', low: -bound, high: bound }, source: 'default' };
}

function product(values: number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

/** A convolution's channels, groups and kernel from its evaluated arguments, each null where it is unknown. */
function convolutionArgs(layer: TorchLayerSpec, args: Record<string, ConstValue>): { rank: number; input: number | null; output: number | null; groups: number | null; kernel: number[] | null } {
  const rank = rankOf(layer.className);
  return {
    rank,
    input: int(args['in_channels']),
    output: int(args['out_channels']),
    groups: args['groups'] === undefined ? 1 : int(args['groups']),
    kernel: tuple(args['kernel_size'], rank),
  };
}

/**
 * The shape of a layer's `weight` tensor from its evaluated arguments, a size null where it is unknown: Linear
 * (out, in), Conv (out, in/groups, k...), ConvTranspose (in, out/groups, k...), Embedding (count, dim). Undefined for a
 * layer of any other kind, whose weight (if any) this does not describe.
 */
export function torchWeightShape(layer: TorchLayerSpec, args: Record<string, ConstValue>): (number | null)[] | undefined {
  switch (layer.kind) {
    case 'linear':
      return [int(args['out_features']), int(args['in_features'])];
    case 'embedding':
      return [int(args['num_embeddings']), int(args['embedding_dim'])];
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'convtranspose': {
      const { rank, input, output, groups, kernel: known } = convolutionArgs(layer, args);
      const kernel = known ?? new Array<null>(rank).fill(null);
      const perGroup = (size: number | null) => (size === null || groups === null ? null : size / groups);
      return layer.kind === 'convtranspose' ? [input, perGroup(output), ...kernel] : [output, perGroup(input), ...kernel];
    }
    default:
      return undefined;
  }
}

/** Sizes, trainable parameters and default inits of one layer from its evaluated arguments. */
export function torchLayerFacts(layer: TorchLayerSpec, args: Record<string, ConstValue>): TorchLayerFacts {
  switch (layer.kind) {
    case 'linear': {
      const input = int(args['in_features']);
      const output = int(args['out_features']);
      const bias = flag(args['bias'], true);
      const params = input === null || output === null || bias === null ? null : input * output + (bias ? output : 0);
      const biasInit = bias ? defaultBias(input) : undefined;
      return { in: input, out: output, params, bias, init: TORCH_DEFAULT_WEIGHT_INIT, ...(biasInit ? { biasInit } : {}) };
    }
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'convtranspose': {
      const { input, output, groups, kernel } = convolutionArgs(layer, args);
      const bias = flag(args['bias'], true);
      let params: number | null = null;
      let fanIn: number | null = null;
      if (input !== null && output !== null && kernel && groups && bias !== null) {
        // ConvTranspose stores its weight as (in, out/groups, k...), so its fan-in is out/groups·k.
        fanIn = layer.kind === 'convtranspose' ? (output / groups) * product(kernel) : (input / groups) * product(kernel);
        params = (input / groups) * output * product(kernel) + (bias ? output : 0);
      }
      const biasInit = bias ? defaultBias(fanIn) : undefined;
      return { in: input, out: output, params, bias, kernelSize: kernel, init: TORCH_DEFAULT_WEIGHT_INIT, ...(biasInit ? { biasInit } : {}) };
    }
    case 'embedding': {
      const count = int(args['num_embeddings']);
      const dim = int(args['embedding_dim']);
      return {
        in: count,
        out: dim,
        params: count === null || dim === null ? null : count * dim,
        bias: false,
        init: { name: 'normal_(0, 1)', dist: { family: 'normal', mean: 0, std: 1 }, source: 'default' },
      };
    }
    case 'rnn':
    case 'lstm':
    case 'gru': {
      const input = int(args['input_size']);
      const hidden = int(args['hidden_size']);
      const layers = args['num_layers'] === undefined ? 1 : int(args['num_layers']);
      const bias = flag(args['bias'], true);
      const bidirectional = flag(args['bidirectional'], false);
      // An LSTM with `proj_size` projects each hidden state down to that size: the recurrence and the output carry it.
      const projection = args['proj_size'] === undefined ? 0 : int(args['proj_size']);
      const projected = projection !== 0;
      const carried = projection === null || hidden === null ? null : projected ? projection : hidden;
      const gates = layer.kind === 'lstm' ? 4 : layer.kind === 'gru' ? 3 : 1;
      let params: number | null = null;
      // PyTorch refuses a projection on an RNN or GRU, and one that is not smaller than the hidden state.
      const validProjection = projection === 0 || (projection !== null && layer.kind === 'lstm' && (hidden === null || projection < hidden));
      if (input !== null && hidden !== null && carried !== null && layers !== null && bias !== null && bidirectional !== null && validProjection) {
        const directions = bidirectional ? 2 : 1;
        params = 0;
        for (let index = 0; index < layers; index++) {
          const layerInput = index === 0 ? input : carried * directions;
          params += directions * (gates * (hidden * layerInput + hidden * carried + (bias ? 2 * hidden : 0)) + (projected ? carried * hidden : 0));
        }
      }
      const bound = hidden ? 1 / Math.sqrt(hidden) : null;
      const init: InitInfo =
        bound === null
          ? { name: 'uniform_(±1/√hidden_size)', dist: { family: 'unknown' }, source: 'default' }
          : { name: 'uniform_(±1/√hidden_size)', dist: { family: 'uniform', low: -bound, high: bound }, source: 'default' };
      const directions = bidirectional === null ? null : bidirectional ? 2 : 1;
      return {
        in: input,
        out: carried === null || directions === null || !validProjection ? null : carried * directions,
        params,
        bias,
        init,
        ...(bias ? { biasInit: init } : {}),
        ...innerDropout(args['dropout'], 0, layers),
      };
    }
    case 'attention': {
      if (layer.className === 'TransformerEncoderLayer' || layer.className === 'TransformerDecoderLayer') {
        const model = int(args['d_model']);
        const feedForward = args['dim_feedforward'] === undefined ? 2048 : int(args['dim_feedforward']);
        const bias = flag(args['bias'], true);
        const decoder = layer.className === 'TransformerDecoderLayer';
        const params = model === null || feedForward === null || bias === null ? null : transformerLayerParams(model, feedForward, bias, decoder);
        return { in: model, out: model, params, bias, ...innerDropout(args['dropout'], 0.1) };
      }
      if (layer.className === 'Transformer') {
        // Encoder and decoder stacks, each ending in a LayerNorm; a custom one given instead is not read.
        const model = args['d_model'] === undefined ? 512 : int(args['d_model']);
        const encoders = args['num_encoder_layers'] === undefined ? 6 : int(args['num_encoder_layers']);
        const decoders = args['num_decoder_layers'] === undefined ? 6 : int(args['num_decoder_layers']);
        const feedForward = args['dim_feedforward'] === undefined ? 2048 : int(args['dim_feedforward']);
        const bias = flag(args['bias'], true);
        const custom = [args['custom_encoder'], args['custom_decoder']].some((value) => value !== undefined && value !== null);
        const params =
          model === null || encoders === null || decoders === null || feedForward === null || bias === null || custom
            ? null
            : encoders * transformerLayerParams(model, feedForward, bias, false) +
              decoders * transformerLayerParams(model, feedForward, bias, true) +
              2 * (bias ? 2 * model : model);
        return { in: model, out: model, params, bias, ...innerDropout(args['dropout'], 0.1) };
      }
      if (layer.className !== 'MultiheadAttention') return { in: null, out: null, params: null, bias: null };
      const embed = int(args['embed_dim']);
      const bias = flag(args['bias'], true);
      // Key and value sizes (`kdim`, `vdim`, the embedding's when None) set the widths the key and value projections
      // read; the query and output projections are embed × embed. The biases are the same either way.
      const kdim = args['kdim'] === undefined || args['kdim'] === null ? embed : int(args['kdim']);
      const vdim = args['vdim'] === undefined || args['vdim'] === null ? embed : int(args['vdim']);
      // `add_bias_kv=True` learns one extra key and one extra value vector.
      const biasKv = flag(args['add_bias_kv'], false);
      const params =
        embed === null || kdim === null || vdim === null || bias === null || biasKv === null
          ? null
          : embed * (2 * embed + kdim + vdim) + (bias ? 4 * embed : 0) + (biasKv ? 2 * embed : 0);
      return {
        in: embed,
        out: embed,
        params,
        bias,
        init: { name: 'xavier_uniform_', dist: { family: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' }, source: 'default' },
        ...(bias ? { biasInit: ZEROS } : {}),
        ...innerDropout(args['dropout'], 0),
      };
    }
    case 'batchnorm':
    case 'groupnorm': {
      const channels = int(args[layer.className === 'GroupNorm' ? 'num_channels' : 'num_features']);
      // InstanceNorm is created without affine parameters unless asked.
      const affine = flag(args['affine'], !layer.className.startsWith('InstanceNorm'));
      return {
        in: channels,
        out: channels,
        params: channels === null || affine === null ? null : affine ? 2 * channels : 0,
        bias: affine,
        ...(affine ? { init: ONES, biasInit: ZEROS } : {}),
      };
    }
    case 'layernorm': {
      const shape = args['normalized_shape'];
      const dims = typeof shape === 'number' ? [shape] : Array.isArray(shape) && shape.every((item) => typeof item === 'number') ? (shape as number[]) : null;
      const affine = flag(args['elementwise_affine'], true);
      const bias = layer.className === 'RMSNorm' ? false : flag(args['bias'], true);
      const size = dims ? product(dims) : null;
      // One size is the features of the last axis; `[C, H, W]` after a convolution covers the whole map, whose
      // channel count is no one entry the layer can be sure of, so it keeps what flows through it unread.
      const features = dims && dims.length === 1 ? dims[0]! : null;
      return {
        in: features,
        out: features,
        params: size === null || affine === null || bias === null ? null : affine ? size * (bias ? 2 : 1) : 0,
        bias: affine && bias,
        ...(affine ? { init: ONES, ...(bias ? { biasInit: ZEROS } : {}) } : {}),
      };
    }
    case 'dropout': {
      const rate = args['p'] === undefined ? 0.5 : typeof args['p'] === 'number' ? args['p'] : null;
      return { in: null, out: null, params: 0, bias: null, rate };
    }
    case 'pooling': {
      const rank = rankOf(layer.className);
      return { in: null, out: null, params: 0, bias: null, kernelSize: tuple(args['kernel_size'], rank) };
    }
    case 'activation': {
      if (layer.className !== 'PReLU') return { in: null, out: null, params: 0, bias: null };
      const count = args['num_parameters'] === undefined ? 1 : int(args['num_parameters']);
      return { in: null, out: null, params: count, bias: null };
    }
    case 'flatten':
      return { in: null, out: null, params: 0, bias: null };
    default:
      return CELLS[layer.className] !== undefined || layer.className === 'Bilinear' ? cellOrBilinearFacts(layer.className, args) : { in: null, out: null, params: WEIGHTLESS.has(layer.className) ? 0 : null, bias: null };
  }
}

/** The gates of one step of each recurrent cell: a weight for the input and one for the state per gate. */
const CELLS: Record<string, number> = { RNNCell: 1, LSTMCell: 4, GRUCell: 3 };

/**
 * Sizes and parameters of a recurrent cell (one step, stepped by the model's own loop) or of `nn.Bilinear`, which
 * the IR keeps as layers of no kind of their own: they are neither stacks to unroll nor plain products.
 */
function cellOrBilinearFacts(className: string, args: Record<string, ConstValue>): TorchLayerFacts {
  const bias = flag(args['bias'], true);
  if (className === 'Bilinear') {
    const [left, right, out] = [int(args['in1_features']), int(args['in2_features']), int(args['out_features'])];
    const params = left === null || right === null || out === null || bias === null ? null : left * right * out + (bias ? out : 0);
    return { in: null, out, params, bias };
  }
  const gates = CELLS[className]!;
  const [input, hidden] = [int(args['input_size']), int(args['hidden_size'])];
  const params = input === null || hidden === null || bias === null ? null : gates * (hidden * input + hidden * hidden + (bias ? 2 * hidden : 0));
  return { in: input, out: hidden, params, bias };
}

/** torch.nn.init.calculate_gain, squared: the factor by which each nonlinearity scales the variance it passes. */
export function gainSquared(nonlinearity: string, slope: number): number | null {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return (5 / 3) ** 2;
    case 'relu':
      return 2;
    case 'leaky_relu':
      return 2 / (1 + slope * slope);
    case 'selu':
      return (3 / 4) ** 2;
    default:
      return null;
  }
}
