// Layer semantics shared by the Keras (Python) and TF.js front ends: the two APIs mirror each other, with
// Keras spelling options in snake_case and TF.js in camelCase. Defaults were read from each library's source;
// where they differ (TF.js kernels default to glorotNormal, Keras to glorot_uniform) the framework decides.
import {
  type ActivationFn,
  type ConstValue,
  type InitDist,
  type InitInfo,
  type LayerKind,
  type LayerWrapper,
} from './types';

export type KerasFramework = 'keras' | 'tfjs';

/** A layer's input or output shape without the batch axis; null entries are unknown. */
export type Shape = (number | null)[];

export interface KerasLayerSpec {
  /** Keras class name, the canonical key. */
  className: string;
  kind: LayerKind;
  /** Positional parameters of the Keras constructor, in order (TF.js takes one options object). */
  positional: string[];
  /** For activation layers such as `ReLU()`: the function. */
  activation?: ActivationFn;
  /** Whether the layer has a kernel with a configurable initializer. */
  hasKernel: boolean;
}

function spec(className: string, kind: LayerKind, positional: string[] = [], extra: Partial<KerasLayerSpec> = {}): KerasLayerSpec {
  return { className, kind, positional, hasKernel: false, ...extra };
}

const SPECS: KerasLayerSpec[] = [
  spec('Dense', 'linear', ['units', 'activation'], { hasKernel: true }),
  spec('Conv1D', 'conv1d', ['filters', 'kernel_size', 'strides', 'padding'], { hasKernel: true }),
  spec('Conv2D', 'conv2d', ['filters', 'kernel_size', 'strides', 'padding'], { hasKernel: true }),
  spec('Conv3D', 'conv3d', ['filters', 'kernel_size', 'strides', 'padding'], { hasKernel: true }),
  spec('Conv1DTranspose', 'convtranspose', ['filters', 'kernel_size', 'strides', 'padding'], { hasKernel: true }),
  spec('Conv2DTranspose', 'convtranspose', ['filters', 'kernel_size', 'strides', 'padding'], { hasKernel: true }),
  spec('Conv3DTranspose', 'convtranspose', ['filters', 'kernel_size', 'strides', 'padding'], { hasKernel: true }),
  spec('SeparableConv2D', 'conv2d', ['filters', 'kernel_size', 'strides', 'padding']),
  spec('DepthwiseConv2D', 'conv2d', ['kernel_size', 'strides', 'padding', 'depth_multiplier']),
  spec('Embedding', 'embedding', ['input_dim', 'output_dim']),
  spec('SimpleRNN', 'rnn', ['units', 'activation'], { hasKernel: true }),
  spec('LSTM', 'lstm', ['units', 'activation'], { hasKernel: true }),
  spec('GRU', 'gru', ['units', 'activation'], { hasKernel: true }),
  spec('Bidirectional', 'unknown', ['layer', 'merge_mode']),
  spec('TimeDistributed', 'unknown', ['layer']),
  spec('Activation', 'activation', ['activation']),
  spec('ReLU', 'activation', [], { activation: 'relu' }),
  spec('LeakyReLU', 'activation', ['negative_slope'], { activation: 'leaky_relu' }),
  spec('PReLU', 'activation', [], { activation: 'prelu' }),
  spec('ELU', 'activation', ['alpha'], { activation: 'elu' }),
  spec('Softmax', 'activation', ['axis'], { activation: 'softmax' }),
  spec('ThresholdedReLU', 'activation', ['theta'], { activation: 'relu' }),
  spec('Dropout', 'dropout', ['rate']),
  spec('SpatialDropout1D', 'dropout', ['rate']),
  spec('SpatialDropout2D', 'dropout', ['rate']),
  spec('GaussianDropout', 'dropout', ['rate']),
  spec('AlphaDropout', 'dropout', ['rate']),
  spec('BatchNormalization', 'batchnorm', ['axis']),
  spec('LayerNormalization', 'layernorm', ['axis']),
  spec('GroupNormalization', 'groupnorm', ['groups']),
  spec('Flatten', 'flatten'),
  spec('Reshape', 'unknown', ['target_shape']),
  spec('RepeatVector', 'unknown', ['n']),
  spec('MaxPooling1D', 'pooling', ['pool_size', 'strides', 'padding']),
  spec('MaxPooling2D', 'pooling', ['pool_size', 'strides', 'padding']),
  spec('MaxPooling3D', 'pooling', ['pool_size', 'strides', 'padding']),
  spec('AveragePooling1D', 'pooling', ['pool_size', 'strides', 'padding']),
  spec('AveragePooling2D', 'pooling', ['pool_size', 'strides', 'padding']),
  spec('AveragePooling3D', 'pooling', ['pool_size', 'strides', 'padding']),
  spec('GlobalAveragePooling1D', 'pooling'),
  spec('GlobalAveragePooling2D', 'pooling'),
  spec('GlobalMaxPooling1D', 'pooling'),
  spec('GlobalMaxPooling2D', 'pooling'),
  spec('MultiHeadAttention', 'attention', ['num_heads', 'key_dim']),
  spec('Add', 'unknown'),
  spec('Concatenate', 'unknown', ['axis']),
  spec('Multiply', 'unknown'),
  spec('InputLayer', 'unknown'),
  spec('ZeroPadding2D', 'unknown', ['padding']),
  spec('UpSampling2D', 'unknown', ['size']),
  spec('Rescaling', 'unknown', ['scale', 'offset']),
  // Preprocessing and augmentation: no trainable weights (Normalization's mean and variance are not trained).
  spec('Normalization', 'unknown', ['axis', 'mean', 'variance']),
  spec('RandomFlip', 'unknown', ['mode']),
  spec('RandomRotation', 'unknown', ['factor']),
  spec('RandomZoom', 'unknown', ['height_factor', 'width_factor']),
  spec('RandomTranslation', 'unknown', ['height_factor', 'width_factor']),
  spec('RandomContrast', 'unknown', ['factor']),
  spec('RandomBrightness', 'unknown', ['factor']),
  spec('GaussianNoise', 'unknown', ['stddev']),
  spec('Resizing', 'unknown', ['height', 'width']),
  spec('CenterCrop', 'unknown', ['height', 'width']),
  spec('RandomCrop', 'unknown', ['height', 'width']),
  spec('Cropping2D', 'unknown', ['cropping']),
  spec('TextVectorization', 'unknown', ['max_tokens']),
  spec('StringLookup', 'unknown', ['max_tokens']),
  spec('IntegerLookup', 'unknown', ['max_tokens']),
  spec('Hashing', 'unknown', ['num_bins']),
  spec('CategoryEncoding', 'unknown', ['num_tokens', 'output_mode']),
  // Computes what its function computes, with no weights of its own.
  spec('Lambda', 'unknown', ['function']),
];

