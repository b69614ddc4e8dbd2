// Turns a model of the IR into the probe's ONNX graph: forward pass at initialization, a loss, the
// backward pass from the VJP table, and per-layer statistics gathered into one small output tensor.
import {
  NORM_LAYER_KINDS,
  type ActivationFn,
  type ConstValue,
  type FlowNode,
  type InitDist,
  type Layer,
  type LossInfo,
  type Model,
  type Span,
} from '../ir/types';
import { attention } from './attention';
import { GraphBuilder, ProbeGraphError, type Dtype } from './graph';
import { defaultBiasInit, defaultWeightInit } from './init';
import { argument, describe, flagArg, intList, layerError, numberArg, product } from './layer-args';
import { DataType, encodeModel } from './proto';
import { recurrent, selectStep } from './recurrent';
import { backward } from './vjp';

export { ProbeGraphError } from './graph';

/** The statistics computed for every probed layer, in the order they sit in the output tensor. */
export const STAT_NAMES = [
  'weightNorm',
  'gradNorm',
  'biasGradNorm',
  'actMean',
  'actStd',
  'preActStd',
  'activeFraction',
  'aliveUnitFraction',
  'saturatedFraction',
  'gradOutNorm',
] as const;
export type StatName = (typeof STAT_NAMES)[number];

/** `probabilities_ce` is categorical cross-entropy on probabilities (Keras without from_logits). */
export type LossKind = 'cross_entropy' | 'nll' | 'probabilities_ce' | 'bce' | 'bce_with_logits' | 'mse';

/** Steps of the random sequences fed to embeddings, recurrent and attention layers when neither the IR nor the caller gives a length. */
export const DEFAULT_SEQUENCE_LENGTH = 16;

export interface BuildOptions {
  batch?: number;
  dtype?: Dtype;
  /** Per-sample input shape (features, [C, H, W] channels first, [steps, features], or [steps] of token ids); overrides what the IR knows. */
  inputShape?: number[];
  /** Steps of a sequence input when `inputShape` is not given; overrides the IR's length (default DEFAULT_SEQUENCE_LENGTH when it has none). */
  sequenceLength?: number;
  /** The loss the model trains with, when known. */
  loss?: LossInfo | null;
  /** Also output every parameter gradient and the model output (tests compare them with tfjs). */
  exposeGradients?: boolean;
}

/** A weight or bias tensor the caller samples and feeds. */
export interface ParameterSpec {
  name: string;
  layer: number;
  role: 'weight' | 'bias';
  shape: number[];
  dist: InitDist;
  /** The distribution came from the framework default because the IR's was unknown or absent. */
  defaulted: boolean;
  fanIn: number;
  fanOut: number;
  /** Rows × cols view for orthogonal init (rows on the fan-in side). */
  matrix: [number, number];
  /** The framework's own name for a tensor of a layer that has several (`weight_hh_l0`, `in_proj_weight`, `recurrent_kernel`). */
  label?: string;
  /** Flat element ranges set to a constant after sampling: PyTorch's zeroed padding row, Keras's unit forget bias. */
  constantRanges?: { start: number; end: number; value: number }[];
}

/** One input the caller generates: a normal batch, one-hot or binary targets, or uniform token ids. */
export interface DataSpec {
  name: string;
  shape: number[];
  kind: 'normal' | 'one_hot' | 'binary' | 'tokens';
  /** For token ids: drawn uniformly from [0, vocabulary), never `excluded` (a padding or mask id). */
  tokens?: { vocabulary: number; excluded: number | null };
}

export interface ProbedLayer {
  /** Index into Model.layers. */
  index: number;
  kind: Layer['kind'];
  name?: string;
  span: Span;
  /** The activation whose output the activation statistics describe, if any follows the layer. */
  activation: ActivationFn | null;
  hasBias: boolean;
  /** Layers with several weight tensors (recurrent, attention): each one's name and role; their norms follow the layer statistics in `stats`. */
  tensors?: { label: string; role: 'weight' | 'bias' }[];
  /** Recurrent layers: the number of per-step hidden-state gradient norms that follow the tensor norms. */
  steps?: number;
}

export interface ProbeGraph {
  /** The serialised ONNX ModelProto. */
  bytes: Uint8Array;
  dtype: Dtype;
  batch: number;
  inputShape: number[];
  parameters: ParameterSpec[];
  /** The random input batch and targets the caller feeds. */
  data: DataSpec[];
  layers: ProbedLayer[];
  loss: { kind: LossKind; source: 'model' | 'default'; note?: string };
  /** Output names: `stats` is [layers × STAT_NAMES, per layer its tensors' (norm, gradient norm) and step gradient norms, loss]. */
  outputs: string[];
  /** Peak bytes of the tensors alive at once during a run, and the layer that owns the most. */
  memory: { bytes: number; biggestLayer: { index: number; bytes: number } | null };
  notes: string[];
}

const BYTES: Record<Dtype, number> = { float32: 4, float64: 8 };

export interface Applied {
  /** The value this flow node produces. */
  value: string;
  /** Set when the value is an activation's output: which one, and its input (for fused losses). */
  activation?: { fn: ActivationFn; input: string };
}

interface LayerRecord {
  probed: ProbedLayer;
  /** Tells records of one declared layer apart: a stacked recurrent layer gives one per level. */
  key: string;
  weights: string[];
  biases: string[];
  preActivation: string;
  activationValue: string;
  /** The value whose gradient `gradOutNorm` reports when it is not the activation value (a recurrent layer returning its last step). */
  output?: string;
  /** The block's output so far: the layer's, then through the norms and dropouts that follow it. */
  blockValue: string;
  /** Axes over which a unit sees the whole batch: batch and positions (all but the unit axis). */
  unitAxes: number[];
  /** Recurrent layers: the forward hidden state at each step. */
  steps?: string[];
}

/** What a layer builder hands over to be recorded for the statistics. */
export interface RecordSpec {
  /** Set for the levels of a stacked recurrent layer: the record's key and displayed name. */
  level?: { key: string; name: string };
  weights: string[];
  biases: string[];
  preActivation: string;
  activationValue: string;
  output?: string;
  activation: ActivationFn | null;
  unitAxes: number[];
  steps?: string[];
}

export class ProbeBuilder {
  readonly b: GraphBuilder;
  readonly parameters: ParameterSpec[] = [];
  readonly records: LayerRecord[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly model: Model,
    dtype: Dtype,
  ) {
    this.b = new GraphBuilder(dtype);
  }

  /**
   * The LeakyReLU slope: an activation layer's argument, else its default (PyTorch 0.01, Keras and
   * TF.js layers 0.3); a function or an activation string uses 0.01 in PyTorch and 0.2 in Keras/TF.js.
   */
  private leakySlope(layer: Layer | null): number {
    const pytorch = this.model.framework === 'pytorch';
    if (!layer) return pytorch ? 0.01 : 0.2;
    return numberArg(layer, ['negative_slope', 'alpha', 'negativeSlope'], 0, pytorch ? 0.01 : 0.3);
  }

