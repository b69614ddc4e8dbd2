// Multi-head self-attention declared as one layer (PyTorch nn.MultiheadAttention, Keras MultiHeadAttention):
// query, key and value projections, scaled dot products with a softmax over the keys, and the output projection.
import { initializerDist } from '../ir/keras-layers';
import type { InitDist, Layer } from '../ir/types';
import type { Applied, ProbeBuilder } from './build';
import { argument, countArg, describe, flagArg, layerError } from './layer-args';

/** A projection's weight (stored [in, out]) and bias, with the fans and orthogonal view its framework uses. */
interface Projection {
  label: string;
  biasLabel: string;
  shape: [number, number];
  fans: [number, number];
  matrix: [number, number];
  dist: { dist: InitDist; defaulted: boolean };
}

interface AttentionPlan {
  heads: number;
  keyDim: number;
  valueDim: number;
  bias: boolean;
  /** PyTorch packs the three input projections into one tensor; Keras keeps three. */
  projections: Projection[];
  output: Projection;
  biasDist: { dist: InitDist; defaulted: boolean };
}

const ZERO: InitDist = { family: 'constant', value: 0 };

function torchPlan(pb: ProbeBuilder, layer: Layer, embed: number): AttentionPlan {
  const declared = countArg(layer, ['embed_dim'], 0, embed, 'embedding size');
  if (declared !== embed) throw layerError(layer, `it expects ${declared} input features but receives ${embed}`);
  const heads = countArg(layer, ['num_heads'], 1, null, 'number of heads');
  if (embed % heads !== 0) throw layerError(layer, `its embedding size ${embed} is not divisible by its ${heads} heads`);
  if (flagArg(layer, ['add_bias_kv'], 4, false, 'add_bias_kv') || flagArg(layer, ['add_zero_attn'], 5, false, 'add_zero_attn')) {
    throw layerError(layer, 'add_bias_kv and add_zero_attn are not supported by the probe yet');
  }
  for (const [name, position] of [['kdim', 6], ['vdim', 7]] as const) {
    const value = argument(layer, [name], position);
    if (value !== undefined && value !== null && value !== embed) throw layerError(layer, `its ${name} differs from embed_dim, which self-attention cannot use`);
  }
  const head = embed / heads;
  // in_proj_weight is one (3E, E) tensor under xavier_uniform_, so its fans are E and 3E; out_proj is an nn.Linear
  // with the Linear default, kaiming_uniform_(a=√5); _reset_parameters zeroes both biases.
  const packed: Projection = {
    label: 'in_proj_weight',
    biasLabel: 'in_proj_bias',
    shape: [embed, 3 * embed],
    fans: [embed, 3 * embed],
    matrix: [embed, 3 * embed],
    dist: pb.weightDist(layer, { family: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' }),
  };
  const output: Projection = {
    label: 'out_proj.weight',
    biasLabel: 'out_proj.bias',
    shape: [embed, embed],
    fans: [embed, embed],
    matrix: [embed, embed],
    dist: { dist: { family: 'variance_scaling', scale: 1 / 3, mode: 'fan_in', distribution: 'uniform' }, defaulted: true },
  };
  const biasDist = layer.biasInit && layer.biasInit.dist.family !== 'unknown' ? { dist: layer.biasInit.dist, defaulted: false } : { dist: ZERO, defaulted: true };
  return { heads, keyDim: head, valueDim: head, bias: pb.hasBias(layer), projections: [packed], output, biasDist };
}

/** A Keras initializer argument, by keyword only (newer Keras inserts flash_attention before them), else `fallback`. */
function kerasInit(pb: ProbeBuilder, layer: Layer, names: string[], fallback: InitDist): { dist: InitDist; defaulted: boolean } {
  const value = argument(layer, names, null);
  if (value === undefined) return { dist: fallback, defaulted: true };
  const dist = typeof value === 'string' ? initializerDist(value, {}, pb.model.framework === 'keras' ? 'keras' : 'tfjs') : null;
  if (dist && dist.family !== 'unknown') return { dist, defaulted: false };
  pb.note(`${describe(layer)}: initializer ${typeof value === 'string' ? `'${value}'` : 'as written'} is not known exactly; sampled the Keras default instead.`);
  return { dist: fallback, defaulted: true };
}

function kerasPlan(pb: ProbeBuilder, layer: Layer, embed: number): AttentionPlan {
  const heads = countArg(layer, ['num_heads', 'numHeads'], 0, null, 'number of heads');
  const keyDim = countArg(layer, ['key_dim', 'keyDim'], 1, null, 'key size');
  const valueDim = countArg(layer, ['value_dim', 'valueDim'], 2, keyDim, 'value size');
  const outputShape = argument(layer, ['output_shape', 'outputShape'], 5);
  if (outputShape !== undefined && outputShape !== null && typeof outputShape !== 'number') throw layerError(layer, 'only a whole-number output_shape is supported by the probe yet');
  const out = typeof outputShape === 'number' ? outputShape : embed;
  const axes = argument(layer, ['attention_axes', 'attentionAxes'], 6);
  if (axes !== undefined && axes !== null) throw layerError(layer, 'attention_axes is not supported by the probe yet');
  const kernel = kerasInit(pb, layer, ['kernel_initializer', 'kernelInitializer'], { family: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' });
  // Keras keeps the kernels as (E, heads, size) and (heads, size, out) tensors; its fans of a rank-3 kernel take the
  // leading axis as a receptive field: (heads·E, size·E) and (size·heads, out·heads). The row-major data is the same.
  const input = (name: string, size: number): Projection => ({
    label: `${name}/kernel`,
    biasLabel: `${name}/bias`,
    shape: [embed, heads * size],
    fans: [heads * embed, size * embed],
    matrix: [embed * heads, size],
    dist: kernel,
  });
  return {
    heads,
    keyDim,
    valueDim,
    bias: flagArg(layer, ['use_bias', 'useBias'], 4, true, 'use_bias'),
    projections: [input('query', keyDim), input('key', keyDim), input('value', valueDim)],
    output: { label: 'attention_output/kernel', biasLabel: 'attention_output/bias', shape: [heads * valueDim, out], fans: [valueDim * heads, out * heads], matrix: [heads * valueDim, out], dist: kernel },
    biasDist: kerasInit(pb, layer, ['bias_initializer', 'biasInitializer'], ZERO),
  };
}

/** Builds self-attention over `inputs[0]` [batch, positions, features]; distinct query and key/value inputs are refused. */
export function attention(pb: ProbeBuilder, layer: Layer, inputs: string[]): Applied {
  const b = pb.b;
  const className = layer.ctor.split('.').pop();
  if (className !== 'MultiheadAttention' && className !== 'MultiHeadAttention') {
    throw layerError(layer, `${layer.ctor} is not supported by the probe yet (nn.MultiheadAttention and Keras MultiHeadAttention are)`);
  }
  if (new Set(inputs).size > 1) throw layerError(layer, 'only self-attention (query, key and value the same tensor) is supported by the probe yet');
  const x = pb.sequenceInput(layer, inputs[0]!);
  const [batch, positions, embed] = b.shape(x) as [number, number, number];
  const pytorch = pb.model.framework === 'pytorch';
  const plan = pytorch ? torchPlan(pb, layer, embed) : kerasPlan(pb, layer, embed);
  const weights: string[] = [];
  const biases: string[] = [];
  const project = (value: string, p: Projection): string => {
    const weight = pb.parameter({ layer: layer.index, label: p.label, role: 'weight', shape: p.shape, ...p.dist, fanIn: p.fans[0], fanOut: p.fans[1], matrix: p.matrix });
    weights.push(weight);
    const projected = b.one('MatMul', [value, weight]);
    if (!plan.bias) return projected;
    const width = p.shape[1];
    const bias = pb.parameter({ layer: layer.index, label: p.biasLabel, role: 'bias', shape: [width], ...plan.biasDist, fanIn: p.fans[0], fanOut: width, matrix: [1, width] });
    biases.push(bias);
    return b.add(projected, bias);
  };
  const { heads, keyDim, valueDim } = plan;
  const [query, key, value] =
    plan.projections.length === 1
      ? b.op('Split', [project(x, plan.projections[0]!), b.int64([embed, embed, embed])], { axis: -1 }, 3)
      : plan.projections.map((p) => project(x, p));
  const perHead = (v: string, size: number, perm: number[]) => b.transpose(b.reshape(v, [batch, positions, heads, size]), perm);
  // Queries [B, h, T, d] against keys laid out [B, h, d, T]: one batched product gives every score.
  const scores = b.one('MatMul', [b.scale(perHead(query!, keyDim, [0, 2, 1, 3]), 1 / Math.sqrt(keyDim)), perHead(key!, keyDim, [0, 2, 3, 1])]);
  const weightsOverKeys = b.one('Softmax', [scores], { axis: -1 });
  const mixed = b.one('MatMul', [weightsOverKeys, perHead(value!, valueDim, [0, 2, 1, 3])]);
  const merged = b.reshape(b.transpose(mixed, [0, 2, 1, 3]), [batch, positions, heads * valueDim]);
  const output = project(merged, plan.output);
  pb.record(layer, { weights, biases, preActivation: output, activationValue: output, activation: null, unitAxes: [0, 1] });
  const batchFirst = !pytorch || flagArg(layer, ['batch_first'], 8, false, 'batch_first');
  const dropout = argument(layer, ['dropout'], pytorch ? 2 : 3);
  pb.note(
    `${describe(layer)}: self-attention over ${positions} positions without a mask, ${heads} heads of size ${keyDim}` +
      `${typeof dropout === 'number' && dropout > 0 ? '; its dropout is the identity in the probe' : ''}` +
      `${batchFirst ? '' : '; its batch_first=False input is probed batch first (the statistics do not depend on the layout)'}.`,
  );
  return { value: output };
}
