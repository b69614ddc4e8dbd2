// The same chain models computed by @tensorflow/tfjs (pure JS CPU backend) with tfjs's own autodiff:
// an independent reference for the probe's gradients.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { Model } from '../../../src/core/ir/types';
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

function normalize(x: Tensor, axes: number[], eps: number): Tensor {
  const { mean, variance } = tf.moments(x, axes, true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
}

/**
 * Gradients of the loss with respect to each named parameter, for a chain model of linear,
 * activation, dropout, layernorm and batchnorm layers, with weights stored [in, out] as the probe feeds them.
 */
export function referenceGradients(
  model: Model,
  loss: LossKind,
  feeds: Record<string, { data: ArrayLike<number>; dims: number[] }>,
): { loss: number; gradients: Record<string, Float32Array> } {
  const names = Object.keys(feeds).filter((name) => name !== 'x' && name !== 'target');
  const parameters = Object.fromEntries(names.map((name) => [name, tf.variable(tf.tensor(Float32Array.from(feeds[name]!.data), feeds[name]!.dims))]));
  const x = tf.tensor(Float32Array.from(feeds.x!.data), feeds.x!.dims);
  const target = tf.tensor(Float32Array.from(feeds.target!.data), feeds.target!.dims);
  const eps = model.framework === 'pytorch' ? 1e-5 : 1e-3;
  const f = () => {
    let h: Tensor = x;
    for (const layer of model.layers) {
      if (layer.kind === 'linear') {
        h = tf.matMul(h, parameters[`W${layer.index}`]!);
        const bias = parameters[`b${layer.index}`];
        if (bias) h = tf.add(h, bias);
        if (layer.activation) h = activate(layer.activation, h, model.framework, true);
      } else if (layer.kind === 'activation') {
        h = activate(layer.activation!, h, model.framework, false);
      } else if (layer.kind === 'layernorm') {
        h = normalize(h, [h.rank - 1], eps);
      } else if (layer.kind === 'batchnorm') {
        h = normalize(h, [0], eps);
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
  tf.dispose([value, ...Object.values(grads), ...Object.values(parameters), x, target]);
  return { loss: lossValue, gradients };
}