  /** Applies an activation; `layer` is the activation layer whose arguments apply (null for functions and fused strings). */
  activation(fn: ActivationFn, x: string, layer: Layer | null, where: string): Applied {
    const b = this.b;
    const activation = { fn, input: x };
    const channelAxis = b.shape(x).length > 2 && this.convValues.has(x) ? 1 : -1;
    switch (fn) {
      case 'linear':
        return { value: x };
      case 'relu':
        return { value: b.one('Relu', [x]), activation };
      case 'relu6':
        return { value: b.one('Clip', [x, b.constant(0), b.constant(6)]), activation };
      case 'leaky_relu':
        return { value: b.one('LeakyRelu', [x], { alpha: { float: this.leakySlope(layer) } }), activation };
      case 'elu':
        return { value: b.one('Elu', [x], { alpha: { float: layer ? numberArg(layer, ['alpha'], 0, 1) : 1 } }), activation };
      case 'selu':
        return { value: b.scale(b.one('Elu', [x], { alpha: { float: 1.6732632423543772 } }), 1.0507009873554805), activation };
      case 'sigmoid':
        return { value: b.one('Sigmoid', [x]), activation };
      case 'hardsigmoid': {
        // clip(a·x + 1/2, 0, 1): TF.js uses a = 0.2; PyTorch and Keras 3 use 1/6, i.e. relu6(x + 3)/6.
        const slope = this.model.framework === 'tfjs' ? 0.2 : 1 / 6;
        return { value: b.one('Clip', [b.add(b.scale(x, slope), b.constant(0.5)), b.constant(0), b.constant(1)]), activation };
      }
      case 'tanh':
        return { value: b.one('Tanh', [x]), activation };
      case 'softplus':
        return { value: b.one('Softplus', [x]), activation };
      case 'logsigmoid':
        return { value: b.one('Neg', [b.one('Softplus', [b.one('Neg', [x])])]), activation };
      case 'gelu': {
        // The exact GELU, x·Φ(x) = x·(1 + erf(x/√2))/2.
        const phi = b.scale(b.add(b.constant(1), b.one('Erf', [b.scale(x, Math.SQRT1_2)])), 0.5);
        return { value: b.mul(x, phi), activation };
      }
      case 'silu':
        return { value: b.mul(x, b.one('Sigmoid', [x])), activation };
      case 'mish':
        return { value: b.mul(x, b.one('Tanh', [b.one('Softplus', [x])])), activation };
      case 'exp':
        return { value: b.one('Exp', [x]), activation };
      case 'softmax':
        return { value: b.one('Softmax', [x], { axis: channelAxis }), activation };
      case 'log_softmax':
        return { value: b.one('LogSoftmax', [x], { axis: channelAxis }), activation };
      default:
        throw new ProbeGraphError(`cannot probe ${where}: activation '${fn}' is not supported by the probe yet`);
    }
  }

  /** Convolution outputs are [N, C, ...]; dense outputs keep features last. */
  readonly convValues = new Set<string>();

  /** Adds a note once: the tensors of a stacked recurrent layer, or a layer applied twice, would repeat it. */
  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Declares a parameter the caller samples: `W3`/`b3` for a layer's one weight and bias, `p3.<label>` for labelled tensors. */
  parameter(spec: Omit<ParameterSpec, 'name'>): string {
    const name = spec.label ? `p${spec.layer}.${spec.label}` : `${spec.role === 'weight' ? 'W' : 'b'}${spec.layer}`;
    if (this.parameters.some((p) => p.name === name)) return name;
    this.parameters.push({ ...spec, name });
    return this.b.input(name, spec.shape);
  }

  /** The IR's weight initialization, else `fallback` (the framework's default for dense and convolutional kernels). */
  weightDist(layer: Layer, fallback: InitDist = defaultWeightInit(this.model.framework)): { dist: InitDist; defaulted: boolean } {
    const dist = layer.init?.dist;
    if (dist && dist.family !== 'unknown') return { dist, defaulted: false };
    if (layer.init) this.note(`${describe(layer)}: initialization '${layer.init.name}' is not known exactly; sampled the ${this.model.framework} default instead.`);
    return { dist: fallback, defaulted: true };
  }

  biasDist(layer: Layer, fanIn: number): { dist: InitDist; defaulted: boolean } {
    const dist = layer.biasInit?.dist;
    if (dist && dist.family !== 'unknown') return { dist, defaulted: false };
    return { dist: defaultBiasInit(this.model.framework, fanIn), defaulted: true };
  }

  hasBias(layer: Layer): boolean {
    return layer.bias !== false;
  }

  linear(layer: Layer, x: string): Applied {
    const b = this.b;
    const shape = b.shape(x);
    const features = shape[shape.length - 1]!;
    if (layer.in !== null && layer.in !== features) {
      throw layerError(layer, `it expects ${layer.in} input features but receives ${features}`);
    }
    if (layer.out === null) throw layerError(layer, 'its output size is unknown');
    const out = layer.out;
    const weightInit = this.weightDist(layer);
    const weight = this.parameter({
      layer: layer.index,
      role: 'weight',
      shape: [features, out],
      ...weightInit,
      fanIn: features,
      fanOut: out,
      matrix: [features, out],
    });
    const bias = this.hasBias(layer)
      ? this.parameter({ layer: layer.index, role: 'bias', shape: [out], ...this.biasDist(layer, features), fanIn: features, fanOut: out, matrix: [1, out] })
      : null;
    let z: string;
    if (shape.length === 2) {
      z = b.one('Gemm', bias ? [x, weight, bias] : [x, weight]);
    } else {
      z = b.one('MatMul', [x, weight]);
      if (bias) z = b.add(z, bias);
    }
    return this.finishWeightLayer(layer, z, weight, bias, Array.from({ length: shape.length - 1 }, (_, i) => i));
  }

  /** Applies the layer's fused activation, if any, and records the layer. */
  private finishWeightLayer(layer: Layer, z: string, weight: string, bias: string | null, unitAxes: number[]): Applied {
    const applied = layer.activation ? this.activation(layer.activation, z, null, describe(layer)) : { value: z };
    this.record(layer, {
      weights: [weight],
      biases: bias ? [bias] : [],
      preActivation: z,
      activationValue: applied.value,
      activation: applied.activation ? layer.activation! : null,
      unitAxes,
    });
    return applied;
  }