/** Layers without trainable weights that keep the shape, and those that keep the channels but resize. */
const SHAPE_KEEPING = new Set(['Rescaling', 'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast', 'RandomBrightness', 'GaussianNoise']);
const RESIZING = new Set(['ZeroPadding2D', 'UpSampling2D', 'Resizing', 'CenterCrop', 'RandomCrop', 'Cropping2D']);

// TF.js factory names that are not simply the class name with a lower-case first letter.
const TFJS_ALIASES: Record<string, string> = {
  conv1d: 'Conv1D',
  conv2d: 'Conv2D',
  conv3d: 'Conv3D',
  conv2dTranspose: 'Conv2DTranspose',
  conv3dTranspose: 'Conv3DTranspose',
  separableConv2d: 'SeparableConv2D',
  depthwiseConv2d: 'DepthwiseConv2D',
  simpleRNN: 'SimpleRNN',
  lstm: 'LSTM',
  gru: 'GRU',
  reLU: 'ReLU',
  leakyReLU: 'LeakyReLU',
  prelu: 'PReLU',
  elu: 'ELU',
  thresholdedReLU: 'ThresholdedReLU',
  spatialDropout1d: 'SpatialDropout1D',
  maxPooling1d: 'MaxPooling1D',
  maxPooling2d: 'MaxPooling2D',
  maxPooling3d: 'MaxPooling3D',
  maxPool1d: 'MaxPooling1D',
  maxPool2d: 'MaxPooling2D',
  averagePooling1d: 'AveragePooling1D',
  averagePooling2d: 'AveragePooling2D',
  averagePooling3d: 'AveragePooling3D',
  avgPool1d: 'AveragePooling1D',
  avgPool2d: 'AveragePooling2D',
  avgPool3d: 'AveragePooling3D',
  avgPooling1d: 'AveragePooling1D',
  avgPooling2d: 'AveragePooling2D',
  avgPooling3d: 'AveragePooling3D',
  globalAveragePooling1d: 'GlobalAveragePooling1D',
  globalAveragePooling2d: 'GlobalAveragePooling2D',
  globalMaxPooling1d: 'GlobalMaxPooling1D',
  globalMaxPooling2d: 'GlobalMaxPooling2D',
  // The spellings the tfjs sentiment example uses.
  globalMaxPool1d: 'GlobalMaxPooling1D',
  globalMaxPool2d: 'GlobalMaxPooling2D',
  zeroPadding2d: 'ZeroPadding2D',
  upSampling2d: 'UpSampling2D',
  inputLayer: 'InputLayer',
};

