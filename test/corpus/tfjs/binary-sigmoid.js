// Spam detection from 12 hand-crafted message features: a sigmoid output trained with binaryCrossentropy.
import * as tf from '@tensorflow/tfjs';

const NUM_FEATURES = 12;

export function buildSpamModel() {
  const input = tf.input({shape: [NUM_FEATURES]});
  const h1 = tf.layers.dense({
    units: 24,
    activation: 'relu',
    kernelRegularizer: tf.regularizers.l2({l2: 1e-3}),
  }).apply(input);
  const h2 = tf.layers.dense({units: 12, activation: 'relu'}).apply(h1);
  const spamProbability = tf.layers.dense({units: 1, activation: 'sigmoid', name: 'is_spam'}).apply(h2);
  const model = tf.model({inputs: input, outputs: spamProbability});
  model.compile({optimizer: tf.train.adam(3e-3), loss: 'binaryCrossentropy', metrics: ['accuracy']});
  return model;
}

export async function trainAndClassify(model, xs, ys, newMessages) {
  await model.fit(xs, ys, {epochs: 30, batchSize: 64, validationSplit: 0.15});
  return tf.tidy(() => {
    const probs = model.predict(newMessages);
    return probs.greater(0.5).dataSync();
  });
}