  /** Records a weight layer (or one level of a stacked recurrent layer) for the statistics; a layer applied again keeps its first record. */
  record(layer: Layer, spec: RecordSpec): void {
    const labelled = this.parameters.filter((p) => p.layer === layer.index && p.label && [...spec.weights, ...spec.biases].includes(p.name));
    const name = spec.level?.name ?? layer.name;
    const record: LayerRecord = {
      probed: {
        index: layer.index,
        kind: layer.kind,
        ...(name ? { name } : {}),
        span: layer.span,
        activation: spec.activation,
        hasBias: spec.biases.length > 0,
        ...(labelled.length > 0 ? { tensors: labelled.map((p) => ({ label: p.label!, role: p.role })) } : {}),
        ...(spec.steps ? { steps: spec.steps.length } : {}),
      },
      key: spec.level?.key ?? String(layer.index),
      weights: spec.weights,
      biases: spec.biases,
      preActivation: spec.preActivation,
      activationValue: spec.activationValue,
      ...(spec.output ? { output: spec.output } : {}),
      blockValue: spec.output ?? spec.activationValue,
      unitAxes: spec.unitAxes,
      ...(spec.steps ? { steps: spec.steps } : {}),
    };
    if (!this.records.some((r) => r.key === record.key)) this.records.push(record);
    this.lastRecord = record;
  }

  /** The ids input when the model starts with an embedding: the vocabulary the ids are drawn from, and an id never drawn. */
  tokens: { input: string; vocabulary: number | null; excluded: number | null } | null = null;

  embedding(layer: Layer, x: string): Applied {
    const b = this.b;
    const pytorch = this.model.framework === 'pytorch';
    if (!this.tokens || this.tokens.input !== x) throw layerError(layer, `an embedding reads token ids, but here it receives [${b.shape(x).join(', ')}] computed by other layers`);
    if (/bag/i.test(layer.ctor)) throw layerError(layer, 'EmbeddingBag (which sums or averages bags of embeddings) is not supported by the probe yet');
    const vocabulary = layer.in;
    const dim = layer.out;
    if (vocabulary === null || dim === null) throw layerError(layer, 'its vocabulary size or embedding size is unknown');
    const maxNorm = argument(layer, ['max_norm'], 3);
    if (maxNorm !== undefined && maxNorm !== null) throw layerError(layer, 'max_norm renormalises rows in the forward pass, which the probe does not model yet');
    if (flagArg(layer, ['scale_grad_by_freq'], 5, false, 'scale_grad_by_freq')) throw layerError(layer, 'scale_grad_by_freq rescales the gradient, which the probe does not model yet');
    if (b.dtype === 'float32' && vocabulary > 2 ** 24) throw layerError(layer, `its vocabulary of ${vocabulary} ids is larger than float32 counts exactly; probe in float64`);
    if (this.tokens.vocabulary !== null && this.tokens.vocabulary !== vocabulary) throw layerError(layer, 'two embeddings with different vocabularies read the same token ids');
    // The padding id (PyTorch) and the mask id 0 (Keras mask_zero) are never drawn: the ids are unpadded, unmasked data.
    const padding = pytorch ? argument(layer, ['padding_idx'], 2) : flagArg(layer, ['mask_zero', 'maskZero'], null, false, 'mask_zero') ? 0 : null;
    let excluded: number | null = null;
    if (typeof padding === 'number' && Number.isInteger(padding)) excluded = padding < 0 ? padding + vocabulary : padding;
    else if (padding !== undefined && padding !== null) throw layerError(layer, 'its padding_idx is not a constant');
    this.tokens = { ...this.tokens, vocabulary, excluded };
    // The defaults: PyTorch N(0, 1), Keras and TF.js U(±0.05).
    const init = this.weightDist(layer, pytorch ? { family: 'normal', mean: 0, std: 1 } : { family: 'uniform', low: -0.05, high: 0.05 });
    const weight = this.parameter({
      layer: layer.index,
      role: 'weight',
      shape: [vocabulary, dim],
      ...init,
      // PyTorch takes fans from the (vocabulary, dim) tensor as (dim, vocabulary); Keras as (vocabulary, dim).
      fanIn: pytorch ? dim : vocabulary,
      fanOut: pytorch ? vocabulary : dim,
      matrix: [vocabulary, dim],
      // PyTorch zeroes the padding row after sampling.
      ...(pytorch && excluded !== null ? { constantRanges: [{ start: excluded * dim, end: (excluded + 1) * dim, value: 0 }] } : {}),
    });
    const ids = b.raw('Cast', [x], { to: DataType.INT64 }, b.shape(x));
    const value = b.one('Gather', [weight, ids]);
    const rank = b.shape(value).length;
    this.record(layer, { weights: [weight], biases: [], preActivation: value, activationValue: value, activation: null, unitAxes: Array.from({ length: rank - 1 }, (_, i) => i) });
    return { value };
  }

  /** The record of the weight layer whose output the next activation may describe. */
  lastRecord: LayerRecord | null = null;

  private convGeometry(layer: Layer, x: string, spatial: number) {
    const shape = this.b.shape(x);
    const keras = this.model.framework !== 'pytorch';
    const kernel = layer.kernelSize ?? intList(argument(layer, ['kernel_size', 'kernelSize'], keras ? 1 : 2), spatial, layer, 'kernel size');
    if (!kernel || kernel.length !== spatial) throw layerError(layer, 'its kernel size is unknown');
    const strides = intList(argument(layer, ['stride', 'strides'], keras ? 2 : 3), spatial, layer, 'stride') ?? Array(spatial).fill(1);
    const dilation = intList(argument(layer, ['dilation', 'dilation_rate', 'dilationRate'], keras ? null : 5), spatial, layer, 'dilation');
    if (dilation && dilation.some((d) => d !== 1)) throw layerError(layer, 'dilated convolutions are not supported by the probe yet');
    const groups = argument(layer, ['groups'], keras ? null : 6);
    if (typeof groups === 'number' && groups !== 1) throw layerError(layer, 'grouped convolutions are not supported by the probe yet');
    const padding = argument(layer, ['padding'], keras ? 3 : 4);
    const pads = this.pads(layer, padding, shape.slice(2), kernel, strides);
    return { kernel, strides, pads };
  }

  private pads(layer: Layer, padding: ConstValue | undefined, sizes: number[], kernel: number[], strides: number[]): number[] {
    const spatial = kernel.length;
    if (padding === undefined || padding === 'valid') return Array(2 * spatial).fill(0);
    if (padding === 'same') {
      const begin: number[] = [];
      const end: number[] = [];
      sizes.forEach((size, i) => {
        const out = Math.ceil(size / strides[i]!);
        const total = Math.max((out - 1) * strides[i]! + kernel[i]! - size, 0);
        begin.push(Math.floor(total / 2));
        end.push(total - Math.floor(total / 2));
      });
      return [...begin, ...end];
    }
    const list = intList(padding, spatial, layer, 'padding');
    if (!list) throw layerError(layer, `unsupported padding ${JSON.stringify(padding)}`);
    return [...list, ...list];
  }