const BY_NAME = new Map<string, KerasLayerSpec>();
for (const entry of SPECS) {
  BY_NAME.set(entry.className, entry);
  BY_NAME.set(entry.className[0]!.toLowerCase() + entry.className.slice(1), entry);
}
for (const [alias, className] of Object.entries(TFJS_ALIASES)) BY_NAME.set(alias, BY_NAME.get(className)!);
// Keras 2 spellings that still appear in examples.
BY_NAME.set('Convolution2D', BY_NAME.get('Conv2D')!);
BY_NAME.set('MaxPool2D', BY_NAME.get('MaxPooling2D')!);
BY_NAME.set('AvgPool2D', BY_NAME.get('AveragePooling2D')!);
for (const rank of ['1D', '2D']) {
  BY_NAME.set(`MaxPool${rank}`, BY_NAME.get(`MaxPooling${rank}`)!);
  BY_NAME.set(`GlobalMaxPool${rank}`, BY_NAME.get(`GlobalMaxPooling${rank}`)!);
  BY_NAME.set(`GlobalAvgPool${rank}`, BY_NAME.get(`GlobalAveragePooling${rank}`)!);
}
BY_NAME.set('MaxPool1D', BY_NAME.get('MaxPooling1D')!);
BY_NAME.set('GlobalAvgPool2D', BY_NAME.get('GlobalAveragePooling2D')!);

/** Looks a layer up by Keras class name (`Dense`) or TF.js factory name (`dense`, `maxPooling2d`). */
export function kerasLayerSpec(name: string): KerasLayerSpec | undefined {
  return BY_NAME.get(name);
}

/** Keras snake_case option names for TF.js camelCase ones (`kernelInitializer` → `kernel_initializer`). */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

// Activation names in either spelling, mapped to the IR's functions.
const ACTIVATIONS: ReadonlyMap<string, ActivationFn> = new Map([
  ['relu', 'relu'],
  ['relu6', 'relu6'],
  ['leaky_relu', 'leaky_relu'],
  ['leakyrelu', 'leaky_relu'],
  ['elu', 'elu'],
  ['selu', 'selu'],
  ['gelu', 'gelu'],
  ['silu', 'silu'],
  ['swish', 'silu'],
  ['mish', 'mish'],
  ['hard_swish', 'hardswish'],
  ['hardswish', 'hardswish'],
  ['sigmoid', 'sigmoid'],
  ['hard_sigmoid', 'hardsigmoid'],
  ['hardsigmoid', 'hardsigmoid'],
  ['log_sigmoid', 'logsigmoid'],
  ['tanh', 'tanh'],
  ['softsign', 'softsign'],
  ['softplus', 'softplus'],
  ['softmax', 'softmax'],
  ['log_softmax', 'log_softmax'],
  ['logsoftmax', 'log_softmax'],
  ['exponential', 'exp'],
  ['linear', 'linear'],
]);

/** Reads an activation given as a string (`'relu'`, `'hardSigmoid'`) in Keras or TF.js spelling. */
export function activationFromName(name: string): ActivationFn | undefined {
  return ACTIVATIONS.get(snakeCase(name).replace(/^_/, '')) ?? ACTIVATIONS.get(name.toLowerCase());
}

const SQRT_SCALE_TRUNCATION = 0.87962566103423978;

/**
 * Keras draws variance-scaling normals from a truncated normal corrected so the variance is exactly
 * scale/fan; TF.js truncates without the correction, so its variance is 0.8796² of that. The IR keeps the
 * exact variance by folding the difference into `scale`.
 */
function truncatedScale(scale: number, framework: KerasFramework): number {
  return framework === 'keras' ? scale : scale * SQRT_SCALE_TRUNCATION ** 2;
}

function varianceScaling(
  scale: number,
  mode: 'fan_in' | 'fan_out' | 'fan_avg',
  distribution: 'uniform' | 'normal',
  framework: KerasFramework,
): InitDist {
  return distribution === 'uniform'
    ? { family: 'variance_scaling', scale, mode, distribution: 'uniform' }
    : { family: 'variance_scaling', scale: truncatedScale(scale, framework), mode, distribution: 'truncated_normal' };
}

/** The fan modes of variance scaling, in Keras and TF.js spelling. */
const VARIANCE_MODES: ReadonlyMap<string, 'fan_in' | 'fan_out' | 'fan_avg'> = new Map([
  ['fan_in', 'fan_in'],
  ['fanIn', 'fan_in'],
  ['fan_out', 'fan_out'],
  ['fanOut', 'fan_out'],
  ['fan_avg', 'fan_avg'],
  ['fanAvg', 'fan_avg'],
]);

function numberOption(options: Record<string, ConstValue>, key: string, fallback: number): number | null {
  const value = options[key];
  if (value === undefined || value === null) return fallback;
  return typeof value === 'number' ? value : null;
}

/**
 * The distribution an initializer name gives, e.g. `he_normal`, `heNormal`, `HeNormal`, `RandomNormal`
 * (options are the initializer's own arguments, keys in snake_case). Unknown names give the unknown family.
 */
