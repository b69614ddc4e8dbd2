import * as tf from '@tensorflow/tfjs';

export function createConvModel() {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({inputShape: [28, 28, 1], kernelSize: 3, filters: 16, activation: 'relu'}));
  model.add(tf.layers.maxPooling2d({poolSize: 2, strides: 2}));
  model.add(tf.layers.conv2d({kernelSize: 3, filters: 32, activation: 'relu'}));
  model.add(tf.layers.maxPooling2d({poolSize: 2, strides: 2}));
  model.add(tf.layers.conv2d({kernelSize: 3, filters: 32, activation: 'relu'}));
  model.add(tf.layers.flatten({}));
  model.add(tf.layers.dense({units: 64, activation: 'relu'}));
  model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
  return model;
}

export function createRegressor(numFeatures) {
  const model = tf.sequential();
  model.add(tf.layers.dense({inputShape: [numFeatures], units: 50, activation: 'sigmoid', kernelInitializer: 'leCunNormal'}));
  model.add(tf.layers.dense({units: 50, activation: 'sigmoid', kernelInitializer: 'leCunNormal'}));
  model.add(tf.layers.dense({units: 1}));
  return model;
}

export async function train(model, xs, ys) {
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  await model.fit(xs, ys, {batchSize: 64, epochs: 5, validationSplit: 0.15, shuffle: true});
}

export function createLstm(vocabSize, maxLen) {
  const input = tf.input({shape: [maxLen]});
  const embedded = tf.layers.embedding({inputDim: vocabSize, outputDim: 64}).apply(input);
  const encoded = tf.layers.lstm({units: 64}).apply(embedded);
  const output = tf.layers.dense({units: 1, activation: 'sigmoid'}).apply(encoded);
  const model = tf.model({inputs: input, outputs: output});
  model.compile({optimizer: tf.train.adam(1e-3, undefined, undefined, undefined), loss: 'binaryCrossentropy'});
  return model;
}