  conv(layer: Layer, input: string, spatial: number): Applied {
    const b = this.b;
    // A Keras Conv1D reads (batch, steps, channels): an embedding or recurrent output before it is channels last.
    const keras1d = spatial === 1 && this.model.framework !== 'pytorch' && b.shape(input).length === 3 && !this.convValues.has(input);
    const x = keras1d ? b.transpose(input, [0, 2, 1]) : input;
    const shape = b.shape(x);
    if (shape.length !== spatial + 2) {
      throw layerError(layer, `it expects a ${spatial + 2}-d input (batch, channels, ${spatial === 1 ? 'length' : 'height, width'}) but receives [${shape.join(', ')}]`);
    }
    const channels = shape[1]!;
    if (layer.in !== null && layer.in !== channels) throw layerError(layer, `it expects ${layer.in} input channels but receives ${channels}`);
    if (layer.out === null) throw layerError(layer, 'its number of output channels is unknown');
    const { kernel, strides, pads } = this.convGeometry(layer, x, spatial);
    const receptive = product(kernel);
    const fanIn = channels * receptive;
    const fanOut = layer.out * receptive;
    const weight = this.parameter({
      layer: layer.index,
      role: 'weight',
      shape: [layer.out, channels, ...kernel],
      ...this.weightDist(layer),
      fanIn,
      fanOut,
      matrix: [layer.out, fanIn],
    });
    const bias = this.hasBias(layer)
      ? this.parameter({ layer: layer.index, role: 'bias', shape: [layer.out], ...this.biasDist(layer, fanIn), fanIn, fanOut, matrix: [1, layer.out] })
      : null;
    const z = b.one('Conv', bias ? [x, weight, bias] : [x, weight], { kernel_shape: kernel, strides, pads });
    this.convValues.add(z);
    const applied = this.finishWeightLayer(layer, z, weight, bias, [0, ...Array.from({ length: spatial }, (_, i) => i + 2)]);
    this.convValues.add(applied.value);
    return applied;
  }

  norm(layer: Layer, x: string): Applied {
    const b = this.b;
    const shape = b.shape(x);
    const keras = this.model.framework !== 'pytorch';
    const eps = numberArg(layer, ['eps', 'epsilon'], keras ? null : 1, keras ? 1e-3 : 1e-5);
    let axes: number[];
    if (layer.kind === 'batchnorm') {
      // Training mode: statistics over the batch and every position, per channel (axis 1) or feature.
      axes = shape.map((_, i) => i).filter((i) => i !== 1);
    } else if (layer.kind === 'layernorm') {
      axes = [shape.length - 1];
    } else {
      throw layerError(layer, `${layer.kind} is not supported by the probe yet`);
    }
    // At initialization the affine scale is 1 and the shift 0, so the normalised value is the output.
    const mean = b.reduce('ReduceMean', x, axes, true);
    const centered = b.sub(x, mean);
    const variance = b.reduce('ReduceMean', b.mul(centered, centered), axes, true);
    const value = b.div(centered, b.one('Sqrt', [b.add(variance, b.constant(eps))]));
    if (this.convValues.has(x)) this.convValues.add(value);
    return { value };
  }

  pooling(layer: Layer, x: string): Applied {
    const b = this.b;
    const shape = b.shape(x);
    if (shape.length === 3 && !this.convValues.has(x) && this.model.framework !== 'pytorch' && /global/i.test(layer.ctor)) {
      // Keras global 1-D pooling of an embedding or recurrent sequence (batch, steps, features) reduces the steps.
      if (argument(layer, ['keepdims', 'keepDims'], null) === true) throw layerError(layer, 'keepdims on a sequence is not supported by the probe yet');
      const isMax = /max/i.test(layer.ctor);
      if (!isMax && !/avg|average|mean/i.test(layer.ctor)) throw layerError(layer, 'only max and average pooling are supported');
      return { value: b.reduce(isMax ? 'ReduceMax' : 'ReduceMean', x, [1], false) };
    }
    if (shape.length < 3 || !this.convValues.has(x)) throw layerError(layer, `pooling needs a convolutional input but receives [${shape.join(', ')}]`);
    const spatial = shape.length - 2;
    const spatialAxes = Array.from({ length: spatial }, (_, i) => i + 2);
    const isMax = /max/i.test(layer.ctor);
    const op = isMax ? 'ReduceMax' : 'ReduceMean';
    if (!isMax && !/avg|average|mean/i.test(layer.ctor)) throw layerError(layer, 'only max and average pooling are supported');
    let value: string;
    if (/global/i.test(layer.ctor)) {
      // Keras global pooling drops the spatial axes unless keepdims is set.
      const keep = argument(layer, ['keepdims', 'keepDims'], null) === true;
      value = b.reduce(op, x, spatialAxes, keep);
      if (keep) this.convValues.add(value);
      return { value };
    }
    if (/adaptive/i.test(layer.ctor)) {
      const size = intList(argument(layer, ['output_size'], 0), spatial, layer, 'output size');
      if (!size || size.some((s) => s !== 1)) throw layerError(layer, 'adaptive pooling is supported only to output size 1');
      value = b.reduce(op, x, spatialAxes, true);
      this.convValues.add(value);
      return { value };
    }
    const keras = this.model.framework !== 'pytorch';
    const kernel = layer.kernelSize ?? intList(argument(layer, ['kernel_size', 'pool_size', 'poolSize'], 0), spatial, layer, 'pool size') ?? (keras ? Array(spatial).fill(2) : null);
    if (!kernel) throw layerError(layer, 'its pool size is unknown');
    const strides = intList(argument(layer, ['stride', 'strides'], 1), spatial, layer, 'stride') ?? kernel;
    const padding = argument(layer, ['padding'], keras ? 2 : 2);
    if (strides.some((s, i) => s !== kernel[i]) || (padding !== undefined && padding !== 0 && padding !== 'valid')) {
      throw layerError(layer, 'only non-overlapping pooling (stride = pool size, no padding) is supported by the probe yet');
    }
    // Non-overlapping windows: crop the remainder (floor mode), split each spatial axis into (blocks, window), reduce the windows.
    const blocks = shape.slice(2).map((size, i) => Math.floor(size / kernel[i]!));
    if (blocks.some((count) => count === 0)) throw layerError(layer, `its window ${kernel.join('×')} is larger than the input [${shape.join(', ')}]`);
    let cropped = x;
    if (blocks.some((count, i) => count * kernel[i]! !== shape[i + 2])) {
      cropped = b.one('Slice', [x, b.int64(Array(spatial).fill(0)), b.int64(blocks.map((count, i) => count * kernel[i]!)), b.int64(spatialAxes)]);
    }
    const split = [shape[0]!, shape[1]!, ...blocks.flatMap((count, i) => [count, kernel[i]!])];
    const windows = b.reshape(cropped, split);
    value = b.reduce(op, windows, blocks.map((_, i) => 3 + 2 * i), false);
    this.convValues.add(value);
    return { value };
  }