export function initializerDist(
  name: string,
  options: Record<string, ConstValue>,
  framework: KerasFramework,
): InitDist {
  const key = snakeCase(name).replace(/^_/, '').replace(/_initializer$/, '');
  switch (key) {
    case 'glorot_uniform':
    case 'xavier_uniform':
      return varianceScaling(1, 'fan_avg', 'uniform', framework);
    case 'glorot_normal':
    case 'xavier_normal':
      return varianceScaling(1, 'fan_avg', 'normal', framework);
    case 'he_uniform':
      return varianceScaling(2, 'fan_in', 'uniform', framework);
    case 'he_normal':
      return varianceScaling(2, 'fan_in', 'normal', framework);
    case 'lecun_uniform':
      return varianceScaling(1, 'fan_in', 'uniform', framework);
    case 'lecun_normal':
      return varianceScaling(1, 'fan_in', 'normal', framework);
    case 'zeros':
    case 'zero':
      return { family: 'constant', value: 0 };
    case 'ones':
    case 'one':
      return { family: 'constant', value: 1 };
    case 'constant': {
      const value = numberOption(options, 'value', 0);
      return value === null ? { family: 'unknown' } : { family: 'constant', value };
    }
    case 'random_normal':
    case 'truncated_normal': {
      const mean = numberOption(options, 'mean', 0);
      const std = numberOption(options, 'stddev', 0.05);
      if (mean === null || std === null) return { family: 'unknown' };
      return key === 'random_normal' ? { family: 'normal', mean, std } : { family: 'normal', mean, std, truncated: true };
    }
    case 'random_uniform': {
      const low = numberOption(options, 'minval', -0.05);
      const high = numberOption(options, 'maxval', 0.05);
      if (low === null || high === null) return { family: 'unknown' };
      return { family: 'uniform', low, high };
    }
    case 'orthogonal': {
      const gain = numberOption(options, 'gain', 1);
      return gain === null ? { family: 'unknown' } : { family: 'orthogonal', gain };
    }
    case 'variance_scaling': {
      const scale = numberOption(options, 'scale', 1);
      const mode = options['mode'] ?? 'fan_in';
      const distribution = options['distribution'] ?? (framework === 'keras' ? 'truncated_normal' : 'normal');
      const resolvedMode = typeof mode === 'string' ? VARIANCE_MODES.get(mode) : undefined;
      if (scale === null || !resolvedMode || typeof distribution !== 'string') return { family: 'unknown' };
      if (distribution === 'uniform') return varianceScaling(scale, resolvedMode, 'uniform', framework);
      if (distribution === 'normal' || distribution === 'truncated_normal' || distribution === 'truncatedNormal') {
        return varianceScaling(scale, resolvedMode, 'normal', framework);
      }
      return { family: 'unknown' };
    }
    default:
      return { family: 'unknown' };
  }
}

/** The framework's default kernel initializer for a layer. */
export function defaultKernelInit(layer: KerasLayerSpec, framework: KerasFramework): InitInfo | undefined {
  switch (layer.kind) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'convtranspose':
    case 'rnn':
    case 'lstm':
    case 'gru': {
      if (framework === 'keras' || layer.className === 'SeparableConv2D' || layer.className === 'DepthwiseConv2D') {
        const name = framework === 'keras' ? 'glorot_uniform' : 'glorotUniform';
        return { name, dist: varianceScaling(1, 'fan_avg', 'uniform', framework), source: 'default' };
      }
      return { name: 'glorotNormal', dist: varianceScaling(1, 'fan_avg', 'normal', framework), source: 'default' };
    }
    case 'embedding':
      return {
        name: framework === 'keras' ? 'uniform' : 'randomUniform',
        dist: { family: 'uniform', low: -0.05, high: 0.05 },
        source: 'default',
      };
    case 'batchnorm':
    case 'layernorm':
    case 'groupnorm':
      return { name: 'ones', dist: { family: 'constant', value: 1 }, source: 'default' };
    default:
      return undefined;
  }
}

export const ZEROS_INIT: InitInfo = { name: 'zeros', dist: { family: 'constant', value: 0 }, source: 'default' };

/** Reads a whole number or a tuple of them (`3`, `(3, 3)`, `[3, 3]`) repeated to `rank` entries. */
export function tupleOption(value: ConstValue | undefined, rank: number): number[] | null {
  if (typeof value === 'number' && Number.isInteger(value)) return Array.from({ length: rank }, () => value);
  if (Array.isArray(value) && value.length === rank && value.every((item) => typeof item === 'number')) {
    return value as number[];
  }
  return null;
}

function spatialRank(kind: LayerKind, className: string): number {
  if (kind === 'conv1d') return 1;
  if (kind === 'conv3d') return 3;
  // `Conv3DTranspose` names its rank before the suffix.
  const rank = /([123])D(?:Transpose)?$/.exec(className)?.[1];
  return rank === undefined ? 2 : Number(rank);
}

