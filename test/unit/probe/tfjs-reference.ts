// The same chain models computed by @tensorflow/tfjs (pure JS CPU backend) with tfjs's own autodiff:
// an independent reference for the probe's gradients. TF.js and Keras recurrent layers run tfjs-layers'
// own cells with the probe's weights; PyTorch's recurrent layers, Keras's reset-after GRU and attention
// are written here from the frameworks' documented equations.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ConstValue, Layer, Model } from '../../../src/core/ir/types';
import type { LossKind } from '../../../src/core/probe/build';

export async function cpuBackend(): Promise<void> {
  // Marks the run as a test so the CPU backend does not print its "install tfjs-node" banner.
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
}

type Tensor = tf.Tensor;

/** `fused`: a Keras activation string on a dense layer (leaky_relu slope 0.2) rather than an activation layer. */
function activate(fn: string, x: Tensor, framework: Model['framework'], fused: boolean): Tensor {
  switch (fn) {
    case 'relu':
      return tf.relu(x);
    case 'leaky_relu':
      return tf.leakyRelu(x, framework === 'pytorch' ? 0.01 : fused ? 0.2 : 0.3);
    case 'elu':
      return tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'softplus':
      return tf.softplus(x);
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    default:
      throw new Error(`reference has no ${fn}`);
  }
}

/** An argument by keyword, else by position among the positional ones. */
function option(layer: Layer, names: string[], position: number | null): ConstValue | undefined {
  const keyword = layer.args.find((arg) => arg.name !== undefined && names.includes(arg.name));
  if (keyword) return keyword.value;
  return position === null ? undefined : layer.args.filter((arg) => arg.name === undefined)[position]?.value;
}

type Parameters = Record<string, tf.Variable>;

/** x·W over the last axis; leading axes are folded into rows because tfjs's gradient of a broadcast batched matMul has the wrong shape. */
function dense(x: Tensor, w: Tensor): Tensor {
  if (x.rank === 2) return tf.matMul(x, w);
  return tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]!]), w), [...x.shape.slice(0, -1), w.shape[1]!]);
}

/** The step-t slice [batch, features] of a [batch, steps, features] tensor. */
function at(x: Tensor, t: number): Tensor {
  const [batch, , features] = x.shape as [number, number, number];
  return tf.reshape(tf.slice(x, [0, t, 0], [batch, 1, features]), [batch, features]);
}

/** PyTorch's RNN, LSTM and GRU as its documentation writes them, from zero states; levels and directions concatenated. */
function torchRecurrent(layer: Layer, x: Tensor, p: Parameters): Tensor {
  const levels = (option(layer, ['num_layers'], 2) as number | undefined) ?? 1;
  const directions = option(layer, ['bidirectional'], null) === true ? 2 : 1;
  const relu = option(layer, ['nonlinearity'], null) === 'relu';
  let input = x;
  for (let k = 0; k < levels; k++) {
    const outputs: Tensor[] = [];
    for (let d = 0; d < directions; d++) {
      const suffix = `_l${k}${d === 1 ? '_reverse' : ''}`;
      const tensor = (name: string) => p[`p${layer.index}.${name}${suffix}`];
      const [wih, whh, bih, bhh] = [tensor('weight_ih'), tensor('weight_hh'), tensor('bias_ih'), tensor('bias_hh')];
      const hidden = whh!.shape[0]!;
      const [batch, steps] = input.shape as [number, number, number];
      let h: Tensor = tf.zeros([batch, hidden]);
      let c: Tensor = tf.zeros([batch, hidden]);
      const states: Tensor[] = Array(steps);
      for (let i = 0; i < steps; i++) {
        const t = d === 1 ? steps - 1 - i : i;
        const gi = bih ? tf.add(tf.matMul(at(input, t), wih!), bih) : tf.matMul(at(input, t), wih!);
        const gh = bhh ? tf.add(tf.matMul(h, whh!), bhh) : tf.matMul(h, whh!);
        if (layer.kind === 'rnn') {
          h = relu ? tf.relu(tf.add(gi, gh)) : tf.tanh(tf.add(gi, gh));
        } else if (layer.kind === 'lstm') {
          const [i_, f, g, o] = tf.split(tf.add(gi, gh), 4, 1);
          c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i_!), tf.tanh(g!)));
          h = tf.mul(tf.sigmoid(o!), tf.tanh(c));
        } else {
          const [ir, iz, iN] = tf.split(gi, 3, 1);
          const [hr, hz, hN] = tf.split(gh, 3, 1);
          const r = tf.sigmoid(tf.add(ir!, hr!));
          const z = tf.sigmoid(tf.add(iz!, hz!));
          const n = tf.tanh(tf.add(iN!, tf.mul(r, hN!)));
          h = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
        }
        states[t] = h;
      }
      outputs.push(tf.stack(states, 1));
    }
    input = outputs.length === 1 ? outputs[0]! : tf.concat(outputs, -1);
  }
  return input;
}