  /** Keeps the channels-first mark on values that carry a convolutional layout through shape-preserving ops. */
  propagateLayout(from: string, applied: Applied): Applied {
    if (this.convValues.has(from) && this.b.shape(applied.value).length === this.b.shape(from).length) this.convValues.add(applied.value);
    return applied;
  }

  /** The (batch, steps, features) value a recurrent or attention layer reads from `x`. */
  sequenceInput(layer: Layer, x: string): string {
    let value = x;
    if (this.convValues.has(x)) {
      // Keras convolutions are channels last, so their (batch, steps, channels) output is the probe's channels-first value transposed.
      if (this.model.framework === 'pytorch') throw layerError(layer, 'it receives a channels-first convolution output; the probe needs a (batch, steps, features) input');
      value = this.b.transpose(x, [0, 2, 1]);
    }
    const shape = this.b.shape(value);
    if (shape.length !== 3) throw layerError(layer, `it expects a (batch, steps, features) input but receives [${shape.join(', ')}]`);
    if (layer.in !== null && layer.in !== shape[2]) throw layerError(layer, `it expects ${layer.in} input features but receives ${shape[2]}`);
    return value;
  }

  /** Applies a layer to the values it is called with (most layers read only the first). */
  applyLayer(layer: Layer, inputs: string[]): Applied {
    const x = inputs[0]!;
    if (this.tokens?.input === x && layer.kind !== 'embedding') throw layerError(layer, 'it reads the token ids directly; the probe feeds token ids only to embeddings');
    return this.propagateLayout(x, this.applyLayerKind(layer, x, inputs));
  }

  private applyLayerKind(layer: Layer, x: string, inputs: string[]): Applied {
    const repeat = layer.repeat ?? 1;
    if (repeat !== 1) throw layerError(layer, `it is repeated ${repeat === null ? 'an unknown number of' : repeat} times; the probe needs each repetition declared`);
    if (layer.tiedWeight !== undefined) throw layerError(layer, `its weight is the weight of '${layer.tiedWeight}' (tied), which the probe does not share yet`);
    // TimeDistributed over a layer that reads only the last axis is that layer; recurrent.ts reads Bidirectional.
    const wrapper = layer.wrapper?.kind;
    if (wrapper === 'time_distributed' ? !POINTWISE_KINDS.has(layer.kind) : wrapper === 'bidirectional' && !RECURRENT_KINDS.has(layer.kind)) {
      throw layerError(layer, `${layer.wrapper!.ctor} around '${layer.kind}' layers is not supported by the probe yet`);
    }
    switch (layer.kind) {
      case 'embedding':
        return this.embedding(layer, x);
      case 'rnn':
      case 'lstm':
      case 'gru':
        return recurrent(this, layer, inputs);
      case 'attention':
        return attention(this, layer, inputs);
      case 'linear':
        return this.linear(layer, x);
      case 'conv1d':
        return this.conv(layer, x, 1);
      case 'conv2d':
        return this.conv(layer, x, 2);
      case 'activation':
        if (!layer.activation) throw layerError(layer, 'its activation function is unknown');
        return this.activation(layer.activation, x, layer, describe(layer));
      case 'dropout':
        // Dropout is the identity at the probe: it rescales in training but leaves the expected signal unchanged.
        return { value: x };
      case 'batchnorm':
      case 'layernorm':
        return this.norm(layer, x);
      case 'flatten':
        return { value: this.b.one('Flatten', [x], { axis: 1 }) };
      case 'pooling':
        return this.pooling(layer, x);
      default:
        throw layerError(layer, `${layer.kind === 'unknown' ? 'this layer type' : `'${layer.kind}' layers`} cannot be probed yet`);
    }
  }
}

/** The flow to follow: the model's own when known, else its layers one after another. */
function flowOf(model: Model): FlowNode[] {
  if (model.flowKnown && model.flow.length > 0) return model.flow;
  const nodes: FlowNode[] = [{ id: 0, op: 'input', inputs: [], span: model.span }];
  model.layers.forEach((layer, i) => nodes.push({ id: i + 1, op: 'layer', layer: layer.index, inputs: [i], span: layer.span }));
  nodes.push({ id: nodes.length, op: 'output', inputs: [nodes.length - 1], span: model.span });
  return nodes;
}

/** What the probe feeds: features (or channels-first images), a (steps, features) sequence, or token ids. */
interface InputPlan {
  shape: number[];
  kind: 'features' | 'image' | 'sequence' | 'tokens';
  /** The sequence length is the probe's default, as neither the IR nor the caller gives one. */
  defaultLength: boolean;
  notes: string[];
}

const SEQUENCE_KINDS: ReadonlySet<Layer['kind']> = new Set(['rnn', 'lstm', 'gru', 'attention']);
const RECURRENT_KINDS: ReadonlySet<Layer['kind']> = new Set(['rnn', 'lstm', 'gru']);
/** Layers that act on the last axis alone, the same at every step. */
const POINTWISE_KINDS: ReadonlySet<Layer['kind']> = new Set(['linear', 'activation', 'dropout']);

function knownShape(shape: (number | null)[] | null): number[] | null {
  return shape && shape.length > 0 && shape.every((d): d is number => typeof d === 'number' && d > 0) ? shape : null;
}

function requirePositiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value <= 0) throw new ProbeGraphError(`${what} must be a positive integer (got ${value})`);
}

