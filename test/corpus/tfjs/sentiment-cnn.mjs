// The tfjs-examples sentiment style, as an ES module: an embedding followed by a 1-D convolution or an LSTM.
import * as tf from '@tensorflow/tfjs-node';

export const OOV_INDEX = 2;

export function buildModel(modelType, maxLen, vocabularySize, embeddingSize) {
  const model = tf.sequential();
  model.add(tf.layers.embedding({
    inputDim: vocabularySize,
    outputDim: embeddingSize,
    inputLength: maxLen,
  }));
  if (modelType === 'flatten') {
    model.add(tf.layers.flatten());
  } else if (modelType === 'cnn') {
    model.add(tf.layers.dropout({rate: 0.5}));
    model.add(tf.layers.conv1d({filters: 250, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu'}));
    model.add(tf.layers.globalMaxPool1d({}));
    model.add(tf.layers.dense({units: 250, activation: 'relu'}));
  } else if (modelType === 'lstm') {
    model.add(tf.layers.lstm({units: 32}));
  } else {
    throw new Error(`Unsupported model type: ${modelType}`);
  }
  model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
  return model;
}

export function padSequences(sequences, maxLen, padding = 'pre', value = 0) {
  return sequences.map((seq) => {
    const truncated = seq.length > maxLen ? seq.slice(seq.length - maxLen) : seq;
    const fill = new Array(maxLen - truncated.length).fill(value);
    return padding === 'pre' ? fill.concat(truncated) : truncated.concat(fill);
  });
}

export async function trainSentiment(xTrain, yTrain, options) {
  const model = buildModel(options.modelType, options.maxLen, options.vocabularySize, options.embeddingSize);
  model.compile({
    loss: 'binaryCrossentropy',
    optimizer: options.optimizer ?? 'adam',
    metrics: ['acc'],
  });
  model.summary();
  await model.fit(xTrain, yTrain, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    validationSplit: options.validationSplit,
  });
  return model;
}