/** Keras's GRU with reset_after=True: bias rows for the input and the recurrent product, gates (z, r, h). */
function kerasResetAfterGru(layer: Layer, x: Tensor, p: Parameters): Tensor {
  const kernel = p[`p${layer.index}.kernel`]!;
  const recurrent = p[`p${layer.index}.recurrent_kernel`]!;
  const [inputBias, recurrentBias] = tf.unstack(p[`p${layer.index}.bias`]!, 0);
  const [batch, steps] = x.shape as [number, number, number];
  let h: Tensor = tf.zeros([batch, recurrent.shape[0]!]);
  const states: Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    const [xz, xr, xh] = tf.split(tf.add(tf.matMul(at(x, t), kernel), inputBias!), 3, 1);
    const [rz, rr, rh] = tf.split(tf.add(tf.matMul(h, recurrent), recurrentBias!), 3, 1);
    const z = tf.sigmoid(tf.add(xz!, rz!));
    const r = tf.sigmoid(tf.add(xr!, rr!));
    const candidate = tf.tanh(tf.add(xh!, tf.mul(r, rh!)));
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
    states.push(h);
  }
  return option(layer, ['return_sequences'], null) === true ? tf.stack(states, 1) : h;
}

/** Multi-head self-attention from its definition: softmax(q·kᵀ/√d)·v per head, then the output projection. */
function selfAttention(layer: Layer, x: Tensor, p: Parameters, framework: Model['framework']): Tensor {
  const [batch, steps] = x.shape as [number, number, number];
  const tensor = (name: string) => p[`p${layer.index}.${name}`];
  let q: Tensor;
  let k: Tensor;
  let v: Tensor;
  let heads: number;
  if (framework === 'pytorch') {
    heads = option(layer, ['num_heads'], 1) as number;
    [q, k, v] = tf.split(tf.add(dense(x, tensor('in_proj_weight')!), tensor('in_proj_bias')!), 3, -1) as [Tensor, Tensor, Tensor];
  } else {
    heads = option(layer, ['num_heads'], 0) as number;
    [q, k, v] = ['query', 'key', 'value'].map((name) => tf.add(dense(x, tensor(`${name}/kernel`)!), tensor(`${name}/bias`)!)) as [Tensor, Tensor, Tensor];
  }
  const split = (t: Tensor) => tf.transpose(tf.reshape(t, [batch, steps, heads, t.shape[2]! / heads]), [0, 2, 1, 3]);
  const keySize = q.shape[2]! / heads;
  const weights = tf.softmax(tf.div(tf.matMul(split(q), split(k), false, true), Math.sqrt(keySize)));
  const mixed = tf.reshape(tf.transpose(tf.matMul(weights, split(v)), [0, 2, 1, 3]), [batch, steps, v.shape[2]!]);
  const [outWeight, outBias] = framework === 'pytorch' ? [tensor('out_proj.weight'), tensor('out_proj.bias')] : [tensor('attention_output/kernel'), tensor('attention_output/bias')];
  return tf.add(dense(mixed, outWeight!), outBias!);
}

/**
 * tfjs-layers' SimpleRNN/LSTM/GRU set to the probe's weights, for TF.js models and the Keras cells it shares
 * (Keras gates use sigmoid, TF.js its hard sigmoid); their variables become the named parameters.
 */
function tfjsRecurrent(layer: Layer, framework: Model['framework'], feeds: Record<string, { data: ArrayLike<number>; dims: number[] }>, p: Parameters): tfl.layers.Layer {
  const name = (label: string) => `p${layer.index}.${label}`;
  const kernel = feeds[name('kernel')]!;
  const units = feeds[name('recurrent_kernel')]!.dims[0]!;
  const options = {
    units,
    returnSequences: option(layer, ['return_sequences', 'returnSequences'], null) === true,
    activation: (layer.activation ?? 'tanh') as 'tanh',
    // The weights are set below; zeros avoid tfjs-layers' orthogonal initializer, which fails with this tfjs-core.
    kernelInitializer: 'zeros' as const,
    recurrentInitializer: 'zeros' as const,
    ...(framework === 'keras' && layer.kind !== 'rnn' ? { recurrentActivation: 'sigmoid' as const } : {}),
  };
  const rnn = layer.kind === 'lstm' ? tfl.layers.lstm(options) : layer.kind === 'gru' ? tfl.layers.gru(options) : tfl.layers.simpleRNN(options);
  // Applying the layer once builds it (build alone leaves it unmarked and it would build again).
  tf.dispose(rnn.apply(tf.zeros([1, 1, kernel.dims[0]!])) as Tensor);
  const labels = ['kernel', 'recurrent_kernel', 'bias'];
  rnn.setWeights(labels.map((label) => tf.tensor(Float32Array.from(feeds[name(label)]!.data), feeds[name(label)]!.dims)));
  rnn.trainableWeights.forEach((weight, i) => {
    p[name(labels[i]!)] = weight.read() as tf.Variable;
  });
  return rnn;
}