export interface KerasLayerFacts {
  kind: LayerKind;
  in: number | null;
  out: number | null;
  params: number | null;
  bias: boolean | null;
  rate?: number | null;
  activation?: ActivationFn;
  /** See Layer.activationUnknown. */
  activationUnknown?: true;
  /** See Layer.nonTrainable. */
  nonTrainable?: number | null;
  kernelSize?: number[] | null;
  outShape: Shape | null;
}

/**
 * How many values a normalization layer keeps one scale (and offset) for: the product of the sizes along its axes,
 * which count the batch as 0 and negative ones from the end (Keras's default, -1, is the channels).
 */
function normalizedSize(axis: ConstValue | undefined, inShape: Shape | null): number | null {
  const axes = axis === undefined ? [-1] : typeof axis === 'number' ? [axis] : Array.isArray(axis) && axis.every((item) => typeof item === 'number') ? (axis as number[]) : null;
  if (!axes || !inShape) return null;
  return product(axes.map((item) => inShape[item < 0 ? inShape.length + item : item - 1] ?? null));
}

function product(values: (number | null)[]): number | null {
  let result = 1;
  for (const value of values) {
    if (value === null) return null;
    result *= value;
  }
  return result;
}

function convOutput(size: number | null, kernel: number, stride: number, padding: string): number | null {
  if (size === null) return null;
  // Causal padding (Conv1D) pads on the left only, to the same length as `same`.
  if (padding === 'same' || padding === 'causal') return Math.ceil(size / stride);
  return padding === 'valid' ? Math.floor((size - kernel) / stride) + 1 : null;
}

/** The output length of a transposed convolution without `output_padding`, as Keras works it out. */
function transposedOutput(size: number | null, kernel: number, stride: number, padding: string): number | null {
  if (size === null) return null;
  if (padding === 'same') return size * stride;
  return padding === 'valid' ? size * stride + Math.max(kernel - stride, 0) : null;
}

function activationOption(value: ConstValue | undefined): ActivationFn | undefined {
  return typeof value === 'string' ? activationFromName(value) : undefined;
}

/**
 * How wide a lookup, hashing or category encoding's vectors are outside `int` mode: the bins, the tokens, or a
 * lookup's vocabulary when the file lists it (out-of-vocabulary indices included; a mask token is no column then),
 * or its `max_tokens` when padded to it. An adapted vocabulary's size is not known.
 */
function encodingDepth(className: string, options: Record<string, ConstValue>): number | null {
  if (className === 'Hashing') return knownInt(options['num_bins']);
  if (className === 'CategoryEncoding') return knownInt(options['num_tokens']);
  if (options['pad_to_max_tokens'] === true) return knownInt(options['max_tokens']);
  const vocabulary = options['vocabulary'];
  const oov = options['num_oov_indices'] === undefined ? 1 : knownInt(options['num_oov_indices']);
  return Array.isArray(vocabulary) && oov !== null ? vocabulary.length + oov : null;
}

/**
 * The shape of encoded values: `one_hot` encodes each value (a last axis of 1 in place, others gaining an axis);
 * `multi_hot`, `count` and `tf_idf` encode the values of the last axis together.
 */
function encodedShape(mode: string, inShape: Shape | null, depth: number | null): Shape | null {
  if (!inShape || !['one_hot', 'multi_hot', 'count', 'tf_idf'].includes(mode)) return null;
  if (inShape.length === 0) return [depth];
  const last = inShape[inShape.length - 1];
  if (mode !== 'one_hot' || last === 1) return [...inShape.slice(0, -1), depth];
  return last === null ? null : [...inShape, depth];
}

function knownInt(value: ConstValue | undefined): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * Sizes, parameter count and output shape of one layer given its options (snake_case keys) and the shape
 * flowing into it (channels last, no batch axis). Counts are trainable parameters, as PyTorch counts them.
 */
export function kerasLayerFacts(layer: KerasLayerSpec, options: Record<string, ConstValue>, inShape: Shape | null, framework: KerasFramework): KerasLayerFacts {
  const facts = unfrozenLayerFacts(layer, options, inShape, framework);
  // `trainable=False` freezes a layer: all its weights are non-trainable ones, as Keras's summary counts them.
  if (options['trainable'] !== false || facts.params === 0) return facts;
  const frozen = facts.params === null || facts.nonTrainable === null ? null : facts.params + (facts.nonTrainable ?? 0);
  return { ...facts, params: 0, nonTrainable: frozen };
}

