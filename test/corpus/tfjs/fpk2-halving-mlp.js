// A tabular regressor whose hidden stack is built in a loop: each model.add() halves the width.
import * as tf from '@tensorflow/tfjs';

const NUM_FEATURES = 12;
const FIRST_HIDDEN = 128;
const NUM_HIDDEN_LAYERS = 4;

export function buildHalvingMlp() {
  const model = tf.sequential({name: 'halving_mlp'});
  let units = FIRST_HIDDEN;
  for (let i = 0; i < NUM_HIDDEN_LAYERS; i++) {
    const config = {units, activation: 'relu', kernelInitializer: 'heNormal'};
    if (i === 0) {
      config.inputShape = [NUM_FEATURES];
    }
    model.add(tf.layers.dense(config));
    units = units / 2;
  }
  model.add(tf.layers.dense({units: 1}));
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError', metrics: ['mae']});
  return model;
}

function normalize(tensor) {
  const {mean, variance} = tf.moments(tensor, 0);
  return tensor.sub(mean).div(variance.sqrt().add(1e-7));
}

export async function trainOnSynthetic(model, n = 2000) {
  const raw = tf.randomNormal([n, NUM_FEATURES], 3, 2);
  const xs = tf.tidy(() => normalize(raw));
  const weights = tf.linspace(-1, 1, NUM_FEATURES).reshape([NUM_FEATURES, 1]);
  const ys = tf.tidy(() => xs.matMul(weights).add(tf.randomNormal([n, 1], 0, 0.1)));
  const history = await model.fit(xs, ys, {
    epochs: 25,
    batchSize: 64,
    validationSplit: 0.2,
    shuffle: true,
    callbacks: tf.callbacks.earlyStopping({monitor: 'val_loss', patience: 4}),
  });
  tf.dispose([raw, xs, weights, ys]);
  return history;
}

export async function main() {
  const model = buildHalvingMlp();
  model.summary();
  const history = await trainOnSynthetic(model);
  const last = history.history.val_loss[history.history.val_loss.length - 1];
  console.log(`final val_loss ${last.toFixed(4)}`);
}