function normalize(x: Tensor, axes: number[], eps: number): Tensor {
  const { mean, variance } = tf.moments(x, axes, true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
}

/**
 * Gradients of the loss with respect to each named parameter, for a chain model of linear, activation,
 * dropout, layernorm, batchnorm, flatten, embedding, recurrent and self-attention layers, with weights
 * stored [in, out] as the probe feeds them.
 */
export function referenceGradients(
  model: Model,
  loss: LossKind,
  feeds: Record<string, { data: ArrayLike<number>; dims: number[] }>,
): { loss: number; gradients: Record<string, Float32Array> } {
  const names = Object.keys(feeds).filter((name) => name !== 'x' && name !== 'target');
  const parameters: Parameters = {};
  const cells = new Map<number, tfl.layers.Layer>();
  for (const layer of model.layers) {
    const recurrent = layer.kind === 'rnn' || layer.kind === 'lstm' || layer.kind === 'gru';
    const resetAfter = layer.kind === 'gru' && model.framework === 'keras' && option(layer, ['reset_after'], null) !== false;
    if (recurrent && model.framework !== 'pytorch' && !resetAfter) cells.set(layer.index, tfjsRecurrent(layer, model.framework, feeds, parameters));
  }
  const owned = names.filter((name) => !parameters[name]);
  for (const name of owned) parameters[name] = tf.variable(tf.tensor(Float32Array.from(feeds[name]!.data), feeds[name]!.dims));
  const tokens = model.layers[0]?.kind === 'embedding';
  const x = tokens ? tf.tensor(Int32Array.from(feeds.x!.data), feeds.x!.dims, 'int32') : tf.tensor(Float32Array.from(feeds.x!.data), feeds.x!.dims);
  const target = tf.tensor(Float32Array.from(feeds.target!.data), feeds.target!.dims);
  const eps = model.framework === 'pytorch' ? 1e-5 : 1e-3;
  const f = () => {
    let h: Tensor = x;
    for (const layer of model.layers) {
      if (layer.kind === 'linear') {
        h = dense(h, parameters[`W${layer.index}`]!);
        const bias = parameters[`b${layer.index}`];
        if (bias) h = tf.add(h, bias);
        if (layer.activation) h = activate(layer.activation, h, model.framework, true);
      } else if (layer.kind === 'activation') {
        h = activate(layer.activation!, h, model.framework, false);
      } else if (layer.kind === 'layernorm') {
        h = normalize(h, [h.rank - 1], eps);
      } else if (layer.kind === 'batchnorm') {
        h = normalize(h, [0], eps);
      } else if (layer.kind === 'embedding') {
        h = tf.gather(parameters[`W${layer.index}`]!, h);
      } else if (layer.kind === 'flatten') {
        h = tf.reshape(h, [h.shape[0]!, -1]);
      } else if (cells.has(layer.index)) {
        h = cells.get(layer.index)!.apply(h) as Tensor;
      } else if (layer.kind === 'rnn' || layer.kind === 'lstm' || layer.kind === 'gru') {
        h = model.framework === 'pytorch' ? torchRecurrent(layer, h, parameters) : kerasResetAfterGru(layer, h, parameters);
      } else if (layer.kind === 'attention') {
        h = selfAttention(layer, h, parameters, model.framework);
      } else if (layer.kind !== 'dropout') {
        throw new Error(`reference has no ${layer.kind}`);
      }
    }
    const batch = h.shape[0]!;
    if (loss === 'cross_entropy') return tf.div(tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(h)))), batch) as tf.Scalar;
    if (loss === 'mse') return tf.mean(tf.square(tf.sub(h, target))) as tf.Scalar;
    if (loss === 'bce_with_logits') return tf.mean(tf.sub(tf.softplus(h), tf.mul(target, h))) as tf.Scalar;
    throw new Error(`reference has no loss ${loss}`);
  };
  const { value, grads } = tf.variableGrads(f, Object.values(parameters));
  const gradients: Record<string, Float32Array> = {};
  for (const name of names) gradients[name] = grads[parameters[name]!.name]!.dataSync() as Float32Array;
  const lossValue = value.dataSync()[0]!;
  // The cells own their variables and dispose them themselves.
  tf.dispose([value, ...Object.values(grads), ...owned.map((name) => parameters[name]!), x, target]);
  for (const cell of cells.values()) cell.dispose();
  return { loss: lossValue, gradients };
}
