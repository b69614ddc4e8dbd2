// Tabular classification (e.g. breast-cancer features): dense -> batchNormalization -> relu -> dropout blocks.
import * as tf from '@tensorflow/tfjs';

const NUM_FEATURES = 30;
const NUM_CLASSES = 2;

function denseBlock(model, units, config = {}) {
  model.add(tf.layers.dense({units, useBias: false, kernelInitializer: 'heNormal', ...config}));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({activation: 'relu'}));
  model.add(tf.layers.dropout({rate: 0.3}));
}

export function buildClassifier() {
  const model = tf.sequential();
  denseBlock(model, 64, {inputShape: [NUM_FEATURES]});
  denseBlock(model, 32);
  model.add(tf.layers.dense({units: NUM_CLASSES, activation: 'softmax'}));
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export async function train(model, features, labels) {
  // labels: int32 class ids of shape [n].
  const targets = tf.oneHot(labels, NUM_CLASSES);
  const history = await model.fit(features, targets, {
    epochs: 40,
    batchSize: 32,
    validationSplit: 0.2,
    callbacks: tf.callbacks.earlyStopping({monitor: 'val_acc', patience: 6}),
  });
  targets.dispose();
  return history;
}