/** Decides the per-sample input: its shape, channels first for convolutional models, and what kind of data it is. */
function planInput(model: Model, override?: number[], sequenceLength?: number): InputPlan {
  const first = model.layers.find((layer) => layer.kind !== 'dropout' && layer.kind !== 'activation');
  const tokens = first?.kind === 'embedding';
  const sequence = first !== undefined && SEQUENCE_KINDS.has(first.kind);
  if (override) {
    if (override.length === 0 || override.some((d) => !Number.isInteger(d) || d <= 0)) throw new ProbeGraphError(`invalid input size [${override.join(', ')}]`);
    if (sequence && override.length !== 2) throw layerError(first, `it needs a (steps, features) input per sample; got the input size [${override.join(', ')}]`);
    return { shape: override, kind: tokens ? 'tokens' : sequence ? 'sequence' : override.length >= 2 ? 'image' : 'features', defaultLength: false, notes: [] };
  }
  if (sequenceLength !== undefined) requirePositiveInteger(sequenceLength, 'the sequence length');
  const defaultLength = `${DEFAULT_SEQUENCE_LENGTH} steps, the probe's default sequence length (the model does not fix one; pass --input-size to choose)`;
  const declared = model.inputShape;
  if (tokens) {
    // PyTorch's IR gives an embedding-first model the vocabulary as its input size, which is no sequence length.
    const length = model.framework === 'pytorch' ? null : knownShape(declared);
    if (sequenceLength !== undefined || !length) {
      const defaulted = sequenceLength === undefined;
      return { shape: [sequenceLength ?? DEFAULT_SEQUENCE_LENGTH], kind: 'tokens', defaultLength: defaulted, notes: defaulted ? [`Token sequences have ${defaultLength}.`] : [] };
    }
    return { shape: length, kind: 'tokens', defaultLength: false, notes: [] };
  }
  if (sequence) {
    if (declared && declared.length !== 2 && knownShape(declared)) {
      throw layerError(first, `it needs a (steps, features) input per sample but the model declares [${declared.join(', ')}]; pass --input-size T,F`);
    }
    const declaredSteps = declared?.length === 2 ? declared[0] : null;
    const steps = sequenceLength ?? (typeof declaredSteps === 'number' && declaredSteps > 0 ? declaredSteps : null);
    const declaredFeatures = declared?.length === 2 ? declared[1] : null;
    const features = typeof declaredFeatures === 'number' && declaredFeatures > 0 ? declaredFeatures : first.in;
    if (features === null) throw new ProbeGraphError(`input size unknown for model '${model.name}': pass --input-size T,F (steps, features)`);
    return { shape: [steps ?? DEFAULT_SEQUENCE_LENGTH, features], kind: 'sequence', defaultLength: steps === null, notes: steps === null ? [`Input sequences have ${defaultLength}.`] : [] };
  }
  const hasConv = model.layers.some((layer) => layer.kind === 'conv1d' || layer.kind === 'conv2d');
  const known = knownShape(declared);
  if (known) {
    // Keras and TF.js write images channels last; the probe computes channels first (the statistics do not depend on layout).
    if (hasConv && model.framework !== 'pytorch' && known.length >= 2) return { shape: [known[known.length - 1]!, ...known.slice(0, -1)], kind: 'image', defaultLength: false, notes: [] };
    // Without convolutions a rank-2 sample keeps its features last, as dense layers read it.
    return { shape: known, kind: hasConv && known.length >= 2 ? 'image' : 'features', defaultLength: false, notes: [] };
  }
  if (first?.kind === 'linear' && first.in !== null) return { shape: [first.in], kind: 'features', defaultLength: false, notes: [] };
  const what = hasConv ? 'C,H,W (or C,L)' : 'N';
  throw new ProbeGraphError(`input size unknown for model '${model.name}': pass --input-size ${what}`);
}

/** Resolves the per-sample input shape, channels first for convolutional models. */
export function resolveInputShape(model: Model, override?: number[], sequenceLength?: number): number[] {
  return planInput(model, override, sequenceLength).shape;
}

function lossKindOf(loss: LossInfo): LossKind | null {
  switch (loss.kind) {
    case 'cross_entropy':
    case 'sparse_categorical_crossentropy':
    case 'categorical_crossentropy':
      return loss.kind === 'cross_entropy' || loss.fromLogits === true ? 'cross_entropy' : 'probabilities_ce';
    case 'nll':
      return 'nll';
    case 'bce':
    case 'binary_crossentropy':
      return loss.fromLogits === true ? 'bce_with_logits' : 'bce';
    case 'bce_with_logits':
      return 'bce_with_logits';
    case 'mse':
      return 'mse';
    default:
      return null;
  }
}

function buildLoss(pb: ProbeBuilder, output: Applied, lossInfo: LossInfo | null | undefined) {
  const b = pb.b;
  let kind: LossKind = 'mse';
  let source: 'model' | 'default' = 'default';
  let note: string | undefined;
  if (lossInfo) {
    const known = lossKindOf(lossInfo);
    if (known) {
      kind = known;
      source = 'model';
    } else {
      note = `loss ${lossInfo.ctor} is not modelled by the probe; used MSE against random targets`;
    }
  }
  let logits = output.value;
  const shape = b.shape(logits);
  // Probabilities fed to a log-loss: take the log through the softmax/sigmoid analytically, as stable training code does.
  if (kind === 'probabilities_ce' && output.activation?.fn === 'softmax') {
    kind = 'cross_entropy';
    logits = output.activation.input;
  } else if (kind === 'bce' && output.activation?.fn === 'sigmoid') {
    kind = 'bce_with_logits';
    logits = output.activation.input;
  }
  const categorical = kind === 'cross_entropy' || kind === 'nll' || kind === 'probabilities_ce';
  if (categorical && shape.length !== 2) {
    throw new ProbeGraphError(`the ${kind === 'nll' ? 'NLL' : 'cross-entropy'} loss needs (batch, classes) outputs but the model gives [${shape.join(', ')}]`);
  }
  const targetKind = categorical ? 'one_hot' : kind === 'mse' ? 'normal' : 'binary';
  const target = b.input('target', shape);
  const batch = shape[0]!;
  let loss: string;
  switch (kind) {
    case 'cross_entropy':
    case 'nll':
    case 'probabilities_ce': {
      const logs = kind === 'cross_entropy' ? b.one('LogSoftmax', [logits], { axis: 1 }) : kind === 'nll' ? logits : b.one('Log', [logits]);
      loss = b.scale(b.reduce('ReduceSum', b.mul(target, logs), [0, 1], false), -1 / batch);
      break;
    }
    case 'bce_with_logits':
      // mean(softplus(z) − t·z) is −[t·log σ(z) + (1−t)·log(1−σ(z))].
      loss = b.reduce('ReduceMean', b.sub(b.one('Softplus', [logits]), b.mul(target, logits)), shape.map((_, i) => i), false);
      break;
    case 'bce': {
      const positive = b.mul(target, b.one('Log', [logits]));
      const negative = b.mul(b.sub(b.constant(1), target), b.one('Log', [b.sub(b.constant(1), logits)]));
      loss = b.scale(b.reduce('ReduceMean', b.add(positive, negative), shape.map((_, i) => i), false), -1);
      break;
    }
    case 'mse': {
      const difference = b.sub(logits, target);
      loss = b.reduce('ReduceMean', b.mul(difference, difference), shape.map((_, i) => i), false);
      break;
    }
  }
  return { loss, target: { name: target, shape, kind: targetKind as 'normal' | 'one_hot' | 'binary' }, info: { kind, source, ...(note ? { note } : {}) } };
}

/** ‖x‖ over every element, as a scalar. */
function normOf(b: GraphBuilder, x: string): string {
  return b.one('Sqrt', [b.reduceAll('ReduceSumSquare', x)]);
}

/** The norm of several tensors taken together (all the weight matrices of a recurrent layer); 0 for none. */
function jointNorm(b: GraphBuilder, tensors: string[]): string {
  if (tensors.length === 0) return b.constant(0);
  if (tensors.length === 1) return normOf(b, tensors[0]!);
  return b.one('Sqrt', [tensors.map((x) => b.reduceAll('ReduceSumSquare', x)).reduce((sum, part) => b.add(sum, part))]);
}

