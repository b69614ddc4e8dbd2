// The tfjs-examples sentiment style: an embedding, a 1-D convolution and global pooling, or an LSTM.
import * as tf from '@tensorflow/tfjs-node';

export function buildModel(modelType, maxLen, vocabularySize, embeddingSize) {
  const model = tf.sequential();
  model.add(tf.layers.embedding({
    inputDim: vocabularySize,
    outputDim: embeddingSize,
    inputLength: maxLen,
  }));
  if (modelType === 'cnn') {
    model.add(tf.layers.dropout({rate: 0.5}));
    model.add(tf.layers.conv1d({filters: 250, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu'}));
    model.add(tf.layers.globalMaxPool1d({}));
    model.add(tf.layers.dense({units: 250, activation: 'relu'}));
  } else {
    model.add(tf.layers.lstm({units: 32}));
  }
  model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
  model.compile({loss: 'binaryCrossentropy', optimizer: 'adam', metrics: ['acc']});
  return model;
}
