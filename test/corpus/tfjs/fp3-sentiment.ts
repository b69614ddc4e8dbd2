/**
 * IMDB sentiment analysis, after tfjs-examples/sentiment.
 * Supports several model types sharing an embedding front-end.
 */
import * as tf from '@tensorflow/tfjs';
import type {LayersModel, Sequential} from '@tensorflow/tfjs';

export type ModelType = 'multihot' | 'flatten' | 'cnn' | 'simpleRNN' | 'lstm' | 'bidirectionalLSTM';

const VOCABULARY_SIZE = 10000;
const MAX_LEN = 100;
const EMBEDDING_SIZE = 128;

/**
 * Build the sentiment model for one of the supported architectures.
 */
export function buildModel(
    modelType: ModelType, maxLen: number = MAX_LEN, vocabularySize: number = VOCABULARY_SIZE,
    embeddingSize: number = EMBEDDING_SIZE): Sequential {
  const model = tf.sequential();
  if (modelType === 'multihot') {
    model.add(tf.layers.dense({units: 16, activation: 'relu', inputShape: [vocabularySize]}));
    model.add(tf.layers.dense({units: 16, activation: 'relu'}));
  } else {
    model.add(tf.layers.embedding({
      inputDim: vocabularySize,
      outputDim: embeddingSize,
      inputLength: maxLen,
    }));
    if (modelType === 'flatten') {
      model.add(tf.layers.flatten());
    } else if (modelType === 'cnn') {
      model.add(tf.layers.dropout({rate: 0.5}));
      model.add(tf.layers.conv1d({
        filters: 250,
        kernelSize: 5,
        strides: 1,
        padding: 'valid',
        activation: 'relu',
      }));
      model.add(tf.layers.globalMaxPool1d({}));
      model.add(tf.layers.dense({units: 250, activation: 'relu'}));
    } else if (modelType === 'simpleRNN') {
      model.add(tf.layers.simpleRNN({units: 32}));
    } else if (modelType === 'lstm') {
      model.add(tf.layers.lstm({units: 32}));
    } else if (modelType === 'bidirectionalLSTM') {
      model.add(tf.layers.bidirectional({
        layer: tf.layers.lstm({units: 32}) as tf.RNN,
        mergeMode: 'concat',
      }));
    } else {
      throw new Error(`Unsupported model type: ${modelType}`);
    }
  }
  model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
  return model;
}

/** A fixed LSTM sentiment classifier with stacked recurrent layers. */
export function createStackedLstm(): Sequential {
  const model = tf.sequential();
  model.add(tf.layers.embedding({inputDim: 5000, outputDim: 64, inputLength: 80, maskZero: true}));
  model.add(tf.layers.lstm({units: 64, returnSequences: true, dropout: 0.2, recurrentDropout: 0.2}));
  model.add(tf.layers.lstm({units: 32}));
  model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
  return model;
}

/** 1D convnet over embeddings with average pooling. */
export function createConv1dClassifier(): Sequential {
  const model = tf.sequential();
  model.add(tf.layers.embedding({inputDim: 20000, outputDim: 50, inputLength: 400}));
  model.add(tf.layers.conv1d({filters: 64, kernelSize: 3, activation: 'relu'}));
  model.add(tf.layers.maxPooling1d({poolSize: 2}));
  model.add(tf.layers.conv1d({filters: 64, kernelSize: 3, activation: 'relu'}));
  model.add(tf.layers.globalAveragePooling1d({}));
  model.add(tf.layers.dropout({rate: 0.3}));
  model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
  return model;
}

export async function trainModel(
    model: LayersModel, xTrain: tf.Tensor, yTrain: tf.Tensor, epochs = 10): Promise<tf.History> {
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'binaryCrossentropy',
    metrics: ['acc'],
  });
  model.summary();
  return model.fit(xTrain, yTrain, {
    epochs,
    batchSize: 128,
    validationSplit: 0.2,
    callbacks: tf.callbacks.earlyStopping({monitor: 'val_acc', patience: 2}),
  });
}