function unfrozenLayerFacts(layer: KerasLayerSpec, options: Record<string, ConstValue>, inShape: Shape | null, framework: KerasFramework): KerasLayerFacts {
  const last = inShape && inShape.length > 0 ? (inShape[inShape.length - 1] ?? null) : null;
  const useBias = options['use_bias'] === undefined ? true : options['use_bias'] === true ? true : options['use_bias'] === false ? false : null;
  const activation = layer.activation ?? activationOption(options['activation']);
  // `activation=None` is linear; a value that names no function DeepLint knows is some unknown function.
  const activationUnknown = activation === undefined && options['activation'] !== undefined && options['activation'] !== null;
  // Each result is one literal with its optional keys set after: spreading a shared base and then adding keys
  // takes V8 about a microsecond per object, as long as all the rest of this function.
  const facts = (inSize: number | null, out: number | null, params: number | null, bias: boolean | null, outShape: Shape | null, fn = activation): KerasLayerFacts => {
    const result: KerasLayerFacts = { kind: layer.kind, in: inSize, out, params, bias, outShape };
    if (fn) result.activation = fn;
    else if (activationUnknown) result.activationUnknown = true;
    return result;
  };
  switch (layer.className) {
    case 'Dense': {
      const units = knownInt(options['units']);
      const params = last === null || units === null || useBias === null ? null : last * units + (useBias ? units : 0);
      const outShape = inShape && units !== null ? [...inShape.slice(0, -1), units] : null;
      return facts(last, units, params, useBias, outShape);
    }
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
    case 'Conv3DTranspose':
    case 'SeparableConv2D':
    case 'DepthwiseConv2D': {
      const rank = spatialRank(layer.kind, layer.className);
      const depthwise = layer.className === 'DepthwiseConv2D';
      const separable = layer.className === 'SeparableConv2D';
      const multiplier = depthwise || separable ? knownInt(options['depth_multiplier'] ?? 1) : 1;
      // A depthwise convolution gives each input channel `depth_multiplier` filters of its own.
      const filters = depthwise ? (last === null || multiplier === null ? null : last * multiplier) : knownInt(options['filters']);
      const kernel = tupleOption(options['kernel_size'], rank);
      const strides = options['strides'] === undefined ? Array<number>(rank).fill(1) : tupleOption(options['strides'], rank);
      const dilation = options['dilation_rate'] === undefined ? Array<number>(rank).fill(1) : tupleOption(options['dilation_rate'], rank);
      const padding = options['padding'] === undefined ? 'valid' : options['padding'];
      const channelsLast = options['data_format'] === undefined || options['data_format'] === 'channels_last' || options['data_format'] === 'channelsLast';
      // Keras convolutions in `groups` see a share of the input channels each; tfjs has no groups and ignores them.
      const groups = framework === 'keras' && options['groups'] !== undefined ? knownInt(options['groups']) : 1;
      let params: number | null = null;
      if (last !== null && filters !== null && kernel !== null && multiplier !== null && useBias !== null && channelsLast && groups !== null && groups > 0 && last % groups === 0) {
        const bias = useBias ? filters : 0;
        const area = product(kernel)!;
        if (depthwise) params = area * filters + bias;
        else if (separable) params = area * last * multiplier + last * multiplier * filters + bias;
        else params = area * (last / groups) * filters + bias;
      }
      let outShape: Shape | null = null;
      if (inShape && inShape.length === rank + 1 && kernel && strides && dilation && typeof padding === 'string' && channelsLast) {
        const transposed = layer.className.endsWith('Transpose');
        const spatial = inShape.slice(0, rank).map((size, axis) => {
          // Dilation spreads a kernel of k taps over (k - 1) * d + 1 positions.
          const span = (kernel[axis]! - 1) * dilation[axis]! + 1;
          return transposed ? transposedOutput(size, span, strides[axis]!, padding) : convOutput(size, span, strides[axis]!, padding);
        });
        // A transposed convolution's `output_padding` changes the size by rules not followed here.
        if (!transposed || options['output_padding'] === undefined || options['output_padding'] === null) outShape = [...spatial, filters];
      }
      const result = facts(channelsLast ? last : null, filters, params, useBias, outShape);
      result.kernelSize = kernel;
      return result;
    }
    case 'Embedding': {
      const vocabulary = knownInt(options['input_dim']);
      const dim = knownInt(options['output_dim']);
      const params = vocabulary === null || dim === null ? null : vocabulary * dim;
      const outShape = inShape && dim !== null ? [...inShape, dim] : inShape === null && dim !== null ? [null, dim] : null;
      return facts(vocabulary, dim, params, false, outShape);
    }
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU': {
      const units = knownInt(options['units']);
      const gates = layer.className === 'LSTM' ? 4 : layer.className === 'GRU' ? 3 : 1;
      // Keras GRU defaults to reset_after=True, which keeps a second bias vector; TF.js has no reset_after.
      const resetAfter = layer.className === 'GRU' && framework === 'keras' && options['reset_after'] !== false;
      const biasCount = useBias ? (resetAfter ? 2 : 1) : 0;
      const params =
        last === null || units === null || useBias === null ? null : gates * (units * (last + units) + biasCount * units);
      const sequences = options['return_sequences'] === true;
      const steps = inShape && inShape.length >= 2 ? (inShape[0] ?? null) : null;
      const outShape = units === null ? null : sequences ? [steps, units] : [units];
      return facts(last, units, params, useBias, outShape, activation ?? 'tanh');
    }
    case 'Dropout':
    case 'SpatialDropout1D':
    case 'SpatialDropout2D':
    case 'GaussianDropout':
    case 'AlphaDropout': {
      const rate = options['rate'];
      const result = facts(last, last, 0, null, inShape);
      result.rate = typeof rate === 'number' ? rate : null;
      return result;
    }
    case 'BatchNormalization':
    case 'LayerNormalization': {
      const scale = options['scale'] !== false;
      const center = options['center'] !== false;
      const size = normalizedSize(options['axis'], inShape);
      const params = size === null ? null : size * ((scale ? 1 : 0) + (center ? 1 : 0));
      const result = facts(last, last, params, null, inShape);
      // BatchNormalization keeps a moving mean and variance of what it normalizes, trained by no gradient.
      if (layer.className === 'BatchNormalization') result.nonTrainable = size === null ? null : 2 * size;
      return result;
    }
    case 'Normalization': {
      const result = facts(last, last, 0, null, inShape);
      // What `adapt` fills is kept as weights no gradient trains: a mean and a variance for each position along
      // the axes it keeps (one of each with `axis=None`), and a count. Given `mean` and `variance`, it keeps none.
      const given = options['mean'] !== undefined && options['mean'] !== null;
      const size = options['axis'] === null ? 1 : normalizedSize(options['axis'], inShape);
      result.nonTrainable = given ? 0 : size === null ? null : 2 * size + 1;
      return result;
    }
    case 'Flatten': {
      const size = inShape ? product(inShape) : null;
      return facts(null, size, 0, null, size === null ? null : [size]);
    }
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'MaxPooling3D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
    case 'AveragePooling3D': {
      const rank = spatialRank(layer.kind, layer.className);
      const pool = options['pool_size'] === undefined ? Array<number>(rank).fill(2) : tupleOption(options['pool_size'], rank);
      const strides = options['strides'] === undefined || options['strides'] === null ? pool : tupleOption(options['strides'], rank);
      const padding = options['padding'] === undefined ? 'valid' : options['padding'];
      let outShape: Shape | null = null;
      if (inShape && inShape.length === rank + 1 && pool && strides && typeof padding === 'string') {
        outShape = [...inShape.slice(0, rank).map((size, axis) => convOutput(size, pool[axis]!, strides[axis]!, padding)), last];
      }
      const result = facts(last, last, 0, null, outShape);
      result.kernelSize = pool;
      return result;
    }
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
      return facts(last, last, 0, null, last === null ? null : [last]);
    case 'RepeatVector': {
      const times = knownInt(options['n']);
      return facts(last, last, 0, null, inShape && times !== null ? [times, ...inShape] : null);
    }
    case 'TextVectorization': {
      // Strings in, token ids out: `output_sequence_length` ids per text in the default `int` mode.
      const length = knownInt(options['output_sequence_length']);
      const ids = options['output_mode'] === undefined || options['output_mode'] === 'int';
      return facts(null, null, 0, null, ids && length !== null ? [length] : null);
    }
    case 'StringLookup':
    case 'IntegerLookup':
    case 'Hashing':
    case 'CategoryEncoding': {
      // Ids keep the shape; the other modes encode the last axis as a vector as wide as the vocabulary.
      const given = options['output_mode'] ?? (layer.className === 'CategoryEncoding' ? 'multi_hot' : 'int');
      // TF.js spells the modes in camelCase (`oneHot`).
      const mode = typeof given === 'string' ? given.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) : given;
      if (mode === 'int') return facts(last, last, 0, null, inShape);
      const depth = encodingDepth(layer.className, options);
      return facts(last, depth, 0, null, typeof mode === 'string' ? encodedShape(mode, inShape, depth) : null);
    }
    case 'Lambda':
      return facts(null, null, 0, null, null);
    case 'PReLU': {
      // One trained slope per value of the input, except along the shared axes (numbered from 1 after the batch).
      const shared = options['shared_axes'];
      const axes = shared === undefined || shared === null ? [] : typeof shared === 'number' ? [shared] : Array.isArray(shared) && shared.every((axis) => typeof axis === 'number') ? (shared as number[]) : null;
      const params = inShape && axes ? product(inShape.map((size, axis) => (axes.includes(axis + 1) ? 1 : size))) : null;
      return facts(last, last, params, null, inShape);
    }
    case 'Reshape': {
      const target = options['target_shape'];
      const shape = Array.isArray(target) && target.every((item) => typeof item === 'number') ? (target as number[]) : null;
      const resolved = shape && !shape.includes(-1) ? shape : null;
      return facts(last, resolved ? (resolved[resolved.length - 1] ?? null) : null, 0, null, resolved);
    }
    default: {
      if (layer.kind === 'activation' || SHAPE_KEEPING.has(layer.className)) return facts(last, last, 0, null, inShape);
      if (RESIZING.has(layer.className)) {
        // The spatial size changes (by arguments not followed here); the channels, last, stay.
        return facts(last, last, 0, null, inShape ? [...inShape.slice(0, -1).map(() => null), last] : null);
      }
      return facts(null, null, null, null, null);
    }
  }
}

