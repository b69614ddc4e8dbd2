// Movie-review sentiment with padded token ids: embedding(maskZero) -> bidirectional GRU -> GRU -> sigmoid.
import * as tf from '@tensorflow/tfjs';

const VOCAB_SIZE = 10000;
const MAX_LEN = 100;
const EMBEDDING_DIM = 32;
const GRU_UNITS = 24;

export function buildSentimentModel(): tf.Sequential {
  const model = tf.sequential({name: 'gru_sentiment'});
  model.add(tf.layers.embedding({
    inputDim: VOCAB_SIZE,
    outputDim: EMBEDDING_DIM,
    inputLength: MAX_LEN,
    maskZero: true,
  }));
  model.add(tf.layers.bidirectional({
    layer: tf.layers.gru({units: GRU_UNITS, returnSequences: true}) as tf.RNN,
    mergeMode: 'concat',
  }));
  model.add(tf.layers.gru({units: GRU_UNITS, dropout: 0.2}));
  model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export function padSequences(sequences: number[][], maxLen = MAX_LEN): tf.Tensor2D {
  const padded = sequences.map((seq) => {
    const clipped = seq.slice(-maxLen);
    return new Array(maxLen - clipped.length).fill(0).concat(clipped);
  });
  return tf.tensor2d(padded, [sequences.length, maxLen], 'int32');
}

export async function train(model: tf.Sequential, reviews: number[][], labels: number[]): Promise<tf.History> {
  const xs = padSequences(reviews);
  const ys = tf.tensor2d(labels, [labels.length, 1]);
  const history = await model.fit(xs, ys, {
    epochs: 5,
    batchSize: 64,
    validationSplit: 0.2,
    callbacks: tf.callbacks.earlyStopping({monitor: 'val_acc', patience: 2}),
  });
  tf.dispose([xs, ys]);
  return history;
}

export function predictSentiment(model: tf.Sequential, review: number[]): number {
  return tf.tidy(() => {
    const score = model.predict(padSequences([review])) as tf.Tensor;
    return score.dataSync()[0];
  });
}
