// A TF.js regression network with tanh in every hidden layer and a sizeable dense stack.
// Shows: DL201 (tanh in a deep stack).
import * as tf from '@tensorflow/tfjs';

export function createModel(inputSize = 16) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, inputShape: [inputSize], activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 64, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 64, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 64, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}
