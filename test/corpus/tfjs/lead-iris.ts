// The tfjs-examples iris style, in TypeScript: a small dense classifier.
import * as tf from '@tensorflow/tfjs-node';

const NUM_CLASSES = 3;

export function createModel(learningRate: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 10, activation: 'sigmoid', inputShape: [4]}));
  model.add(tf.layers.dense({units: NUM_CLASSES, activation: 'softmax'}));
  const optimizer = tf.train.adam(learningRate);
  model.compile({optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  return model;
}

export function createRnn(vocabulary: number): tf.LayersModel {
  const input = tf.input({shape: [null]});
  const embedded = tf.layers.embedding({inputDim: vocabulary, outputDim: 32}).apply(input) as tf.SymbolicTensor;
  const encoded = tf.layers.lstm({units: 32}).apply(embedded) as tf.SymbolicTensor;
  const output = tf.layers.dense({units: 1, activation: 'sigmoid'}).apply(encoded) as tf.SymbolicTensor;
  const model = tf.model({inputs: input, outputs: output});
  model.compile({optimizer: 'adam', loss: 'binaryCrossentropy'});
  return model;
}
