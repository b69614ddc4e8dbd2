// Sentiment classification with an embedding and two stacked LSTMs, in the tfjs-examples style.
import * as tf from '@tensorflow/tfjs-node';

const VOCAB_SIZE = 5000;
const MAX_LEN = 100;
const EMBEDDING_SIZE = 32;

export function buildLstmModel() {
  const model = tf.sequential();
  model.add(tf.layers.embedding({
    inputDim: VOCAB_SIZE,
    outputDim: EMBEDDING_SIZE,
    inputLength: MAX_LEN,
    maskZero: true,
  }));
  model.add(tf.layers.lstm({units: 64, returnSequences: true}));
  model.add(tf.layers.lstm({units: 32, dropout: 0.2, recurrentDropout: 0.0}));
  model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'binaryCrossentropy',
    metrics: ['acc'],
  });
  return model;
}

export function padSequences(sequences, maxLen = MAX_LEN) {
  return sequences.map((seq) => {
    const trimmed = seq.length > maxLen ? seq.slice(seq.length - maxLen) : seq;
    return new Array(maxLen - trimmed.length).fill(0).concat(trimmed);
  });
}

export async function train(model, sequences, labels) {
  const xs = tf.tensor2d(padSequences(sequences), undefined, 'int32');
  const ys = tf.tensor2d(labels, [labels.length, 1]);
  await model.fit(xs, ys, {epochs: 5, batchSize: 32, validationSplit: 0.2});
  xs.dispose();
  ys.dispose();
}

export function predictSentiment(model, sequence) {
  return tf.tidy(() => {
    const input = tf.tensor2d(padSequences([sequence]), [1, MAX_LEN], 'int32');
    return model.predict(input).dataSync()[0];
  });
}