/** Population standard deviation over every element, centred first (sigmoid outputs have mean ≫ std). */
function stdOf(b: GraphBuilder, x: string): string {
  const mean = b.one('ReduceMean', [x], { keepdims: 1 });
  const count = b.shape(x).reduce((p, d) => p * d, 1);
  return b.one('Sqrt', [b.scale(b.reduceAll('ReduceSumSquare', b.sub(x, mean)), 1 / count)]);
}

const RELU_LIKE: ReadonlySet<ActivationFn> = new Set(['relu', 'relu6', 'leaky_relu']);

/** The layer's statistics as scalars in STAT_NAMES order; fractions of inactive units are 1 − these on the host. */
function layerStats(pb: ProbeBuilder, record: LayerRecord, gradients: Map<string, string>): string[] {
  const b = pb.b;
  const zero = b.constant(0);
  const gradNorm = (names: string[]) => jointNorm(b, names.flatMap((name) => gradients.get(name) ?? []));
  const fn = record.probed.activation;
  let activeFraction = zero;
  let aliveUnitFraction = zero;
  let saturated = zero;
  if (fn && RELU_LIKE.has(fn)) {
    const active = b.greaterMask(record.preActivation, zero);
    activeFraction = b.reduceAll('ReduceMean', active);
    // A unit is alive when it is active for at least one sample of the batch (at any position).
    aliveUnitFraction = b.reduceAll('ReduceMean', b.reduce('ReduceMax', active, record.unitAxes, false));
  } else if (fn === 'sigmoid' || fn === 'tanh') {
    const center = fn === 'sigmoid' ? 0.5 : 0;
    const limit = fn === 'sigmoid' ? 0.49 : 0.99;
    const distance = b.one('Abs', [b.sub(record.activationValue, b.constant(center))]);
    saturated = b.reduceAll('ReduceMean', b.greaterMask(distance, b.constant(limit)));
  }
  const stats: Record<StatName, string> = {
    weightNorm: jointNorm(b, record.weights),
    gradNorm: gradNorm(record.weights),
    biasGradNorm: gradNorm(record.biases),
    actMean: b.reduceAll('ReduceMean', record.activationValue),
    actStd: stdOf(b, record.activationValue),
    preActStd: stdOf(b, record.preActivation),
    activeFraction,
    aliveUnitFraction,
    saturatedFraction: saturated,
    gradOutNorm: gradNorm([record.output ?? record.activationValue]),
  };
  return STAT_NAMES.map((name) => stats[name]);
}

/** The scalars after every layer's statistics for a layer: each labelled tensor's norm and gradient norm, then each step's ‖∂L/∂h_t‖. */
function detailStats(pb: ProbeBuilder, record: LayerRecord, gradients: Map<string, string>): string[] {
  const b = pb.b;
  const gradNorm = (name: string) => jointNorm(b, gradients.has(name) ? [gradients.get(name)!] : []);
  const tensors = (record.probed.tensors ?? []).flatMap(({ label }) => {
    const name = pb.parameters.find((p) => p.layer === record.probed.index && p.label === label)!.name;
    return [normOf(b, name), gradNorm(name)];
  });
  return [...tensors, ...(record.steps ?? []).map(gradNorm)];
}

/**
 * Attaches a standalone activation (a flow node or an activation layer) to the weight layer whose block
 * it ends (conv → batchnorm → relu): its input becomes the layer's pre-activation, its output the activation.
 */
function attachActivation(record: LayerRecord | undefined, applied: Applied, fn: ActivationFn): void {
  if (!record || record.probed.activation !== null || !applied.activation) return;
  if (record.blockValue !== applied.activation.input) return;
  record.probed.activation = fn;
  delete record.output;
  record.preActivation = applied.activation.input;
  record.activationValue = applied.value;
  record.blockValue = applied.value;
}

/** Norm layers and dropout between a weight layer and its activation extend the layer's block. */
function extendBlock(record: LayerRecord | null, layer: Layer, input: string, output: string): void {
  if (record && record.probed.activation === null && record.blockValue === input && (NORM_LAYER_KINDS.has(layer.kind) || layer.kind === 'dropout')) {
    record.blockValue = output;
  }
}

/**
 * `nn.ModuleList([nn.Linear(d, d) for _ in range(n)])` is one declared Layer with `repeat = n`, applied n times in
 * the flow. Each repetition has weights of its own, so each application becomes its own layer here.
 */
export function unrollRepeats(model: Model): Model {
  if (!model.flowKnown || model.layers.every((layer) => (layer.repeat ?? 1) === 1)) return model;
  const layers: Layer[] = model.layers.map((layer) => ({ ...layer }));
  const seen = new Map<number, number>();
  const flow = model.flow.map((node) => {
    if (node.op !== 'layer' || node.layer === undefined) return node;
    const original = model.layers[node.layer]!;
    if ((original.repeat ?? 1) === 1) return node;
    const occurrence = seen.get(node.layer) ?? 0;
    seen.set(node.layer, occurrence + 1);
    if (occurrence === 0) {
      layers[node.layer] = { ...layers[node.layer]!, repeat: 1 };
      return node;
    }
    const clone: Layer = { ...original, index: layers.length, repeat: 1, ...(original.name ? { name: `${original.name}#${occurrence}` } : {}) };
    layers.push(clone);
    return { ...node, layer: clone.index };
  });
  // A repeat the flow did not unroll (an unknown count) stays, and is refused with its own message.
  for (const [index, count] of seen) if (count !== model.layers[index]!.repeat) layers[index] = { ...layers[index]!, repeat: model.layers[index]!.repeat ?? null };
  return { ...model, layers, flow };
}