/** Element-wise merges keep their inputs' shape; concatenation along the last axis adds the last sizes. */
export function mergedShape(op: string, inputs: { shape: Shape | null }[]): Shape | null {
  const shapes = inputs.map((input) => input.shape);
  if (shapes.length === 0 || shapes.some((shape) => shape === null)) return null;
  const first = shapes[0]!;
  if (op === 'add' || op === 'mul') return shapes.every((shape) => JSON.stringify(shape) === JSON.stringify(first)) ? first : null;
  if (op === 'concat') {
    const lasts = shapes.map((shape) => shape![shape!.length - 1] ?? null);
    return lasts.every((size): size is number => typeof size === 'number') ? [...first.slice(0, -1), lasts.reduce((a, b) => a + b, 0)] : null;
  }
  return null;
}

export type MergeMode = NonNullable<LayerWrapper['mergeMode']>;

const MERGE_MODES: ReadonlySet<string> = new Set<MergeMode>(['concat', 'sum', 'mul', 'ave']);

/** Whether a layer class wraps another layer (`Bidirectional`, `TimeDistributed`). */
export function isKerasWrapper(layer: KerasLayerSpec): boolean {
  return layer.className === 'Bidirectional' || layer.className === 'TimeDistributed';
}

/**
 * Facts of a wrapper given the layer it wraps. `TimeDistributed` applies the layer to each step, so the layer sees
 * the shape without its first (time) axis and keeps its parameter count. `Bidirectional` holds a forward and a
 * backward copy, twice the parameters, and joins their outputs: `concat` (the default) doubles the last size.
 */
