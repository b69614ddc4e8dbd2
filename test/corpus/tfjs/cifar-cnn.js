// A small CIFAR-style convnet with tf.sequential, trained with Adam and categorical cross-entropy.
import * as tf from '@tensorflow/tfjs';

export const IMAGE_SIZE = 32;
export const NUM_CLASSES = 10;

export function createModel() {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({
    inputShape: [IMAGE_SIZE, IMAGE_SIZE, 3],
    filters: 32,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
  }));
  model.add(tf.layers.maxPooling2d({poolSize: 2, strides: 2}));
  model.add(tf.layers.conv2d({filters: 64, kernelSize: 3, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.maxPooling2d({poolSize: 2, strides: 2}));
  model.add(tf.layers.conv2d({filters: 64, kernelSize: 3, activation: 'relu'}));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({rate: 0.3}));
  model.add(tf.layers.dense({units: 64, activation: 'relu'}));
  model.add(tf.layers.dense({units: NUM_CLASSES, activation: 'softmax'}));

  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export function syntheticBatch(n) {
  return tf.tidy(() => {
    const xs = tf.randomUniform([n, IMAGE_SIZE, IMAGE_SIZE, 3]);
    const labels = tf.oneHot(tf.randomUniform([n], 0, NUM_CLASSES, 'int32'), NUM_CLASSES);
    return {xs, labels};
  });
}

export async function trainModel(model, epochs = 5) {
  const {xs, labels} = syntheticBatch(512);
  const history = await model.fit(xs, labels, {
    batchSize: 64,
    epochs,
    validationSplit: 0.1,
    shuffle: true,
    callbacks: tf.callbacks.earlyStopping({monitor: 'val_loss', patience: 2}),
  });
  tf.dispose([xs, labels]);
  return history;
}

export function classify(model, images) {
  return tf.tidy(() => {
    const probs = model.predict(images);
    return probs.argMax(-1).arraySync();
  });
}