/** Builds the forward pass along the model's flow from the input `x`; returns the model output, if the flow reaches one. */
function forward(pb: ProbeBuilder, model: Model, x: string): Applied | null {
  const b = pb.b;
  const values = new Map<number, Applied>();
  let output: Applied | null = null;
  const flow = flowOf(model);
  const sources = new Map(flow.map((node) => [node.id, node]));
  for (const node of flow) {
    const inputs = node.inputs.map((id) => {
      const value = values.get(id);
      if (!value) throw new ProbeGraphError(`internal: flow node ${node.id} reads node ${id} before it is computed`);
      return value;
    });
    const first = inputs[0];
    let applied: Applied;
    switch (node.op) {
      case 'input':
        applied = { value: x };
        break;
      case 'layer': {
        const layer = model.layers.find((candidate) => candidate.index === node.layer);
        if (!layer || !first) throw new ProbeGraphError(`internal: flow node ${node.id} has no layer or input`);
        const before = pb.lastRecord;
        applied = pb.applyLayer(layer, inputs.map((item) => item.value));
        if (layer.kind === 'activation' && layer.activation) attachActivation(before ?? undefined, applied, layer.activation);
        extendBlock(before, layer, first.value, applied.value);
        break;
      }
      case 'activation':
        if (!first || !node.activation) throw new ProbeGraphError(`internal: activation node ${node.id} is incomplete`);
        applied = pb.propagateLayout(first.value, pb.activation(node.activation, first.value, null, `the ${node.activation} call`));
        attachActivation(pb.lastRecord ?? undefined, applied, node.activation);
        break;
      case 'dropout':
        applied = { value: first!.value };
        break;
      case 'add':
      case 'mul': {
        if (inputs.length < 2) throw new ProbeGraphError(`internal: ${node.op} node ${node.id} has fewer than two inputs`);
        const op = node.op === 'add' ? 'Add' : 'Mul';
        const value = inputs.slice(1).reduce((acc, item) => b.one(op, [acc, item.value]), first!.value);
        if (inputs.every((item) => pb.convValues.has(item.value))) pb.convValues.add(value);
        applied = { value };
        break;
      }
      case 'concat': {
        const value = b.one('Concat', inputs.map((item) => item.value), { axis: pb.convValues.has(first!.value) ? 1 : -1 });
        if (pb.convValues.has(first!.value)) pb.convValues.add(value);
        applied = { value };
        break;
      }
      case 'flatten':
        applied = { value: b.one('Flatten', [first!.value], { axis: 1 }) };
        break;
      case 'opaque': {
        const source = node.select && sources.get(node.inputs[0]!);
        const layer = source?.op === 'layer' ? model.layers.find((candidate) => candidate.index === source.layer) : undefined;
        if (!node.select || !first || !layer || model.framework !== 'pytorch' || !['rnn', 'lstm', 'gru'].includes(layer.kind)) {
          throw new ProbeGraphError(`cannot probe model '${model.name}': the forward pass uses ${node.label ?? 'an operation'} the probe cannot build yet`);
        }
        applied = { value: selectStep(pb, layer, first.value, node.select) };
        break;
      }
      case 'output':
        applied = first!;
        output = first!;
        break;
    }
    values.set(node.id, applied);
  }
  return output;
}

/** Builds the probe's ONNX graph for `model`. Throws ProbeGraphError naming the first layer it cannot build. */
export function buildProbeGraph(declared: Model, options: BuildOptions = {}): ProbeGraph {
  const model = unrollRepeats(declared);
  const dtype = options.dtype ?? 'float32';
  const batch = options.batch ?? 64;
  if (!Number.isInteger(batch) || batch < 2) throw new ProbeGraphError(`batch size must be an integer of at least 2 (got ${batch})`);
  const plan = planInput(model, options.inputShape, options.sequenceLength);
  const inputShape = plan.shape;
  const pb = new ProbeBuilder(model, dtype);
  const b = pb.b;
  pb.notes.push(...plan.notes);
  if (plan.kind === 'image' && !options.inputShape && model.framework !== 'pytorch' && (model.inputShape?.length ?? 0) >= 2 && inputShape.join() !== model.inputShape!.join()) {
    pb.notes.push(`The channels-last input [${model.inputShape!.join(', ')}] is probed channels-first as [${inputShape.join(', ')}]; the statistics do not depend on the layout.`);
  }
  const x = b.input('x', [batch, ...inputShape]);
  if (plan.kind === 'image') pb.convValues.add(x);
  if (plan.kind === 'tokens') pb.tokens = { input: x, vocabulary: null, excluded: null };
  let output: Applied | null;
  try {
    output = forward(pb, model, x);
  } catch (error) {
    // A shape that does not fit may come from the default length the probe chose, not from the model.
    if (error instanceof ProbeGraphError && plan.defaultLength) {
      throw new ProbeGraphError(`${error.message} (with sequences of ${DEFAULT_SEQUENCE_LENGTH} steps, the probe's default; pass --input-size to choose the length)`, error.span);
    }
    throw error;
  }
  if (!output) throw new ProbeGraphError(`cannot probe model '${model.name}': its forward pass has no output`);
  if (pb.records.length === 0) throw new ProbeGraphError(`cannot probe model '${model.name}': it has no layer with weights`);
  const tokens = pb.tokens;
  if (tokens && tokens.vocabulary === null) throw new ProbeGraphError(`cannot probe model '${model.name}': its token ids reach no embedding`);
  const { loss, target, info } = buildLoss(pb, output, options.loss);
  const parameterNames = pb.parameters.map((p) => p.name);
  const gradients = backward(b, loss, parameterNames);
  b.recording = false;
  const stats = pb.records.flatMap((record) => layerStats(pb, record, gradients));
  stats.push(...pb.records.flatMap((record) => detailStats(pb, record, gradients)));
  stats.push(loss);
  const statsTensor = b.stackScalars(stats);
  const outputs = [statsTensor];
  if (options.exposeGradients) {
    for (const name of parameterNames) {
      const grad = gradients.get(name);
      if (grad) outputs.push(b.one('Identity', [grad]));
    }
    outputs.push(b.one('Identity', [output.value]));
  }
  outputs.forEach((name) => b.output(name));
  const bytesPer = BYTES[dtype];
  const total = b.peakElements() * bytesPer;
  const byLayer = new Map<number, number>();
  for (const parameter of pb.parameters) byLayer.set(parameter.layer, (byLayer.get(parameter.layer) ?? 0) + product(parameter.shape) * bytesPer);
  for (const record of pb.records) {
    const bytes = byLayer.get(record.probed.index);
    if (bytes !== undefined) byLayer.set(record.probed.index, bytes + (product(b.shape(record.preActivation)) + product(b.shape(record.activationValue))) * bytesPer);
  }
  const biggest = [...byLayer].reduce<{ index: number; bytes: number } | null>((best, [index, bytes]) => (!best || bytes > best.bytes ? { index, bytes } : best), null);
  const input: DataSpec = tokens
    ? { name: 'x', shape: [batch, ...inputShape], kind: 'tokens', tokens: { vocabulary: tokens.vocabulary!, excluded: tokens.excluded } }
    : { name: 'x', shape: [batch, ...inputShape], kind: 'normal' };
  if (tokens) {
    const without = tokens.excluded === null ? '' : model.framework === 'pytorch' ? ` except the padding index ${tokens.excluded}, so no position is padded` : ' except the mask id 0, so no position is masked';
    pb.notes.push(`The input is random token ids, uniform over the vocabulary of ${tokens.vocabulary}${without}.`);
  }
  return {
    bytes: encodeModel(b.graph(`probe_${model.name}`)),
    dtype,
    batch,
    inputShape,
    parameters: pb.parameters,
    data: [input, target],
    layers: pb.records.map((record) => record.probed),
    loss: info,
    outputs,
    memory: { bytes: total, biggestLayer: biggest },
    notes: pb.notes,
  };
}