export function kerasWrapperFacts(
  wrapper: KerasLayerSpec,
  wrapperOptions: Record<string, ConstValue>,
  inner: KerasLayerSpec,
  innerOptions: Record<string, ConstValue>,
  inShape: Shape | null,
  framework: KerasFramework,
): KerasLayerFacts & { mergeMode?: MergeMode | null } {
  if (wrapper.className === 'TimeDistributed') {
    const facts = kerasLayerFacts(inner, innerOptions, inShape ? inShape.slice(1) : null, framework);
    const outShape = inShape && inShape.length > 0 && facts.outShape ? [inShape[0] ?? null, ...facts.outShape] : null;
    return { ...facts, outShape };
  }
  const facts = kerasLayerFacts(inner, innerOptions, inShape, framework);
  const written = wrapperOptions['merge_mode'];
  const mergeMode = written === undefined ? 'concat' : typeof written === 'string' && MERGE_MODES.has(written) ? (written as MergeMode) : null;
  // A separate backward layer may differ from the forward one; its size is not read.
  const params = facts.params === null || wrapperOptions['backward_layer'] !== undefined ? null : 2 * facts.params;
  const factor = mergeMode === 'concat' ? 2 : 1;
  const out = facts.out === null || mergeMode === null ? null : factor * facts.out;
  const last = facts.outShape?.[facts.outShape.length - 1];
  const outShape = facts.outShape && mergeMode !== null ? [...facts.outShape.slice(0, -1), typeof last === 'number' ? factor * last : null] : null;
  const result: KerasLayerFacts & { mergeMode?: MergeMode | null } = { ...facts, params, out, outShape };
  result.mergeMode = mergeMode;
  return result;
}

/**
 * Reads a shape option (`input_shape=(28, 28, 1)`, `inputShape: [784]`, `batch_input_shape` without batch).
 * An Embedding's `input_dim` is its vocabulary, so only `input_length` gives its shape.
 */
export function shapeOption(options: Record<string, ConstValue>, layer?: KerasLayerSpec): Shape | null {
  const direct = options['input_shape'] ?? options['shape'];
  const batched = options['batch_input_shape'] ?? options['batch_shape'];
  const dim = layer?.kind === 'embedding' ? options['input_length'] : options['input_dim'];
  const read = (value: ConstValue | undefined): Shape | null =>
    Array.isArray(value) ? value.map((item) => (typeof item === 'number' ? item : null)) : null;
  if (direct !== undefined) return read(direct);
  if (batched !== undefined) return read(batched)?.slice(1) ?? null;
  if (typeof dim === 'number') return [dim];
  return null;
}
